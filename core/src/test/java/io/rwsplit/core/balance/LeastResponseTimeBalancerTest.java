package io.rwsplit.core.balance;

import static io.rwsplit.core.balance.Nodes.counts;
import static io.rwsplit.core.balance.Nodes.loaded;
import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.core.topology.NodeView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeastResponseTimeBalancerTest {

    private final LoadBalancer balancer = new LeastResponseTimeBalancer();

    @Test
    void prefersTheFasterNode() {
        List<NodeView> nodes = List.of(loaded("a", 0, 10), loaded("b", 0, 2), loaded("c", 0, 5));

        assertThat(counts(balancer, nodes, 1_000)).isEqualTo(Map.of("a", 0, "b", 1_000, "c", 0));
    }

    @Test
    void ignoresConnections() {
        List<NodeView> nodes = List.of(loaded("idle-slow", 0, 20), loaded("busy-fast", 9, 2));

        assertThat(balancer.pick(nodes, 0).name()).isEqualTo("busy-fast");
    }

    @Test
    void triesANodeWithoutSamplesFirst() {
        NodeView fresh = loaded("fresh", 0, 0);
        List<NodeView> nodes = List.of(loaded("a", 0, 2), fresh, loaded("c", 0, 5));

        assertThat(balancer.pick(nodes, 0)).isSameAs(fresh);

        fresh.stats().record(Duration.ofMillis(8).toNanos());
        assertThat(balancer.pick(nodes, 0).name()).isEqualTo("a");
    }

    @Test
    void spreadsAmongUnsampledNodes() {
        List<NodeView> nodes = List.of(loaded("a", 0, 0), loaded("b", 0, 0), loaded("c", 0, 3));

        assertThat(counts(balancer, nodes, 1_000)).isEqualTo(Map.of("a", 500, "b", 500, "c", 0));
    }
}
