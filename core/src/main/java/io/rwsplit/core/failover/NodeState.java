package io.rwsplit.core.failover;

import io.rwsplit.core.flavor.Flavor;
import io.rwsplit.core.flavor.GtidSet;
import io.rwsplit.core.flavor.ReplicaStatus;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.core.topology.NodeSettings;
import java.util.Objects;

/**
 * What failover knows about one node: the monitor's latest probe of it, or a fresh reading taken
 * under the failover lock.
 *
 * @param up         healthy after the monitor's hysteresis (a fresh reading is up when it answered)
 * @param reachable  the latest probe answered; the fields below are from it when true, from the
 *                   last good probe (possibly none: {@code executed} null) when false
 * @param readOnly   refuses client writes
 * @param replica    its replica status row, {@link ReplicaStatus#NOT_A_REPLICA} when it has none
 * @param executed   the GTIDs it has applied, {@code null} when never read
 */
public record NodeState(NodeId id, NodeSettings settings, boolean up, boolean reachable, boolean readOnly,
        ReplicaStatus replica, GtidSet executed) {

    public NodeState {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(settings, "settings");
        replica = replica == null ? ReplicaStatus.NOT_A_REPLICA : replica;
    }

    /** Writable and not replicating: a primary, or a node that thinks it is one. */
    public boolean looksPrimary() {
        return reachable && !readOnly && !replica.replicating();
    }

    /**
     * Everything this node holds or will hold without help from its source: what it applied plus,
     * while its applier runs, what its receiver has fetched into the relay log. A stopped applier
     * applies nothing more, so such a node counts by what it applied.
     */
    GtidSet position() {
        if (executed == null) {
            return null;
        }
        String received = replica.receivedGtids();
        if (!replica.sqlRunning() || received == null || received.isBlank()) {
            return executed;
        }
        try {
            return executed.union(GtidSet.parse(executed.flavor(), received));
        } catch (IllegalArgumentException e) {
            return executed;
        }
    }

    Flavor flavor() {
        return executed == null ? null : executed.flavor();
    }

    /** Whether this node's receiver is configured for {@code source} (loopback names are one host). */
    boolean replicatesFrom(NodeId source) {
        return replica.replicating() && replica.sourcePort() == source.port()
                && sameHost(source.host(), replica.sourceHost());
    }

    private static boolean sameHost(String a, String b) {
        return b != null && (a.equalsIgnoreCase(b) || (isLoopback(a) && isLoopback(b)));
    }

    private static boolean isLoopback(String h) {
        return h.equals("127.0.0.1") || h.equalsIgnoreCase("localhost") || h.equals("::1");
    }
}
