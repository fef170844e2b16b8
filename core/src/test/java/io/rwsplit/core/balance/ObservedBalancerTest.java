package io.rwsplit.core.balance;

import static io.rwsplit.core.balance.Nodes.counts;
import static io.rwsplit.core.balance.Nodes.loaded;
import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.core.topology.NodeView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObservedBalancerTest {

    private final LoadBalancer balancer = new ObservedBalancer();

    @Test
    void scoreIsQueueTimesResponseTime() {
        assertThat(ObservedBalancer.score(loaded("x", 4, 10))).isEqualTo(5 * 10_000_000.0);
        assertThat(ObservedBalancer.score(loaded("x", 0, 0))).isEqualTo(1.0);
        assertThat(ObservedBalancer.score(loaded("x", 3, 0))).isEqualTo(4.0);
    }

    @Test
    void busierFastNodeBeatsQuietSlowNode() {
        // quiet-slow: (1 + 1) * 50 ms = 100 ms; busy-fast: (4 + 1) * 10 ms = 50 ms
        NodeView quietSlow = loaded("quiet-slow", 1, 50);
        NodeView busyFast = loaded("busy-fast", 4, 10);

        assertThat(balancer.pick(List.of(quietSlow, busyFast), 0)).isSameAs(busyFast);
        assertThat(new LeastConnectionsBalancer().pick(List.of(quietSlow, busyFast), 0)).isSameAs(quietSlow);
    }

    @Test
    void queueOutweighsSpeedPastThePoint() {
        // quiet-slow: 2 * 50 ms = 100 ms; busy-fast: (9 + 1) * 15 ms = 150 ms
        NodeView quietSlow = loaded("quiet-slow", 1, 50);
        NodeView busyFast = loaded("busy-fast", 9, 15);

        assertThat(balancer.pick(List.of(quietSlow, busyFast), 0)).isSameAs(quietSlow);
        assertThat(new LeastResponseTimeBalancer().pick(List.of(quietSlow, busyFast), 0)).isSameAs(busyFast);
    }

    @Test
    void unsampledNodesAreTriedAndRankedByLoad() {
        List<NodeView> nodes = List.of(loaded("measured", 0, 1), loaded("new-busy", 2, 0), loaded("new-idle", 0, 0));

        assertThat(balancer.pick(nodes, 0).name()).isEqualTo("new-idle");
    }

    @Test
    void equalScoresShareEvenly() {
        // 2 * 10 ms == 4 * 5 ms
        List<NodeView> nodes = List.of(loaded("a", 1, 10), loaded("b", 3, 5), loaded("c", 0, 30));

        assertThat(counts(balancer, nodes, 1_000)).isEqualTo(Map.of("a", 500, "b", 500, "c", 0));
    }
}
