package io.rwsplit.core.balance;

import static io.rwsplit.core.balance.Nodes.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.rwsplit.core.config.BalanceStrategy;
import io.rwsplit.core.topology.NodeView;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LoadBalancersTest {

    private static RandomGenerator random() {
        return RandomGeneratorFactory.of("L64X128MixRandom").create(1);
    }

    @Test
    void eachStrategyGetsItsAlgorithm() {
        Map<BalanceStrategy, Class<?>> expected = Map.of(
                BalanceStrategy.ROUND_ROBIN, RoundRobinBalancer.class,
                BalanceStrategy.WEIGHTED, SmoothWeightedBalancer.class,
                BalanceStrategy.RANDOM, RandomBalancer.class,
                BalanceStrategy.LEAST_CONNECTIONS, LeastConnectionsBalancer.class,
                BalanceStrategy.LEAST_RESPONSE_TIME, LeastResponseTimeBalancer.class,
                BalanceStrategy.OBSERVED, ObservedBalancer.class,
                BalanceStrategy.P2C, PowerOfTwoChoicesBalancer.class,
                BalanceStrategy.HASH, RendezvousHashBalancer.class);

        assertThat(expected).hasSize(BalanceStrategy.values().length);
        expected.forEach((strategy, type) -> assertThat(LoadBalancers.create(strategy, random())).isInstanceOf(type));
    }

    @ParameterizedTest
    @EnumSource(BalanceStrategy.class)
    void everyCallMakesANewBalancer(BalanceStrategy strategy) {
        RandomGenerator random = random();

        assertThat(LoadBalancers.create(strategy, random)).isNotSameAs(LoadBalancers.create(strategy, random));
    }

    @ParameterizedTest
    @EnumSource(BalanceStrategy.class)
    void everyStrategyPicksOnlyFromTheCandidates(BalanceStrategy strategy) {
        LoadBalancer balancer = LoadBalancers.create(strategy, random());
        NodeView only = node("only");
        List<NodeView> three = List.of(node("a"), node("b"), node("c"));

        for (int i = 0; i < 100; i++) {
            assertThat(balancer.pick(List.of(only), i)).isSameAs(only);
            assertThat(balancer.pick(three, i)).isIn(three);
        }
    }

    @Test
    void instancesDoNotShareState() {
        List<NodeView> nodes = List.of(node("a"), node("b"));
        LoadBalancer first = LoadBalancers.create(BalanceStrategy.ROUND_ROBIN, random());
        first.pick(nodes, 0);

        assertThat(LoadBalancers.create(BalanceStrategy.ROUND_ROBIN, random()).pick(nodes, 0).name()).isEqualTo("a");
    }

    @Test
    void rejectsNulls() {
        assertThatNullPointerException().isThrownBy(() -> LoadBalancers.create(null, random()));
        assertThatNullPointerException().isThrownBy(() -> LoadBalancers.create(BalanceStrategy.RANDOM, null));
    }
}
