package io.rwsplit.core.balance;

import io.rwsplit.core.topology.NodeView;
import java.util.List;

/**
 * Uniform random choice. Needs no shared position, and with a seeded generator a test can replay
 * the exact sequence.
 */
final class RandomBalancer implements LoadBalancer {

    private final SharedRandom random;

    RandomBalancer(SharedRandom random) {
        this.random = random;
    }

    @Override
    public NodeView pick(List<NodeView> candidates, long affinityKey) {
        return candidates.get(random.nextInt(candidates.size()));
    }
}
