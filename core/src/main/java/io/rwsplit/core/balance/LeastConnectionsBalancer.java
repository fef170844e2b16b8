package io.rwsplit.core.balance;

import io.rwsplit.core.topology.NodeView;
import java.util.List;

/**
 * Least connections: the candidate with the fewest requests in flight
 * ({@link io.rwsplit.core.topology.NodeStats#inFlight()}), equally loaded ones in turn. It adapts to
 * replicas of unequal speed without configuration, because a slow replica holds its requests longer
 * and so is offered fewer new ones.
 */
final class LeastConnectionsBalancer implements LoadBalancer {

    private final LowestScore lowest = new LowestScore();

    @Override
    public NodeView pick(List<NodeView> candidates, long affinityKey) {
        return lowest.pick(candidates, node -> node.stats().inFlight());
    }
}
