package io.rwsplit.core.failover;

import io.rwsplit.core.flavor.Flavor;
import io.rwsplit.core.flavor.GtidSet;
import io.rwsplit.core.flavor.ReplicaStatus;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.core.topology.NodeSettings;

/**
 * Fake node states for failover tests, in the shapes the monitor reads from real servers: the
 * replica status fields of the recorded rows in {@code flavor/RecordedRows} (MariaDB 11.4.5
 * sandbox, MySQL 8.4 manual) and GTID texts as those servers print them.
 */
final class Nodes {

    static final NodeId PRIMARY = new NodeId("db1", "127.0.0.1", 33151);
    static final NodeId R1 = new NodeId("db2", "127.0.0.1", 33152);
    static final NodeId R2 = new NodeId("db3", "127.0.0.1", 33153);

    /** The MySQL primary's server_uuid in the manual's example, and a replica's own. */
    static final String SOURCE_UUID = "73f86016-978b-11ee-ade5-8d2a2a562feb";
    static final String REPLICA_UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    private final Flavor flavor;

    Nodes(Flavor flavor) {
        this.flavor = flavor;
    }

    /** A killed primary: unreachable, down, last seen writable. */
    NodeState deadPrimary(String executed) {
        return new NodeState(PRIMARY, NodeSettings.DEFAULT, false, false, false, ReplicaStatus.NOT_A_REPLICA,
                gtids(executed));
    }

    /**
     * A replica of {@link #PRIMARY} whose receiver lost the primary ("Connecting", as recorded after the
     * primary went away) and whose applier runs.
     */
    NodeState replica(NodeId id, String executed, String received) {
        return state(id, NodeSettings.DEFAULT, false, true, executed, received);
    }

    NodeState replica(NodeId id, NodeSettings settings, boolean ioRunning, boolean sqlRunning, String executed,
            String received) {
        return state(id, settings, ioRunning, sqlRunning, executed, received);
    }

    private NodeState state(NodeId id, NodeSettings settings, boolean ioRunning, boolean sqlRunning,
            String executed, String received) {
        ReplicaStatus status = new ReplicaStatus(true, ioRunning, sqlRunning,
                ioRunning && sqlRunning ? 0L : null, PRIMARY.host(), PRIMARY.port(),
                ioRunning ? "" : "error reconnecting to master 'repl@127.0.0.1:33151' - retry-time: 1"
                        + "  maximum-retries: 100000  message: Can't connect to server on '127.0.0.1' (111)",
                received, flavor == Flavor.MYSQL ? executed : null);
        return new NodeState(id, settings, true, true, true, status, gtids(executed));
    }

    GtidSet gtids(String text) {
        return GtidSet.parse(flavor, text);
    }
}
