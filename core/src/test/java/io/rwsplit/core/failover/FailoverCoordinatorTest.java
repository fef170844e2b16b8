package io.rwsplit.core.failover;

import static io.rwsplit.core.failover.Nodes.PRIMARY;
import static io.rwsplit.core.failover.Nodes.R1;
import static io.rwsplit.core.failover.Nodes.R2;
import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.core.config.FailoverMode;
import io.rwsplit.core.flavor.Flavor;
import io.rwsplit.core.flavor.ReplicaStatus;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.core.topology.NodeSettings;
import io.rwsplit.core.topology.ProbeConnector;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's policy without servers: every connection it opens is refused (as from a host
 * where nothing listens), which is recorded, so the tests see whether it tried to promote or fence.
 */
class FailoverCoordinatorTest {

    private final Nodes nodes = new Nodes(Flavor.MARIADB);
    private final List<NodeId> dialed = new CopyOnWriteArrayList<>();
    private final ProbeConnector refused = node -> {
        dialed.add(node);
        throw new SQLException("Connection refused", "08S01");
    };

    private NodeState up(NodeId id, boolean readOnly) {
        return new NodeState(id, NodeSettings.DEFAULT, true, true, readOnly, ReplicaStatus.NOT_A_REPLICA,
                nodes.gtids("0-1-5"));
    }

    @Test
    void followNeitherPromotesNorFences() {
        FailoverCoordinator c = new FailoverCoordinator(FailoverMode.FOLLOW, refused);
        List<NodeState> down = List.of(nodes.deadPrimary("0-1-5"), nodes.replica(R1, "0-1-5", "0-1-5"));

        assertThat(c.afterPass(List.of(up(PRIMARY, false)), PRIMARY, null)).isFalse();
        assertThat(c.afterPass(down, null, PRIMARY)).isFalse();
        assertThat(c.afterPass(List.of(up(PRIMARY, false), up(R1, false)), R1, null)).isFalse();

        assertThat(dialed).isEmpty();
        assertThat(c.fenced()).isEmpty();
    }

    @Test
    void aReplacedPrimaryIsFencedAndForgivenOnceItReplicatesAgain() {
        FailoverCoordinator c = new FailoverCoordinator(FailoverMode.PROMOTE, refused);
        c.afterPass(List.of(up(PRIMARY, false), nodes.replica(R1, "0-1-5", "0-1-5")), PRIMARY, null);

        // another instance (or an operator) promoted R1
        c.afterPass(List.of(nodes.deadPrimary("0-1-5"), up(R1, false)), R1, null);
        assertThat(c.fenced()).containsExactly(PRIMARY);

        // the old primary comes back writable: fenced again (the connection is refused here)
        c.afterPass(List.of(up(PRIMARY, false), up(R1, false)), R1, null);
        assertThat(dialed).containsExactly(PRIMARY);

        // an operator made it a replica of R1: no longer fenced
        c.afterPass(List.of(nodes.replica(PRIMARY, "0-1-5", "0-1-5"), up(R1, false)), R1, null);
        assertThat(c.fenced()).isEmpty();
    }

    @Test
    void aPrimaryAReplicaStillReceivesFromIsNotFailedOver() {
        FailoverCoordinator c = new FailoverCoordinator(FailoverMode.PROMOTE, refused);

        boolean changed = c.afterPass(List.of(nodes.deadPrimary("0-1-5"),
                nodes.replica(R1, NodeSettings.DEFAULT, true, true, "0-1-5", "0-1-5"),
                nodes.replica(R2, "0-1-5", "0-1-5")), null, PRIMARY);

        assertThat(changed).isFalse();
        assertThat(dialed).as("no promotion attempted").isEmpty();
    }

    @Test
    void withoutAMajorityForTheLockNothingIsPromoted() {
        FailoverCoordinator c = new FailoverCoordinator(FailoverMode.PROMOTE, refused);

        boolean changed = c.afterPass(List.of(nodes.deadPrimary("0-1-5"), nodes.replica(R1, "0-1-5", "0-1-5"),
                nodes.replica(R2, "0-1-5", "0-1-5")), null, PRIMARY);

        assertThat(changed).isFalse();
        assertThat(dialed).containsExactly(PRIMARY, R1, R2);
        assertThat(c.promotions()).isZero();
        assertThat(c.fenced()).isEmpty();
    }
}
