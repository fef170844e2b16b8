package io.rwsplit.core.balance;

import java.util.random.RandomGenerator;

/**
 * Makes an injected generator safe to draw from on many threads. Most {@link RandomGenerator}
 * algorithms (the LXM family, {@code SplittableRandom}) keep unguarded state, and one generator may
 * be handed to several balancers, so the lock is the generator itself rather than a private
 * object: that way every balancer sharing it takes the same lock. An uncontended monitor costs far
 * less than the network round trip a pick precedes.
 */
final class SharedRandom {

    private final RandomGenerator random;

    SharedRandom(RandomGenerator random) {
        this.random = random;
    }

    /** Uniform in {@code [0, bound)}; {@code bound} is positive. */
    int nextInt(int bound) {
        synchronized (random) {
            return random.nextInt(bound);
        }
    }
}
