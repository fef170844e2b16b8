package io.rwsplit.core.balance;

import static io.rwsplit.core.balance.Nodes.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rwsplit.core.topology.NodeView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RendezvousHashBalancerTest {

    private static final int KEYS = 10_000;

    private final LoadBalancer balancer = new RendezvousHashBalancer();
    private final List<NodeView> nodes = List.of(node("a"), node("b"), node("c"), node("d"));

    private Map<Long, String> assign(List<NodeView> candidates) {
        Map<Long, String> owner = new HashMap<>();
        for (long key = 0; key < KEYS; key++) {
            owner.put(key, balancer.pick(candidates, key).name());
        }
        return owner;
    }

    private static Map<String, Integer> load(Map<Long, String> owner) {
        Map<String, Integer> counts = new HashMap<>();
        owner.values().forEach(name -> counts.merge(name, 1, Integer::sum));
        return counts;
    }

    @Test
    void sameKeyAlwaysGoesToTheSameNode() {
        String first = balancer.pick(nodes, 123_456_789L).name();

        for (int i = 0; i < 1_000; i++) {
            assertThat(balancer.pick(nodes, 123_456_789L).name()).isEqualTo(first);
        }
    }

    @Test
    void mappingDoesNotDependOnListOrderOrInstance() {
        List<NodeView> shuffled = new ArrayList<>(nodes);
        Collections.shuffle(shuffled, new Random(5));

        LoadBalancer other = new RendezvousHashBalancer();
        for (long key = 0; key < 1_000; key++) {
            assertThat(other.pick(shuffled, key).name()).isEqualTo(balancer.pick(nodes, key).name());
        }
    }

    @Test
    void removingANodeMovesOnlyItsKeys() {
        Map<Long, String> before = assign(nodes);
        Map<Long, String> after = assign(List.of(nodes.get(0), nodes.get(1), nodes.get(3)));

        int moved = 0;
        for (long key = 0; key < KEYS; key++) {
            if (before.get(key).equals("c")) {
                assertThat(after.get(key)).isNotEqualTo("c");
                moved++;
            } else {
                assertThat(after.get(key)).as("key %d", key).isEqualTo(before.get(key));
            }
        }
        assertThat(moved).isEqualTo(load(before).get("c"));
    }

    @Test
    void keysOfARemovedNodeSpreadOverTheRest() {
        Map<Long, String> before = assign(nodes);
        Map<Long, String> after = assign(List.of(nodes.get(0), nodes.get(1), nodes.get(3)));

        Map<String, Integer> newHomes = new HashMap<>();
        before.forEach((key, owner) -> {
            if (owner.equals("c")) {
                newHomes.merge(after.get(key), 1, Integer::sum);
            }
        });
        int movedKeys = load(before).get("c");
        assertThat(newHomes).containsOnlyKeys("a", "b", "d");
        newHomes.values().forEach(n -> assertThat(n / (double) movedKeys).isCloseTo(1.0 / 3, within(0.06)));
    }

    @Test
    void keysSpreadEvenly() {
        // A fair share is 2,500 with a standard deviation near 43; ±8 % is more than 4.5 of them.
        Map<String, Integer> counts = load(assign(nodes));

        assertThat(counts).containsOnlyKeys("a", "b", "c", "d");
        counts.values().forEach(n -> assertThat(n).isCloseTo(2_500, within(200)));
    }

    @Test
    void sharesFollowWeights() {
        Map<String, Integer> counts = load(assign(List.of(node("light", 1), node("heavy", 3))));

        assertThat(counts.get("light") / (double) KEYS).isCloseTo(0.25, within(0.02));
    }

    @Test
    void weightZeroTakesNoKeysUnlessAllAreZero() {
        assertThat(load(assign(List.of(node("off", 0), node("on", 1))))).containsOnlyKeys("on");

        Map<String, Integer> allOff = load(assign(List.of(node("x", 0), node("y", 0))));
        assertThat(allOff).containsOnlyKeys("x", "y");
        assertThat(allOff.get("x") / (double) KEYS).isCloseTo(0.5, within(0.03));
    }
}
