package io.rwsplit.proxy.frontend;

import io.rwsplit.core.topology.NodeId;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds the statements bound for the primary while a switchover replaces it, and lets them go, to
 * be routed again, once the new primary is published.
 *
 * <p>Closed for one node, the old primary. A statement routed there is held unless its session has
 * a transaction open there (it may finish it: the switchover waits for that before the primary goes
 * read-only). A held statement costs nothing but a queue entry and a timer on its session's event
 * loop: its session is busy, reads no more commands, and answers nothing until the statement is let
 * go or its hold times out, when the client gets an error instead.
 *
 * <p>Thread-safe: the switchover closes and opens the gate from its own thread, sessions hold
 * statements from their event loops. Each held statement runs exactly once, either way, on its own
 * loop.
 */
final class SwitchoverGate {

    /** One held statement. */
    private static final class Held {
        final ClientSession session;
        final Runnable resume;
        final AtomicBoolean done = new AtomicBoolean();
        final long since = System.nanoTime();
        ScheduledFuture<?> timer;

        Held(ClientSession session, Runnable resume) {
            this.session = session;
            this.resume = resume;
        }
    }

    private final Duration holdTimeout;
    private final Queue<Held> held = new ConcurrentLinkedQueue<>();
    private volatile NodeId closedFor;
    private final AtomicLong heldCount = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicLong longestHoldNanos = new AtomicLong();

    SwitchoverGate(Duration holdTimeout) {
        this.holdTimeout = holdTimeout;
    }

    Duration holdTimeout() {
        return holdTimeout;
    }

    /** From now on statements for {@code primary} are held; the counters start again. */
    void close(NodeId primary) {
        heldCount.set(0);
        timedOut.set(0);
        longestHoldNanos.set(0);
        closedFor = primary;
    }

    /** Lets every held statement go, each on its session's loop, to be routed again; returns how many. */
    int open() {
        closedFor = null;
        int released = 0;
        Held h;
        while ((h = held.poll()) != null) {
            if (release(h)) {
                released++;
            }
        }
        return released;
    }

    /** The node statements are held for, {@code null} while open. */
    NodeId closedFor() {
        return closedFor;
    }

    /** Whether {@code session}'s statement for {@code node} must wait; call on the session's loop. */
    boolean mustHold(ClientSession session, NodeId node) {
        NodeId p = closedFor;
        return p != null && p.equals(node) && !session.hasTransactionOn(node);
    }

    /**
     * Holds a statement: {@code resume} runs when the gate opens, {@code timedOut} when it stays
     * closed for longer than the hold timeout; call on the session's loop.
     */
    void hold(ClientSession session, Runnable resume, Runnable timedOut) {
        Held h = new Held(session, resume);
        heldCount.incrementAndGet();
        h.timer = session.channel().eventLoop().schedule(() -> {
            if (h.done.compareAndSet(false, true)) {
                held.remove(h);
                this.timedOut.incrementAndGet();
                longestHoldNanos.accumulateAndGet(System.nanoTime() - h.since, Math::max);
                timedOut.run();
            }
        }, holdTimeout.toNanos(), TimeUnit.NANOSECONDS);
        held.add(h);
        if (closedFor == null) {
            // opened while this one was being added: open() may have drained the queue before it
            held.remove(h);
            release(h);
        }
    }

    private boolean release(Held h) {
        if (!h.done.compareAndSet(false, true)) {
            return false;
        }
        h.timer.cancel(false);
        longestHoldNanos.accumulateAndGet(System.nanoTime() - h.since, Math::max);
        h.session.channel().eventLoop().execute(h.resume);
        return true;
    }

    /** Statements held since the gate last closed. */
    long held() {
        return heldCount.get();
    }

    /** Of those, the ones whose hold timed out. */
    long timedOut() {
        return timedOut.get();
    }

    /** The longest a statement was held since the gate last closed. */
    Duration longestHold() {
        return Duration.ofNanos(longestHoldNanos.get());
    }
}
