package io.rwsplit.core.topology;

import io.rwsplit.core.flavor.Flavor;
import io.rwsplit.core.flavor.GtidSet;
import io.rwsplit.core.flavor.ReplicaStatus;
import java.time.Duration;

/**
 * What one probe of one node found, or why it failed.
 *
 * @param heartbeatLag replication delay measured with the heartbeat table, or {@code null}
 */
record ProbeResult(NodeId node, boolean ok, String error, Flavor flavor, boolean readOnly, ReplicaStatus replica,
        GtidSet executed, Duration heartbeatLag) {

    static ProbeResult failed(NodeId node, String error) {
        return new ProbeResult(node, false, error, null, true, ReplicaStatus.NOT_A_REPLICA, null, null);
    }

    /** Writable and not replicating: what a primary looks like. */
    boolean looksPrimary() {
        return ok && !readOnly && !replica.replicating();
    }
}
