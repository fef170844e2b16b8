package io.rwsplit.core.failover;

import static io.rwsplit.core.failover.Nodes.PRIMARY;
import static io.rwsplit.core.failover.Nodes.R1;
import static io.rwsplit.core.failover.Nodes.R2;
import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.core.flavor.Flavor;
import io.rwsplit.core.flavor.ReplicaStatus;
import io.rwsplit.core.topology.NodeSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionTest {

    private final Nodes nodes = new Nodes(Flavor.MARIADB);

    @Test
    void aDownPrimaryThatNoReplicaReceivesFromIsFailedOver() {
        Detection.Verdict v = Detection.judge(PRIMARY, List.of(nodes.deadPrimary("0-1-16"),
                nodes.replica(R1, "0-1-16", "0-1-16"), nodes.replica(R2, "0-1-16", "0-1-16")));

        assertThat(v.failOver()).isTrue();
        assertThat(v.reason()).isEqualTo("db1 is down and none of the 2 reachable replicas receives from it");
    }

    @Test
    void aReplicaStillConnectedToThePrimaryBreaksTheTie() {
        // only this instance lost the primary: db3's receiver still runs ("Yes")
        Detection.Verdict v = Detection.judge(PRIMARY, List.of(nodes.deadPrimary("0-1-16"),
                nodes.replica(R1, "0-1-16", "0-1-16"),
                nodes.replica(R2, NodeSettings.DEFAULT, true, true, "0-1-16", "0-1-16")));

        assertThat(v.failOver()).isFalse();
        assertThat(v.reason()).isEqualTo("db1 is down for this instance, but db3 still receives from it");
    }

    @Test
    void anUpPrimaryIsNotFailedOver() {
        NodeState up = new NodeState(PRIMARY, NodeSettings.DEFAULT, true, true, false, ReplicaStatus.NOT_A_REPLICA,
                nodes.gtids("0-1-16"));

        assertThat(Detection.judge(PRIMARY, List.of(up, nodes.replica(R1, "0-1-16", "0-1-16"))).failOver()).isFalse();
    }

    @Test
    void withoutAReachableReplicaNothingIsFailedOver() {
        NodeState gone = new NodeState(R1, NodeSettings.DEFAULT, false, false, true, null, null);

        Detection.Verdict v = Detection.judge(PRIMARY, List.of(nodes.deadPrimary("0-1-16"), gone));

        assertThat(v.failOver()).isFalse();
        assertThat(v.reason()).isEqualTo("db1 is down and no replica is reachable");
    }
}
