package io.rwsplit.proxy.frontend;

import io.netty.channel.EventLoop;
import io.rwsplit.core.failover.SwitchoverPlan;
import io.rwsplit.core.failover.SwitchoverResult;
import io.rwsplit.core.topology.NodeId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A switchover through the proxy, without client-visible errors: the proxy's part around core's
 * {@link io.rwsplit.core.failover.Switchover}.
 *
 * <ol>
 * <li>Ask the monitor whether the switchover could start (a healthy primary, a fit target); if not,
 * refuse without holding anything.</li>
 * <li>Close the {@link SwitchoverGate}: new statements for the primary wait, transactions open
 * there go on.</li>
 * <li>Wait until no session has a transaction open or a statement running on the primary, at most
 * half of {@code switchover.holdTimeout} (the other half is for the switch itself, so that held
 * statements do not time out). If some are still open, open the gate again and refuse: a
 * switchover is planned, and cutting a transaction off is a client-visible error.</li>
 * <li>Close every connection to the old primary on every event loop (none is in use), then have the
 * monitor run the switchover and publish the new topology. Connections to the old primary opened
 * after that are to a replica, and the proxy's listener leaves them open
 * ({@link ProxyRuntime#switchingOver}).</li>
 * <li>Open the gate: each held statement is routed again, now to the new primary.</li>
 * </ol>
 * One at a time per proxy; several proxies are kept apart by the failover lock.
 */
final class PlannedSwitchover {

    private static final Logger log = LoggerFactory.getLogger(PlannedSwitchover.class);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final ProxyRuntime runtime;
    private final AtomicBoolean running = new AtomicBoolean();

    PlannedSwitchover(ProxyRuntime runtime) {
        this.runtime = runtime;
    }

    SwitchoverOutcome run(Optional<String> target) {
        long start = System.nanoTime();
        if (!running.compareAndSet(false, true)) {
            return failed("a switchover is already running on this proxy", start);
        }
        SwitchoverGate gate = runtime.gate;
        try {
            SwitchoverPlan plan = runtime.monitor.planSwitchover(target);
            if (plan.refused()) {
                return failed(plan.reason(), start);
            }
            NodeId old = plan.primary();
            log.info("switchover: {}; holding statements for {}", plan.reason(), old.name());
            gate.close(old);
            long closed = System.nanoTime();
            long drainBudget = gate.holdTimeout().toNanos() / 2;
            int busy;
            while ((busy = occupied(old)) > 0) {
                if (System.nanoTime() - closed > drainBudget) {
                    gate.open();
                    return failed(busy + " sessions still had a transaction, a running statement or session state (a "
                            + "temporary table, a named lock, user variables) on " + old.name()
                            + " after " + drainBudget / 1_000_000 + " ms (half of switchover.holdTimeout); nothing "
                            + "changed, try again when they are done", start);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(POLL_NANOS);
            }
            log.info("switchover: no transaction open on {} after {} ms", old.name(),
                    (System.nanoTime() - closed) / 1_000_000);
            // nothing runs on it now, and nothing will until it is a replica: its connections go now, not
            // when the new topology is published, when reads may already be using it as a replica
            runtime.closeAllEverywhere(old, old.name() + " is being switched over");
            SwitchoverResult r = runtime.monitor.switchover(Optional.of(plan.target().name()));
            int released = gate.open();
            Duration pause = Duration.ofNanos(System.nanoTime() - closed);
            if (!r.switched()) {
                return failed(r.reason() + (r.newPrimary() == null ? "" : " (" + r.newPrimary().name()
                        + " was promoted)"), start);
            }
            SwitchoverOutcome.Switched s = new SwitchoverOutcome.Switched(r.oldPrimary().name(),
                    r.newPrimary().name(), Duration.ofNanos(System.nanoTime() - start), pause, gate.held(),
                    gate.timedOut(), gate.longestHold(), r.toString());
            log.info("switchover: {} -> {} in {} ms; statements for the primary held {} ms ({} held, {} let go, {} "
                    + "timed out)", s.oldPrimary(), s.newPrimary(), s.took().toMillis(), pause.toMillis(), s.held(),
                    released, s.heldTimedOut());
            return s;
        } catch (RuntimeException e) {
            gate.open();
            log.warn("switchover failed", e);
            return failed("the switchover failed inside the proxy: " + e.getMessage(), start);
        } finally {
            running.set(false);
        }
    }

    /** Sessions with a transaction open or a statement running on {@code node}, asked on their own loops. */
    private int occupied(NodeId node) {
        Map<EventLoop, List<ClientSession>> byLoop = new IdentityHashMap<>();
        for (ClientSession s : runtime.sessions()) {
            byLoop.computeIfAbsent(s.channel().eventLoop(), l -> new ArrayList<>()).add(s);
        }
        List<io.netty.util.concurrent.Future<Integer>> counts = new ArrayList<>(byLoop.size());
        byLoop.forEach((loop, sessions) -> counts.add(loop.submit(() -> {
            int n = 0;
            for (ClientSession s : sessions) {
                if (s.occupies(node)) {
                    n++;
                }
            }
            return n;
        })));
        int total = 0;
        for (io.netty.util.concurrent.Future<Integer> f : counts) {
            f.awaitUninterruptibly();
            total += f.isSuccess() ? f.getNow() : 0;
        }
        return total;
    }

    private static SwitchoverOutcome failed(String reason, long start) {
        log.warn("switchover: not done: {}", reason);
        return new SwitchoverOutcome.Failed(reason, Duration.ofNanos(System.nanoTime() - start));
    }
}
