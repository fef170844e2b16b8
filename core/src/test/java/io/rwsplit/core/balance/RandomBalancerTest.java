package io.rwsplit.core.balance;

import static io.rwsplit.core.balance.Nodes.counts;
import static io.rwsplit.core.balance.Nodes.node;
import static io.rwsplit.core.balance.Nodes.sequence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rwsplit.core.topology.NodeView;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

class RandomBalancerTest {

    private final List<NodeView> nodes = List.of(node("a"), node("b"), node("c"));

    private static LoadBalancer seeded(long seed) {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        return new RandomBalancer(new SharedRandom(random));
    }

    @Test
    void spreadsRoughlyUniformly() {
        Map<String, Integer> counts = counts(seeded(42), nodes, 30_000);

        // ±3 % of a third is about 3.7 standard deviations of a fair count.
        counts.values().forEach(n -> assertThat(n).isCloseTo(10_000, within(300)));
    }

    @Test
    void sameSeedGivesSamePicks() {
        assertThat(sequence(seeded(7), nodes, 200)).isEqualTo(sequence(seeded(7), nodes, 200));
    }

    @Test
    void oneCandidateIsAlwaysPicked() {
        assertThat(counts(seeded(1), List.of(nodes.get(1)), 100)).isEqualTo(Map.of("b", 100));
    }
}
