package io.rwsplit.core.balance;

import io.rwsplit.core.topology.NodeView;
import java.util.List;

/**
 * Picks the node for one read among eligible candidates. Which nodes are eligible (healthy, fresh
 * enough, standby or not) is decided before; a balancer only spreads load. Implementations are
 * thread-safe: one instance serves every session of a front end.
 */
public interface LoadBalancer {

    /**
     * @param candidates eligible nodes, never empty
     * @param affinityKey a stable key of the client or session (used by {@code hash}; ignored by others)
     */
    NodeView pick(List<NodeView> candidates, long affinityKey);
}
