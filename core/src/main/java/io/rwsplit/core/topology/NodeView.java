package io.rwsplit.core.topology;

import io.rwsplit.core.flavor.GtidSet;
import java.time.Duration;
import java.util.Objects;

/**
 * One node as of one monitor pass. Immutable, except that {@link #stats()} points at the node's
 * live load figures.
 *
 * @param lag       replication delay of a replica; {@code null} when unknown or replication is not
 *                  running (which is never fresh); zero for a primary
 * @param executed  GTIDs the node has applied, or {@code null} before the first successful probe
 * @param draining  taken out of rotation by an operator: no new work goes to it
 */
public record NodeView(NodeId id, Role role, Health health, Duration lag, GtidSet executed, NodeSettings settings,
        boolean draining, NodeStats stats) {

    public NodeView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(stats, "stats");
    }

    public String name() {
        return id.name();
    }

    public boolean isUp() {
        return health == Health.UP;
    }

    public NodeView withHealth(Health newHealth) {
        return new NodeView(id, role, newHealth, lag, executed, settings, draining, stats);
    }

    public NodeView withRole(Role newRole) {
        return new NodeView(id, newRole, health, lag, executed, settings, draining, stats);
    }

    public NodeView withLag(Duration newLag) {
        return new NodeView(id, role, health, newLag, executed, settings, draining, stats);
    }

    public NodeView withExecuted(GtidSet newExecuted) {
        return new NodeView(id, role, health, lag, newExecuted, settings, draining, stats);
    }

    public NodeView withDraining(boolean newDraining) {
        return new NodeView(id, role, health, lag, executed, settings, newDraining, stats);
    }

    @Override
    public String toString() {
        return id.name() + "(" + role + ", " + health + (lag == null ? "" : ", lag " + lag.toMillis() + " ms")
                + (draining ? ", draining" : "") + ")";
    }
}
