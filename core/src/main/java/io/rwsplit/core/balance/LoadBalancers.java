package io.rwsplit.core.balance;

import io.rwsplit.core.config.BalanceStrategy;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Makes the {@link LoadBalancer} for a configured {@link BalanceStrategy}.
 *
 * <p>Every call returns a new instance with its own state (round-robin position, smooth weights),
 * so two front ends, or two tests, never influence each other.
 */
public final class LoadBalancers {

    private LoadBalancers() {
    }

    /**
     * @param strategy the configured strategy
     * @param random   where {@code random} and {@code p2c} draw from; pass a seeded generator for
     *                 repeatable picks. It need not be thread-safe: every draw holds the generator's
     *                 monitor ({@code synchronized (random)}), so a non-thread-safe one such as
     *                 {@code RandomGenerator.of("L64X128MixRandom")} may be used, and shared by
     *                 several balancers. Code elsewhere drawing from the same instance must
     *                 synchronize on it too.
     * @return a new balancer, safe for concurrent use
     */
    public static LoadBalancer create(BalanceStrategy strategy, RandomGenerator random) {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(random, "random");
        return switch (strategy) {
            case ROUND_ROBIN -> new RoundRobinBalancer();
            case WEIGHTED -> new SmoothWeightedBalancer();
            case RANDOM -> new RandomBalancer(new SharedRandom(random));
            case LEAST_CONNECTIONS -> new LeastConnectionsBalancer();
            case LEAST_RESPONSE_TIME -> new LeastResponseTimeBalancer();
            case OBSERVED -> new ObservedBalancer();
            case P2C -> new PowerOfTwoChoicesBalancer(new SharedRandom(random));
            case HASH -> new RendezvousHashBalancer();
        };
    }
}
