package io.rwsplit.core.balance;

import io.rwsplit.core.topology.NodeView;
import java.util.List;

/**
 * Observed, after the F5 BIG-IP mode of that name: ranks nodes by connections and response time
 * together, lowest score wins, equal scores in turn. The score is
 *
 * <pre>(inFlight + 1) * max(responseTimeNanos, 1)</pre>
 *
 * which estimates how long a new request would take there: the requests ahead of it plus itself,
 * each taking about the node's recent response time. So a fast replica is preferred even while it
 * is somewhat busier, until its queue outweighs its speed: 4 in flight at 10 ms (score 50 ms)
 * beats 1 in flight at 50 ms (score 100 ms). Neither figure alone sees that; least connections
 * would pick the slow node and least response time would keep piling onto the fast one.
 *
 * <p>The {@code + 1} keeps an idle node's score at its response time instead of zero, so idle
 * nodes still differ by speed. The response time is at least 1 ns so that nodes without a sample
 * yet (which report 0) score by their load rather than all 0, yet still beat any measured node and
 * get tried.
 */
final class ObservedBalancer implements LoadBalancer {

    private final LowestScore lowest = new LowestScore();

    @Override
    public NodeView pick(List<NodeView> candidates, long affinityKey) {
        return lowest.pick(candidates, ObservedBalancer::score);
    }

    static double score(NodeView node) {
        return (node.stats().inFlight() + 1.0) * Math.max(node.stats().responseTimeNanos(), 1.0);
    }
}
