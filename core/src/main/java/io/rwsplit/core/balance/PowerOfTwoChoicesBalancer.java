package io.rwsplit.core.balance;

import io.rwsplit.core.topology.NodeStats;
import io.rwsplit.core.topology.NodeView;
import java.util.List;

/**
 * Power of two choices: draw two distinct candidates at random and take the one with fewer
 * requests in flight; on a tie the lower response time, then the first drawn. Sampling two
 * instead of scanning all keeps most of least-connections' benefit (the busiest node is never
 * chosen over another, the least busy twice as often as uniform would) while avoiding its herd
 * effect: many front ends reading the same slightly stale counts do not all rush the one node
 * that looks idlest.
 */
final class PowerOfTwoChoicesBalancer implements LoadBalancer {

    private final SharedRandom random;

    PowerOfTwoChoicesBalancer(SharedRandom random) {
        this.random = random;
    }

    @Override
    public NodeView pick(List<NodeView> candidates, long affinityKey) {
        int size = candidates.size();
        if (size == 1) {
            return candidates.get(0);
        }
        int first = random.nextInt(size);
        int second = random.nextInt(size - 1);
        if (second >= first) {
            second++; // draw from the others, so the two are distinct and uniform
        }
        NodeView a = candidates.get(first);
        NodeView b = candidates.get(second);
        return prefersSecond(a.stats(), b.stats()) ? b : a;
    }

    private static boolean prefersSecond(NodeStats a, NodeStats b) {
        int aInFlight = a.inFlight();
        int bInFlight = b.inFlight();
        if (aInFlight != bInFlight) {
            return bInFlight < aInFlight;
        }
        return b.responseTimeNanos() < a.responseTimeNanos();
    }
}
