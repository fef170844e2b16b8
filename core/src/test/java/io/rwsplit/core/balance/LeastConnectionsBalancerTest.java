package io.rwsplit.core.balance;

import static io.rwsplit.core.balance.Nodes.counts;
import static io.rwsplit.core.balance.Nodes.loaded;
import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.core.topology.NodeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LeastConnectionsBalancerTest {

    private final LoadBalancer balancer = new LeastConnectionsBalancer();

    @Test
    void picksTheLeastBusyNode() {
        List<NodeView> nodes = List.of(loaded("a", 3, 0), loaded("b", 1, 0), loaded("c", 2, 0));

        assertThat(counts(balancer, nodes, 1_000)).isEqualTo(Map.of("a", 0, "b", 1_000, "c", 0));
    }

    @Test
    void ignoresResponseTime() {
        List<NodeView> nodes = List.of(loaded("fast", 2, 1), loaded("slow", 1, 500));

        assertThat(balancer.pick(nodes, 0).name()).isEqualTo("slow");
    }

    @Test
    void spreadsEvenlyAmongTheTiedLeastBusy() {
        List<NodeView> nodes = List.of(loaded("a", 1, 0), loaded("b", 5, 0), loaded("c", 1, 0));

        assertThat(counts(balancer, nodes, 1_000)).isEqualTo(Map.of("a", 500, "b", 0, "c", 500));
    }

    @Test
    void neverPicksABusierNodeThanAnAvailableOne() {
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 2_000; trial++) {
            List<NodeView> nodes = new ArrayList<>();
            int size = 1 + random.nextInt(6);
            for (int i = 0; i < size; i++) {
                nodes.add(loaded("n" + i, random.nextInt(4), 0));
            }
            int least = nodes.stream().mapToInt(n -> n.stats().inFlight()).min().orElseThrow();

            assertThat(balancer.pick(nodes, 0).stats().inFlight()).as("pick among %s", nodes).isEqualTo(least);
        }
    }

    @Test
    void followsLoadAsItChanges() {
        NodeView a = loaded("a", 0, 0);
        NodeView b = loaded("b", 0, 0);
        List<NodeView> nodes = List.of(a, b);

        // Each pick starts a request that stays open: the balancer must alternate to keep load level.
        for (int i = 0; i < 100; i++) {
            balancer.pick(nodes, 0).stats().begin();
        }

        assertThat(a.stats().inFlight()).isEqualTo(50);
        assertThat(b.stats().inFlight()).isEqualTo(50);
    }
}
