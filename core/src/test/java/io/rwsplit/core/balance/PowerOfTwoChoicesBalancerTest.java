package io.rwsplit.core.balance;

import static io.rwsplit.core.balance.Nodes.counts;
import static io.rwsplit.core.balance.Nodes.loaded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rwsplit.core.topology.NodeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

class PowerOfTwoChoicesBalancerTest {

    private final LoadBalancer balancer =
            new PowerOfTwoChoicesBalancer(new SharedRandom(RandomGeneratorFactory.of("L64X128MixRandom").create(11)));

    @Test
    void withTwoCandidatesAlwaysPicksTheLessLoaded() {
        NodeView busy = loaded("busy", 5, 1);
        NodeView light = loaded("light", 1, 100);

        assertThat(counts(balancer, List.of(busy, light), 1_000)).isEqualTo(Map.of("busy", 0, "light", 1_000));
        assertThat(counts(balancer, List.of(light, busy), 1_000)).isEqualTo(Map.of("busy", 0, "light", 1_000));
    }

    @Test
    void equalLoadGoesToTheFasterNode() {
        NodeView slow = loaded("slow", 2, 40);
        NodeView fast = loaded("fast", 2, 4);

        assertThat(counts(balancer, List.of(slow, fast), 1_000)).isEqualTo(Map.of("fast", 1_000, "slow", 0));
    }

    @Test
    void favoursLightNodesOverManyCandidates() {
        // n0 has 0 in flight ... n9 has 9. A node wins when drawn with a busier one: the least
        // loaded gets 2/n = 20 %, twice uniform, and the most loaded can never win.
        List<NodeView> nodes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            nodes.add(loaded("n" + i, i, 1));
        }

        Map<String, Integer> counts = counts(balancer, nodes, 20_000);

        assertThat(counts.get("n9")).isZero();
        assertThat(counts.get("n0") / 20_000.0).isCloseTo(0.20, within(0.015));
        assertThat(counts.get("n8") / 20_000.0).isCloseTo(2.0 / 90, within(0.006));
    }

    @Test
    void spreadsEqualNodes() {
        List<NodeView> nodes = List.of(loaded("a", 0, 0), loaded("b", 0, 0), loaded("c", 0, 0));

        counts(balancer, nodes, 30_000).values().forEach(n -> assertThat(n).isCloseTo(10_000, within(400)));
    }

    @Test
    void oneCandidateIsAlwaysPicked() {
        NodeView only = loaded("only", 7, 7);

        assertThat(balancer.pick(List.of(only), 0)).isSameAs(only);
    }
}
