package io.rwsplit.core.balance;

import io.rwsplit.core.topology.NodeView;
import java.util.List;

/**
 * Round robin: the n-th pick goes to candidate {@code n mod size}. The shared counter makes
 * concurrent picks take consecutive positions, so over any run of {@code k * size} picks on an
 * unchanged list each candidate gets exactly {@code k}. When the list changes (a replica leaves or
 * lags out) the counter just continues over the new list.
 */
final class RoundRobinBalancer implements LoadBalancer {

    private final RoundRobinCursor cursor = new RoundRobinCursor();

    @Override
    public NodeView pick(List<NodeView> candidates, long affinityKey) {
        return candidates.get(cursor.next(candidates.size()));
    }
}
