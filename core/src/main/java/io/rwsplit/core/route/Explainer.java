package io.rwsplit.core.route;

import io.rwsplit.core.session.SessionState;
import io.rwsplit.core.sql.Classification;
import io.rwsplit.core.sql.StatementClassifier;
import io.rwsplit.core.topology.Health;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.core.topology.NodeSettings;
import io.rwsplit.core.topology.NodeStats;
import io.rwsplit.core.topology.NodeView;
import io.rwsplit.core.topology.Role;
import io.rwsplit.core.topology.TopologySnapshot;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Says what a statement would do, before it runs anywhere: classification plus routing in a fresh
 * autocommit session. Against a live topology (the proxy's admin API) or, for the command line, a
 * healthy primary with two fresh replicas.
 */
public final class Explainer {

    private final StatementClassifier classifier;
    private final Router router;
    private final Supplier<TopologySnapshot> topology;

    public Explainer(StatementClassifier classifier, Router router, Supplier<TopologySnapshot> topology) {
        this.classifier = classifier;
        this.router = router;
        this.topology = topology;
    }

    public Explanation explain(String sql) {
        Classification c = classifier.classify(sql);
        RouteDecision d = router.route(c, new SessionState(), topology.get(), 0L, System.nanoTime());
        return Explanation.of(c, d);
    }

    /** A healthy primary {@code primary} with fresh replicas {@code replica1}, {@code replica2}. */
    public static TopologySnapshot exampleTopology() {
        return new TopologySnapshot(1, List.of(
                node("primary", 3306, Role.PRIMARY),
                node("replica1", 3307, Role.REPLICA),
                node("replica2", 3308, Role.REPLICA)));
    }

    private static NodeView node(String name, int port, Role role) {
        return new NodeView(new NodeId(name, "127.0.0.1", port), role, Health.UP, Duration.ZERO, null,
                NodeSettings.DEFAULT, false, new NodeStats());
    }
}
