package io.rwsplit.core.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuspectsTest {

    private static NodeView node(String name, Role role, Duration lag) {
        return new NodeView(new NodeId(name, name + ".db", 3306), role, Health.UP, lag, null, NodeSettings.DEFAULT,
                false, new NodeStats());
    }

    private static final NodeView PRIMARY = node("p", Role.PRIMARY, Duration.ZERO);
    private static final NodeView REPLICA = node("r", Role.REPLICA, Duration.ZERO);
    private static final TopologySnapshot UP = new TopologySnapshot(1, List.of(PRIMARY, REPLICA));

    private static Health health(TopologySnapshot t, NodeView n) {
        return t.node(n.id()).orElseThrow().health();
    }

    @Test
    void aSuspectIsDownUntilTheMonitorHasPassedFailCountPlusOneMoreTimes() {
        Suspects s = new Suspects(3);
        s.suspect(REPLICA.id(), 10);
        for (long pass = 10; pass <= 14; pass++) {
            assertThat(health(s.apply(UP, pass), REPLICA)).as("pass %d", pass).isEqualTo(Health.DOWN);
        }
        assertThat(health(s.apply(UP, 15), REPLICA)).isEqualTo(Health.UP);
        assertThat(health(s.apply(UP, 10), REPLICA)).as("cleared for good").isEqualTo(Health.UP);
        assertThat(health(s.apply(UP, 10), PRIMARY)).isEqualTo(Health.UP);
    }

    @Test
    void aReplicaWithoutAKnownLagStaysSuspect() {
        Suspects s = new Suspects(1);
        s.suspect(REPLICA.id(), 0);
        TopologySnapshot noLag = new TopologySnapshot(2, List.of(PRIMARY, node("r", Role.REPLICA, null)));
        assertThat(health(s.apply(noLag, 100), REPLICA)).isEqualTo(Health.DOWN);
        assertThat(health(s.apply(UP, 100), REPLICA)).isEqualTo(Health.UP);
    }

    @Test
    void nothingSuspectLeavesTheSnapshotAsItIs() {
        assertThat(new Suspects(3).apply(UP, 5)).isSameAs(UP);
    }
}
