package io.rwsplit.core.topology;

import io.rwsplit.core.config.FailoverMode;
import io.rwsplit.core.config.MonitorConfig;
import io.rwsplit.core.config.NodeConfig;
import io.rwsplit.core.failover.FailoverCoordinator;
import io.rwsplit.core.failover.FailoverSettings;
import io.rwsplit.core.failover.NodeState;
import io.rwsplit.core.failover.SwitchoverPlan;
import io.rwsplit.core.failover.SwitchoverResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the nodes and publishes {@link TopologySnapshot}s that routing reads without locks.
 *
 * <p>Each pass (every {@code interval}, on the monitor's own thread) probes all nodes in parallel,
 * one probe thread and one connection per node, and waits at most {@code connectTimeout + 2 ×
 * readTimeout}. A node whose probe has not answered by then fails this pass, and is not probed
 * again until that probe returns, so a frozen server costs one thread and never delays the others.
 * Results go through each node's {@link NodeTracker} (hysteresis) and the {@link RoleResolver};
 * the new snapshot replaces the old one whole. Changes of role and health are logged, one line
 * each, and passed to the listener.
 *
 * <p>With {@code failover: promote} the {@link FailoverCoordinator} is consulted after each pass:
 * it may promote a replica when the primary is down (on this thread; the next snapshot, taken at
 * once, shows the new primary) and keeps replaced primaries out of the primary role.
 */
public final class TopologyMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopologyMonitor.class);

    private final MonitorConfig config;
    private final List<NodeTracker> trackers = new ArrayList<>();
    private final List<NodeProbe> probes = new ArrayList<>();
    private final List<Future<ProbeResult>> inFlight = new ArrayList<>();
    private final Heartbeat heartbeat;
    private final TopologyListener listener;
    private final AtomicReference<TopologySnapshot> current;
    private final AtomicLong passes = new AtomicLong();
    private final ScheduledExecutorService scheduler;
    private final ExecutorService probeThreads;
    private final Object publishLock = new Object();
    private final FailoverCoordinator failover;
    private final ProbeConnector connector;

    /** A monitor with {@code failover: follow}: it follows the {@code read_only} flags, and promotes nothing. */
    public TopologyMonitor(List<NodeConfig> nodes, MonitorConfig config, ProbeConnector connector,
            TopologyListener listener) {
        this(nodes, config, FailoverMode.FOLLOW, connector, listener);
    }

    public TopologyMonitor(List<NodeConfig> nodes, MonitorConfig config, FailoverMode failover,
            ProbeConnector connector, TopologyListener listener) {
        this(nodes, config, failover, FailoverSettings.DEFAULTS, connector, listener);
    }

    /** @param settings switchover and rejoin settings (the replication account, timeouts, autoRejoin) */
    public TopologyMonitor(List<NodeConfig> nodes, MonitorConfig config, FailoverMode failover,
            FailoverSettings settings, ProbeConnector connector, TopologyListener listener) {
        this(nodes, config, failover, settings, connector, listener, () -> System.currentTimeMillis() * 1000);
    }

    TopologyMonitor(List<NodeConfig> nodes, MonitorConfig config, FailoverMode failover, ProbeConnector connector,
            TopologyListener listener, LongSupplier wallMicros) {
        this(nodes, config, failover, FailoverSettings.DEFAULTS, connector, listener, wallMicros);
    }

    TopologyMonitor(List<NodeConfig> nodes, MonitorConfig config, FailoverMode failover, FailoverSettings settings,
            ProbeConnector connector, TopologyListener listener, LongSupplier wallMicros) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("the monitor needs at least one node");
        }
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.failover = new FailoverCoordinator(failover, connector, settings);
        this.connector = connector;
        String table = config.heartbeatTable();
        this.heartbeat = table == null || table.isEmpty() ? null : new Heartbeat(table, wallMicros);
        List<NodeView> initial = new ArrayList<>();
        for (NodeConfig n : nodes) {
            NodeTracker t = new NodeTracker(n.id(), n.settings());
            trackers.add(t);
            probes.add(new NodeProbe(n.id(), connector, heartbeat));
            inFlight.add(null);
            initial.add(t.view(Role.UNKNOWN, System.nanoTime()));
        }
        this.current = new AtomicReference<>(new TopologySnapshot(0, initial));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("rwsplit-monitor"));
        this.probeThreads = Executors.newFixedThreadPool(nodes.size(), daemon("rwsplit-probe"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Runs a first pass now, so the caller starts with a real topology, then one every interval.
     * Returns the first snapshot.
     */
    public TopologySnapshot start() {
        try {
            scheduler.submit(this::pass).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.error("first topology pass failed", e.getCause());
        }
        long ms = config.interval().toMillis();
        scheduler.scheduleWithFixedDelay(this::safePass, ms, ms, TimeUnit.MILLISECONDS);
        return current.get();
    }

    /** The latest snapshot; cheap, lock-free. */
    public TopologySnapshot current() {
        return current.get();
    }

    /** Completed passes so far. */
    public long passes() {
        return passes.get();
    }

    /** Promotions this instance carried out ({@code failover: promote}). */
    public long promotions() {
        return failover.promotions();
    }

    /** Old primaries that failover replaced and keeps out of the primary role. */
    public java.util.Set<NodeId> fenced() {
        return failover.fenced();
    }

    /**
     * Whether a switchover to {@code target} (or the best candidate) could start now, judged on the
     * latest pass, without touching a server: what a front end asks before it holds its writes.
     */
    public SwitchoverPlan planSwitchover(java.util.Optional<String> target) {
        return onMonitorThread(() -> SwitchoverPlan.plan(current.get().primary().map(NodeView::id).orElse(null),
                target, states()));
    }

    /**
     * Runs a planned switchover on the monitor's thread (between passes, so it never meets a
     * promotion), then probes and publishes until the snapshot shows the new primary, at most a few
     * passes: when this returns after a switch, {@link #current()} and the listener have seen it.
     * Blocks the caller for the length of the switchover.
     */
    public SwitchoverResult switchover(java.util.Optional<String> target) {
        return onMonitorThread(() -> {
            NodeId primary = current.get().primary().map(NodeView::id).orElse(null);
            SwitchoverResult r = failover.switchover(states(), primary, target);
            if (r.newPrimary() != null) {
                for (int i = 0; i < 5; i++) {
                    probeAndPublish(false);
                    if (current.get().primary().map(v -> v.id().equals(r.newPrimary())).orElse(false)) {
                        break;
                    }
                }
            }
            return r;
        });
    }

    private <T> T onMonitorThread(java.util.concurrent.Callable<T> task) {
        try {
            return scheduler.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the monitor", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the monitor failed: " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new IllegalStateException("the monitor is stopped", e);
        }
    }

    /**
     * Fenced old primaries {@code autoRejoin} left out because they hold transactions the primary
     * lacks, by name, to those transactions.
     */
    public java.util.Map<String, String> errant() {
        java.util.Map<String, String> m = new java.util.TreeMap<>();
        failover.errant().forEach((id, gtids) -> m.put(id.name(), gtids));
        return m;
    }

    /** Takes a node out of rotation (no new work) or puts it back; published at once. */
    public void setDraining(String nodeName, boolean draining) {
        NodeTracker t;
        synchronized (publishLock) {
            // the node list changes only under this lock (reconfigure)
            t = trackers.stream().filter(x -> x.id.name().equals(nodeName)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no node named " + nodeName));
            // under the lock: a pass publishing views it built before the flag changed would undo it
            t.draining(draining);
            TopologySnapshot before = current.get();
            NodeView v = before.node(t.id).orElseThrow().withDraining(draining);
            current.set(before.with(v));
        }
        log.info("topology change: node={} address={} draining={} ({})", nodeName, t.id.address(), draining,
                draining ? "no new work goes to it" : "back in rotation");
    }

    /**
     * Replaces the configured nodes, between two passes, keeping everything the monitor knows
     * about the nodes that stay (health, lag, drain): nodes not in {@code nodes} leave the
     * topology, new ones join it as down until their first probe, and the others take their new
     * settings (weight, standby, promotable...). A node is the same when its name, host and port
     * are. Published at once.
     *
     * @throws IllegalArgumentException when {@code nodes} is empty or leaves out the current
     *                                  primary (switch over first); nothing changes then
     */
    public NodeChanges reconfigure(List<NodeConfig> nodes) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("the monitor needs at least one node");
        }
        try {
            return scheduler.submit(() -> apply(nodes)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while changing the monitor's nodes", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalStateException("could not change the monitor's nodes: " + e.getCause(), e.getCause());
        }
    }

    /** On the monitor's thread, so that no pass runs meanwhile. */
    private NodeChanges apply(List<NodeConfig> nodes) {
        Map<NodeId, Integer> old = new HashMap<>();
        for (int i = 0; i < trackers.size(); i++) {
            old.put(trackers.get(i).id, i);
        }
        java.util.Set<NodeId> keep = new java.util.HashSet<>();
        nodes.forEach(n -> keep.add(n.id()));
        // the primary's role, up or down: a down primary left out would never be failed over
        NodeId primary = current.get().nodes().stream().filter(v -> v.role() == Role.PRIMARY).map(NodeView::id)
                .filter(id -> !keep.contains(id)).findFirst().orElse(null);
        if (primary != null) {
            throw new IllegalArgumentException("the new node list leaves out " + primary.name()
                    + ", the current primary; switch over to another node first");
        }
        List<NodeTracker> newTrackers = new ArrayList<>(nodes.size());
        List<NodeProbe> newProbes = new ArrayList<>(nodes.size());
        List<Future<ProbeResult>> newInFlight = new ArrayList<>(nodes.size());
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (NodeConfig n : nodes) {
            Integer i = old.get(n.id());
            if (i == null) {
                newTrackers.add(new NodeTracker(n.id(), n.settings()));
                newProbes.add(new NodeProbe(n.id(), connector, heartbeat));
                newInFlight.add(null);
                added.add(n.name());
            } else {
                NodeTracker t = trackers.get(i);
                if (!t.settings.equals(n.settings())) {
                    t.settings = n.settings();
                    changed.add(n.name());
                }
                newTrackers.add(t);
                newProbes.add(probes.get(i));
                newInFlight.add(inFlight.get(i));
            }
        }
        List<String> removed = new ArrayList<>();
        List<NodeProbe> retired = new ArrayList<>();
        for (int i = 0; i < trackers.size(); i++) {
            if (!keep.contains(trackers.get(i).id)) {
                removed.add(trackers.get(i).id.name());
                retired.add(probes.get(i));
                Future<ProbeResult> f = inFlight.get(i);
                if (f != null) {
                    f.cancel(true);
                }
            }
        }
        resizeProbeThreads(nodes.size());
        TopologySnapshot before;
        TopologySnapshot after;
        synchronized (publishLock) {
            before = current.get();
            long now = System.nanoTime();
            List<NodeView> views = new ArrayList<>(newTrackers.size());
            for (NodeTracker t : newTrackers) {
                views.add(before.node(t.id).map(v -> t.view(v.role(), now)).orElseGet(() -> t.view(Role.UNKNOWN, now)));
            }
            trackers.clear();
            trackers.addAll(newTrackers);
            probes.clear();
            probes.addAll(newProbes);
            inFlight.clear();
            inFlight.addAll(newInFlight);
            after = new TopologySnapshot(before.version() + 1, views);
            current.set(after);
        }
        retired.forEach(NodeProbe::retire);
        NodeChanges c = new NodeChanges(added, removed, changed);
        if (!c.isEmpty()) {
            log.info("topology change: nodes reconfigured added={} removed={} settings={}", added, removed, changed);
            listener.changed(before, after);
        }
        return c;
    }

    private void resizeProbeThreads(int n) {
        if (probeThreads instanceof java.util.concurrent.ThreadPoolExecutor p) {
            if (n > p.getMaximumPoolSize()) {
                p.setMaximumPoolSize(n);
                p.setCorePoolSize(n);
            } else if (n < p.getCorePoolSize()) {
                p.setCorePoolSize(n);
                p.setMaximumPoolSize(n);
            }
        }
    }

    /** What {@link #reconfigure} did, by node name. */
    public record NodeChanges(List<String> added, List<String> removed, List<String> settingsChanged) {
        public NodeChanges {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
            settingsChanged = List.copyOf(settingsChanged);
        }

        public boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty() && settingsChanged.isEmpty();
        }
    }

    private void safePass() {
        try {
            pass();
        } catch (RuntimeException e) {
            log.error("topology pass failed; the next one will retry", e);
        }
    }

    private void pass() {
        if (probeAndPublish(false)) {
            // a promotion changed the cluster: show it now rather than one interval later, and without
            // waiting out the probe of a node already down (a frozen old primary's takes its whole timeout)
            probeAndPublish(true);
        }
    }

    /**
     * One pass; returns whether failover changed the cluster.
     *
     * @param skipDown record a node that is down and has not answered by the time the others have
     *                 as failing again, rather than wait for it; it stays down either way
     */
    private boolean probeAndPublish(boolean skipDown) {
        if (heartbeat != null) {
            heartbeat.startPass();
        }
        for (int i = 0; i < probes.size(); i++) {
            Future<ProbeResult> f = inFlight.get(i);
            if (f == null || f.isDone()) {
                inFlight.set(i, probeThreads.submit(probes.get(i)::probe));
            }
        }
        long deadline = System.nanoTime() + config.connectTimeout().toNanos() + 2 * config.readTimeout().toNanos()
                + Duration.ofMillis(100).toNanos();
        List<ProbeResult> results = new ArrayList<>(probes.size());
        for (int i = 0; i < probes.size(); i++) {
            results.add(skipDown && trackers.get(i).health() == Health.DOWN ? null : await(i, deadline));
        }
        for (int i = 0; i < probes.size(); i++) {
            if (results.get(i) == null) {
                Future<ProbeResult> f = inFlight.get(i);
                results.set(i, f.isDone() ? await(i, deadline)
                        : ProbeResult.failed(trackers.get(i).id, "still no answer (down, not waited for)"));
            }
        }
        int failCount = Math.max(1, config.failCount());
        int recoverCount = Math.max(1, config.recoverCount());
        long now = System.nanoTime();
        for (int i = 0; i < trackers.size(); i++) {
            trackers.get(i).record(results.get(i), failCount, recoverCount, now);
        }
        List<Role> roles = RoleResolver.resolve(trackers, failover.fenced());
        TopologySnapshot before;
        TopologySnapshot after;
        synchronized (publishLock) {
            // views are taken under the lock so that a drain published meanwhile is in them
            List<NodeView> views = new ArrayList<>(trackers.size());
            for (int i = 0; i < trackers.size(); i++) {
                views.add(trackers.get(i).view(roles.get(i), now));
            }
            before = current.get();
            after = new TopologySnapshot(before.version() + 1, views);
            current.set(after);
        }
        passes.incrementAndGet();
        boolean changed = changed(before, after);
        if (changed || before.version() == 0) {
            report(before, after);
        }
        if (changed) {
            listener.changed(before, after);
        }
        if (failover.mode() != FailoverMode.PROMOTE) {
            return false;
        }
        return failover.afterPass(states(), after.primary().map(NodeView::id).orElse(null), downPrimary(after));
    }

    private static NodeId downPrimary(TopologySnapshot s) {
        for (NodeView n : s.nodes()) {
            if (n.role() == Role.PRIMARY && !n.isUp()) {
                return n.id();
            }
        }
        return null;
    }

    private List<NodeState> states() {
        List<NodeState> states = new ArrayList<>(trackers.size());
        for (NodeTracker t : trackers) {
            ProbeResult last = t.last();
            boolean reachable = last != null && last.ok();
            ProbeResult r = reachable ? last : t.lastGood();
            states.add(r == null
                    ? new NodeState(t.id, t.settings, t.health() == Health.UP, false, true, null, null)
                    : new NodeState(t.id, t.settings, t.health() == Health.UP, reachable, r.readOnly(), r.replica(),
                            r.executed()));
        }
        return states;
    }

    private ProbeResult await(int i, long deadlineNanos) {
        NodeId id = trackers.get(i).id;
        Future<ProbeResult> f = inFlight.get(i);
        try {
            return f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return ProbeResult.failed(id, "no answer within " + (config.connectTimeout().toMillis()
                    + 2 * config.readTimeout().toMillis()) + " ms");
        } catch (ExecutionException e) {
            return ProbeResult.failed(id, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProbeResult.failed(id, "monitor interrupted");
        }
    }

    private static boolean changed(TopologySnapshot before, TopologySnapshot after) {
        if (before.nodes().size() != after.nodes().size()) {
            return true;
        }
        for (int i = 0; i < after.nodes().size(); i++) {
            NodeView a = after.nodes().get(i);
            NodeView b = before.nodes().get(i);
            if (!a.id().equals(b.id()) || a.role() != b.role() || a.health() != b.health()) {
                return true;
            }
        }
        return false;
    }

    private void report(TopologySnapshot before, TopologySnapshot after) {
        // the first pass also names the nodes it could not reach, which are not a change from the initial view
        boolean first = before.version() == 0;
        for (int i = 0; i < after.nodes().size(); i++) {
            NodeView a = after.nodes().get(i);
            NodeView b = before.node(a.id()).orElse(null);
            if (b == null) {
                continue;
            }
            if (a.role() != b.role() || a.health() != b.health() || first && a.health() != Health.UP) {
                String error = trackers.get(i).lastError();
                log.info("topology change: node={} address={} role={} health={} was={}/{}{}", a.name(),
                        a.id().address(), lower(a.role()), lower(a.health()), lower(b.role()), lower(b.health()),
                        error == null ? "" : " error=\"" + error.replace('"', '\'') + "\"");
            }
        }
        String was = before.primary().map(NodeView::name).orElse(null);
        String now = after.primary().map(NodeView::name).orElse(null);
        if (!java.util.Objects.equals(was, now)) {
            log.info("topology change: primary={} was={}", now == null ? "none" : now, was == null ? "none" : was);
        }
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        probeThreads.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (NodeProbe p : probes) {
            p.close();
        }
    }
}
