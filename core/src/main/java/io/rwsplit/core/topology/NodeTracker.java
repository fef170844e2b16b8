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
    final NodeSettings settings;
    final NodeStats stats = new NodeStats();
    private Health health;
    private int failures;
    private int successes;
    private ProbeResult last;
    private ProbeResult lastGood;
    private volatile boolean draining;

    NodeTracker(NodeId id, NodeSettings settings) {
        this.id = id;
        this.settings = settings;
    }

    void record(ProbeResult r, int failCount, int recoverCount) {
        last = r;
        if (r.ok()) {
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

    NodeView view(Role role) {
        boolean fresh = last != null && last.ok();
        Duration lag = null;
        if (role == Role.PRIMARY) {
            lag = Duration.ZERO;
        } else if (fresh && role == Role.REPLICA && last.replica().running()) {
            lag = last.heartbeatLag() != null ? last.heartbeatLag() : last.replica().lag();
        }
        GtidSet executed = lastGood == null ? null : lastGood.executed();
        return new NodeView(id, role, health(), lag, executed, settings, draining, stats);
    }
}
