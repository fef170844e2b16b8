package io.rwsplit.proxy.frontend;

import io.netty.channel.EventLoop;
import io.rwsplit.core.config.PoolConfig;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.proxy.backend.BackendConnector;
import io.rwsplit.proxy.backend.NodePool;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The backend pools of one event loop: one per node. The configured pool size is the whole
 * proxy's, split evenly among the loops (rounded up), so that no connection is ever shared across
 * threads.
 */
final class LoopPools {

    private final Map<NodeId, NodePool> pools = new LinkedHashMap<>();
    private final EventLoop loop;

    LoopPools(EventLoop loop, List<NodeId> nodes, BackendConnector connector, PoolConfig config, int loops) {
        this.loop = loop;
        int max = (config.maxSize() + loops - 1) / loops;
        int minIdle = (config.minIdle() + loops - 1) / loops;
        for (NodeId n : nodes) {
            pools.put(n, new NodePool(n, loop, connector, max, minIdle, config.acquireTimeout(), config.idleTimeout(),
                    config.maxLifetime()));
        }
    }

    /** A pool for a node added by a reload (kept when it is there already); on the loop's thread. */
    void add(NodeId node, BackendConnector connector, PoolConfig config, int loops) {
        int max = (config.maxSize() + loops - 1) / loops;
        int minIdle = (config.minIdle() + loops - 1) / loops;
        pools.computeIfAbsent(node, n -> new NodePool(n, loop, connector, max, minIdle, config.acquireTimeout(),
                config.idleTimeout(), config.maxLifetime()));
    }

    NodePool pool(NodeId node) {
        NodePool p = pools.get(node);
        if (p == null) {
            throw new IllegalArgumentException("no pool for " + node);
        }
        return p;
    }

    Collection<NodePool> all() {
        return pools.values();
    }
}
