package io.rwsplit.core.failover;

import static io.rwsplit.core.failover.Nodes.PRIMARY;
import static io.rwsplit.core.failover.Nodes.R1;
import static io.rwsplit.core.failover.Nodes.R2;
import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.core.flavor.Flavor;
import io.rwsplit.core.flavor.ReplicaStatus;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.core.topology.NodeSettings;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SwitchoverPlanTest {

    private final Nodes n = new Nodes(Flavor.MARIADB);

    private NodeState primary() {
        return new NodeState(PRIMARY, NodeSettings.DEFAULT, true, true, false, ReplicaStatus.NOT_A_REPLICA,
                n.gtids("0-1-20"));
    }

    /** A healthy replica of the primary, both threads running. */
    private NodeState replica(NodeId id, String executed) {
        return n.replica(id, NodeSettings.DEFAULT, true, true, executed, executed);
    }

    @Test
    void aNamedHealthyReplicaIsTheTarget() {
        SwitchoverPlan p = SwitchoverPlan.plan(PRIMARY, Optional.of("db3"),
                List.of(primary(), replica(R1, "0-1-20"), replica(R2, "0-1-19")));
        assertThat(p.refused()).isFalse();
        assertThat(p.primary()).isEqualTo(PRIMARY);
        assertThat(p.target()).isEqualTo(R2);
        assertThat(p.reason()).isEqualTo("db3 takes over from db1 (named by the operator)");
    }

    @Test
    void withoutANameTheFailoverCandidateIsTheTarget() {
        SwitchoverPlan p = SwitchoverPlan.plan(PRIMARY, Optional.empty(),
                List.of(primary(), replica(R1, "0-1-19"), replica(R2, "0-1-20")));
        assertThat(p.target()).isEqualTo(R2);
        assertThat(p.reason()).contains("holds every transaction");
    }

    @Test
    void aPrimaryThatIsDownIsFailoversBusiness() {
        NodeState down = new NodeState(PRIMARY, NodeSettings.DEFAULT, false, false, false, ReplicaStatus.NOT_A_REPLICA,
                n.gtids("0-1-20"));
        SwitchoverPlan p = SwitchoverPlan.plan(PRIMARY, Optional.of("db2"), List.of(down, replica(R1, "0-1-20")));
        assertThat(p.refused()).isTrue();
        assertThat(p.reason()).isEqualTo("the primary db1 is not healthy");
        assertThat(SwitchoverPlan.plan(null, Optional.empty(), List.of(down)).reason())
                .startsWith("there is no healthy primary");
    }

    @Test
    void aReadOnlyPrimaryIsRefused() {
        NodeState readOnly = new NodeState(PRIMARY, NodeSettings.DEFAULT, true, true, true, ReplicaStatus.NOT_A_REPLICA,
                n.gtids("0-1-20"));
        assertThat(SwitchoverPlan.plan(PRIMARY, Optional.of("db2"), List.of(readOnly, replica(R1, "0-1-20"))).reason())
                .contains("does not act as one");
    }

    @Test
    void unknownNamesThePrimaryItselfAndUnfitTargetsAreRefusedWithTheReason() {
        List<NodeState> nodes = List.of(primary(), replica(R1, "0-1-20"),
                n.replica(R2, NodeSettings.DEFAULT, true, false, "0-1-20", "0-1-20"));
        assertThat(SwitchoverPlan.plan(PRIMARY, Optional.of("db9"), nodes).reason()).isEqualTo("no node named 'db9'");
        assertThat(SwitchoverPlan.plan(PRIMARY, Optional.of("db1"), nodes).reason())
                .isEqualTo("db1 is the primary already");
        assertThat(SwitchoverPlan.plan(PRIMARY, Optional.of("db3"), nodes).reason())
                .startsWith("db3 cannot take over: replication is not running (receiver on, applier off");
    }

    @Test
    void aNodeThatMayNotBePromotedIsRefusedEvenWhenNamed() {
        NodeState kept = n.replica(R1, new NodeSettings(1, false, false), true, true, "0-1-20", "0-1-20");
        assertThat(SwitchoverPlan.plan(PRIMARY, Optional.of("db2"), List.of(primary(), kept)).reason())
                .isEqualTo("db2 cannot take over: promotable: false");
    }

    @Test
    void aReplicaOfAnotherSourceIsRefused() {
        ReplicaStatus elsewhere = new ReplicaStatus(true, true, true, 0L, "10.9.9.9", 3306, "", "0-1-20", null);
        NodeState other = new NodeState(R1, NodeSettings.DEFAULT, true, true, true, elsewhere, n.gtids("0-1-20"));
        assertThat(SwitchoverPlan.plan(PRIMARY, Optional.of("db2"), List.of(primary(), other)).reason())
                .isEqualTo("db2 cannot take over: replicates from 10.9.9.9:3306, not from db1");
    }
}
