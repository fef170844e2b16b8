package io.rwsplit.core.balance;

import io.rwsplit.core.topology.NodeView;
import java.util.List;

/**
 * Least response time: the candidate with the lowest smoothed response time
 * ({@link io.rwsplit.core.topology.NodeStats#responseTimeNanos()}), equal ones in turn. A node with
 * no sample yet reports 0 and so counts as the fastest: it is tried at once and its first answer
 * puts it in its place. Without that a new or returning replica would never be measured.
 */
final class LeastResponseTimeBalancer implements LoadBalancer {

    private final LowestScore lowest = new LowestScore();

    @Override
    public NodeView pick(List<NodeView> candidates, long affinityKey) {
        return lowest.pick(candidates, node -> node.stats().responseTimeNanos());
    }
}
