package io.rwsplit.core.route;

import io.rwsplit.core.flavor.GtidSet;
import io.rwsplit.core.topology.Health;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.core.topology.NodeSettings;
import io.rwsplit.core.topology.NodeStats;
import io.rwsplit.core.topology.NodeView;
import io.rwsplit.core.topology.Role;
import io.rwsplit.core.topology.TopologySnapshot;
import java.time.Duration;
import java.util.List;

/** Node views and snapshots for routing tests: no servers, just values. */
final class FakeTopology {

    private FakeTopology() {
    }

    static NodeId id(String name) {
        return new NodeId(name, name + ".db", 3306);
    }

    static NodeView primary(String name) {
        return new NodeView(id(name), Role.PRIMARY, Health.UP, Duration.ZERO, null, NodeSettings.DEFAULT, false,
                new NodeStats());
    }

    /** A healthy replica with the given lag ({@code null}: replication not running). */
    static NodeView replica(String name, Duration lag) {
        return new NodeView(id(name), Role.REPLICA, Health.UP, lag, null, NodeSettings.DEFAULT, false,
                new NodeStats());
    }

    static NodeView replica(String name) {
        return replica(name, Duration.ZERO);
    }

    static NodeView lagging(String name, long lagMillis) {
        return replica(name, Duration.ofMillis(lagMillis));
    }

    static NodeView standby(String name) {
        return withSettings(replica(name), new NodeSettings(1, true, true));
    }

    static NodeView weighted(NodeView n, int weight) {
        return withSettings(n, new NodeSettings(weight, n.settings().standby(), n.settings().promotable()));
    }

    static NodeView down(NodeView n) {
        return n.withHealth(Health.DOWN);
    }

    static NodeView draining(NodeView n) {
        return n.withDraining(true);
    }

    static NodeView executed(NodeView n, GtidSet gtids) {
        return n.withExecuted(gtids);
    }

    private static NodeView withSettings(NodeView n, NodeSettings s) {
        return new NodeView(n.id(), n.role(), n.health(), n.lag(), n.executed(), s, n.draining(), n.stats());
    }

    static TopologySnapshot topology(NodeView... nodes) {
        return new TopologySnapshot(1, List.of(nodes));
    }

    /** A healthy primary {@code p} and fresh replicas {@code r1}, {@code r2}. */
    static TopologySnapshot healthy() {
        return topology(primary("p"), replica("r1"), replica("r2"));
    }
}
