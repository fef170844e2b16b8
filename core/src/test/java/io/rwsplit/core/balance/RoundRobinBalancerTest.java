package io.rwsplit.core.balance;

import static io.rwsplit.core.balance.Nodes.counts;
import static io.rwsplit.core.balance.Nodes.node;
import static io.rwsplit.core.balance.Nodes.sequence;
import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.core.topology.NodeView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoundRobinBalancerTest {

    private final LoadBalancer balancer = new RoundRobinBalancer();
    private final NodeView a = node("a");
    private final NodeView b = node("b");
    private final NodeView c = node("c");

    @Test
    void givesEachNodeExactlyItsTurn() {
        assertThat(counts(balancer, List.of(a, b, c), 3_000)).isEqualTo(Map.of("a", 1_000, "b", 1_000, "c", 1_000));
    }

    @Test
    void visitsNodesInListOrder() {
        assertThat(sequence(balancer, List.of(a, b, c), 7)).isEqualTo("abcabca");
    }

    @Test
    void keepsWorkingWhenTheListShrinksAndGrows() {
        sequence(balancer, List.of(a, b, c), 5);

        assertThat(counts(balancer, List.of(a, b), 2_000)).isEqualTo(Map.of("a", 1_000, "b", 1_000));
        assertThat(counts(balancer, List.of(c), 10)).isEqualTo(Map.of("c", 10));
        assertThat(counts(balancer, List.of(a, b, c), 3_000)).isEqualTo(Map.of("a", 1_000, "b", 1_000, "c", 1_000));
    }
}
