package io.rwsplit.core.topology;

import io.rwsplit.core.flavor.GtidSet;
import java.time.Duration;

/**
 * One node's probe history, owned by the monitor thread: health with hysteresis, and the last
 * successful probe's findings.
 *
 * <p>The first result decides health at once (a starting front end should not wait three passes
 * to use a healthy node). After that an up node goes down after {@code failCount} failed probes
 * in a row and comes back after {@code recoverCount} good ones. A single failed probe already
 * makes a replica's lag unknown, which takes it out of the read set at once while its health,
 * which failover acts on, waits for the count.
 */
final class NodeTracker {

    final NodeId id;
    /** Replaced when the configuration is reloaded; read by the monitor and by views. */
    volatile NodeSettings settings;
    final NodeStats stats = new NodeStats();
    private Health health;
    private int failures;
    private int successes;
    private ProbeResult last;
    private ProbeResult lastGood;
    private volatile boolean draining;
    /** When the monitor first saw this replica's receiver disconnected with its applier running; 0 if not. */
    private long receiverDownSince;

    NodeTracker(NodeId id, NodeSettings settings) {
        this.id = id;
        this.settings = settings;
    }

    void record(ProbeResult r, int failCount, int recoverCount, long nowNanos) {
        last = r;
        if (r.ok()) {
            boolean receiverDown = r.replica().replicating() && r.replica().sqlRunning() && !r.replica().ioRunning();
            if (!receiverDown) {
                receiverDownSince = 0;
            } else if (receiverDownSince == 0) {
                receiverDownSince = nowNanos;
            }
            successes++;
            failures = 0;
            lastGood = r;
            if (health == null || (health == Health.DOWN && successes >= recoverCount)) {
                health = Health.UP;
            }
        } else {
            failures++;
            successes = 0;
            if (health == null || (health == Health.UP && failures >= failCount)) {
                health = Health.DOWN;
            }
        }
    }

    Health health() {
        return health == null ? Health.DOWN : health;
    }

    ProbeResult last() {
        return last;
    }

    /** The last successful probe, or {@code null} if there has been none. */
    ProbeResult lastGood() {
        return lastGood;
    }

    String lastError() {
        return last == null || last.ok() ? null : last.error();
    }

    void draining(boolean on) {
        draining = on;
    }

    boolean draining() {
        return draining;
    }

    /**
     * This node as of now. A replica's lag: the heartbeat's or the server's figure while both its
     * threads run; unknown while its applier is stopped (it applies nothing); and while only its
     * receiver is down (the primary is unreachable from it) the time since that was first seen:
     * it has everything it received and serves reads until that grows past max_lag, which keeps
     * reads going while a dead primary is replaced and drops a replica cut off from a live one.
     */
    NodeView view(Role role, long nowNanos) {
        boolean fresh = last != null && last.ok();
        Duration lag = null;
        if (role == Role.PRIMARY) {
            lag = Duration.ZERO;
        } else if (fresh && role == Role.REPLICA && last.replica().running()) {
            lag = last.heartbeatLag() != null ? last.heartbeatLag() : last.replica().lag();
        } else if (fresh && role == Role.REPLICA && receiverDownSince != 0) {
            lag = Duration.ofNanos(Math.max(0, nowNanos - receiverDownSince));
        }
        GtidSet executed = lastGood == null ? null : lastGood.executed();
        return new NodeView(id, role, health(), lag, executed, settings, draining, stats);
    }
}
