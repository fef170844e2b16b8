package io.rwsplit.benchmarks;

import io.rwsplit.core.balance.LoadBalancers;
import io.rwsplit.core.config.BalanceStrategy;
import io.rwsplit.core.route.Explainer;
import io.rwsplit.core.route.RouteDecision;
import io.rwsplit.core.route.Router;
import io.rwsplit.core.route.RoutingPolicy;
import io.rwsplit.core.session.SessionState;
import io.rwsplit.core.sql.Classification;
import io.rwsplit.core.sql.StatementClassifier;
import io.rwsplit.core.topology.Role;
import io.rwsplit.core.topology.TopologySnapshot;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One routing decision for an already classified statement in an autocommit session with no
 * transaction or pins, on a healthy primary and two fresh replicas: a read goes through the
 * replica candidates and the round-robin balancer, a write straight to the primary.
 *
 * <p>JMH subclasses {@code @State} classes, so they cannot be final.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RouterBenchmark {

    @Param({"read", "write"})
    public String statement;

    /** Shared like a front end's: the round-robin position is one counter for all sessions. */
    private Router router;
    private TopologySnapshot topology;
    private Classification classification;
    /** Fixed: with read-your-writes off the router does not look at the time, and reading the clock is not routing. */
    private long nowNanos;

    /** A session belongs to one connection, so to one thread. */
    @State(Scope.Thread)
    public static class Session {
        SessionState state = new SessionState();
    }

    @Setup
    public void setUp() {
        String sql = switch (statement) {
            case "read" -> Workload.sql("point_select");
            case "write" -> Workload.sql("update");
            default -> throw new IllegalArgumentException(statement);
        };
        try (StatementClassifier classifier = StatementClassifier.withDefaults()) {
            classification = classifier.classify(sql);
        }
        router = new Router(RoutingPolicy.DEFAULTS,
                LoadBalancers.create(BalanceStrategy.ROUND_ROBIN, RandomGenerator.of("L64X128MixRandom")));
        topology = Explainer.exampleTopology();
        nowNanos = System.nanoTime();

        RouteDecision d = router.route(classification, new SessionState(), topology, 1L, nowNanos);
        Role expected = statement.equals("read") ? Role.REPLICA : Role.PRIMARY;
        if (d.failed() || d.node().role() != expected) {
            throw new IllegalStateException(statement + " routed to " + d + ", expected a " + expected);
        }
    }

    @Benchmark
    public RouteDecision route(Session session) {
        return router.route(classification, session.state, topology, 1L, nowNanos);
    }
}
