package io.rwsplit.core.balance;

import io.rwsplit.core.topology.Health;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.core.topology.NodeSettings;
import io.rwsplit.core.topology.NodeStats;
import io.rwsplit.core.topology.NodeView;
import io.rwsplit.core.topology.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds replicas and counts picks for the balancer tests. */
final class Nodes {

    private Nodes() {
    }

    static NodeView node(String name) {
        return node(name, 1);
    }

    static NodeView node(String name, int weight) {
        return new NodeView(new NodeId(name, "127.0.0.1", 3307), Role.REPLICA, Health.UP, Duration.ZERO, null,
                new NodeSettings(weight, false, true), false, new NodeStats());
    }

    /** A replica with {@code inFlight} requests running and, if {@code responseMillis > 0}, that response time. */
    static NodeView loaded(String name, int inFlight, long responseMillis) {
        NodeView node = node(name);
        for (int i = 0; i < inFlight; i++) {
            node.stats().begin();
        }
        if (responseMillis > 0) {
            node.stats().record(Duration.ofMillis(responseMillis).toNanos());
        }
        return node;
    }

    /** Picks per node name after {@code picks} picks with affinity key 0. */
    static Map<String, Integer> counts(LoadBalancer balancer, List<NodeView> candidates, int picks) {
        Map<String, Integer> counts = new TreeMap<>();
        for (NodeView n : candidates) {
            counts.put(n.name(), 0);
        }
        for (int i = 0; i < picks; i++) {
            counts.merge(balancer.pick(candidates, 0).name(), 1, Integer::sum);
        }
        return counts;
    }

    static String sequence(LoadBalancer balancer, List<NodeView> candidates, int picks) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < picks; i++) {
            s.append(balancer.pick(candidates, 0).name());
        }
        return s.toString();
    }
}
