package io.rwsplit.core.balance;

import static io.rwsplit.core.balance.Nodes.counts;
import static io.rwsplit.core.balance.Nodes.node;
import static io.rwsplit.core.balance.Nodes.sequence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rwsplit.core.topology.NodeView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmoothWeightedBalancerTest {

    private final SmoothWeightedBalancer balancer = new SmoothWeightedBalancer();

    @Test
    void sharesFollowWeights() {
        // Smooth WRR is exact over every whole cycle of total weight (4 here), well inside ±2 %.
        assertThat(counts(balancer, List.of(node("a", 1), node("b", 3)), 10_000))
                .isEqualTo(Map.of("a", 2_500, "b", 7_500));
    }

    @Test
    void sharesFollowThreeUnequalWeights() {
        assertThat(counts(balancer, List.of(node("a", 2), node("b", 3), node("c", 5)), 10_000))
                .isEqualTo(Map.of("a", 2_000, "b", 3_000, "c", 5_000));
    }

    @Test
    void interleavesInsteadOfBursting() {
        List<NodeView> nodes = List.of(node("a", 5), node("b", 1), node("c", 1));

        assertThat(sequence(balancer, nodes, 14)).isEqualTo("aabacaa" + "aabacaa");
    }

    @Test
    void heavyNodeNeverGetsMoreThanItsWeightInARow() {
        String picks = sequence(balancer, List.of(node("a", 1), node("b", 3)), 1_000);

        assertThat(picks).doesNotContain("bbbb").doesNotContain("aa");
    }

    @Test
    void neverPicksWeightZero() {
        assertThat(counts(balancer, List.of(node("a", 0), node("b", 1), node("c", 2)), 3_000))
                .isEqualTo(Map.of("a", 0, "b", 1_000, "c", 2_000));
    }

    @Test
    void fallsBackToRoundRobinWhenAllWeightsAreZero() {
        assertThat(counts(balancer, List.of(node("a", 0), node("b", 0), node("c", 0)), 3_000))
                .isEqualTo(Map.of("a", 1_000, "b", 1_000, "c", 1_000));
    }

    @Test
    void dropsStateOfNodesThatAreNoLongerCandidates() {
        NodeView a = node("a", 1);
        NodeView b = node("b", 3);
        sequence(balancer, List.of(a, b, node("c", 2)), 7);
        assertThat(balancer.trackedNodes()).isEqualTo(3);

        // The survivors keep their current values, which c's departure leaves a few picks off
        // balance; the offset is bounded by the total weight and does not grow.
        Map<String, Integer> counts = counts(balancer, List.of(a, b), 4_000);
        assertThat(counts.get("a")).isCloseTo(1_000, within(6));
        assertThat(counts.get("c")).isNull();
        assertThat(balancer.trackedNodes()).isEqualTo(2);

        sequence(balancer, List.of(node("a", 0), node("b", 0)), 3);
        assertThat(balancer.trackedNodes()).isZero();
    }

    @Test
    void aNodeListedTwiceCountsOnce() {
        NodeView a = node("a", 1);
        NodeView b = node("b", 1);

        Map<String, Integer> counts = counts(balancer, List.of(a, b, b), 2_000);

        assertThat(counts).isEqualTo(Map.of("a", 1_000, "b", 1_000));
    }
}
