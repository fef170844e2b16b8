package io.rwsplit.jdbc.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.rwsplit.core.sql.StatementKind;
import io.rwsplit.jdbc.ClusterStats;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Publishes a cluster's {@link ClusterStats} in a Micrometer registry; with Micrometer's
 * Prometheus registry that is a Prometheus endpoint. Needs {@code micrometer-core} on the
 * application's class path (the driver does not bring it):
 *
 * <pre>{@code
 * for (ClusterStats s : dataSource.clusterStats()) new RwsplitMeterBinder(s).bindTo(registry);
 * // or: new RwsplitMeterBinder(connection.unwrap(ClusterStats.class)).bindTo(registry);
 * }</pre>
 *
 * Every meter is tagged {@code cluster} (the URL without credentials) and, per node, {@code node}:
 * {@code rwsplit.statements} (counter, also tagged {@code kind}: read, write, begin... as the
 * classifier saw the statement), {@code rwsplit.statement.time} (count and total time of the
 * completed statements), {@code rwsplit.errors}, {@code rwsplit.node.up} (1 or 0),
 * {@code rwsplit.replica.lag} (seconds), {@code rwsplit.pool.active}, {@code rwsplit.pool.total},
 * and per cluster {@code rwsplit.primary.changes}. Values are read when the registry is scraped.
 */
public final class RwsplitMeterBinder implements MeterBinder {

    private final ClusterStats stats;

    public RwsplitMeterBinder(ClusterStats stats) {
        this.stats = stats;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Tags cluster = Tags.of("cluster", stats.cluster());
        for (String node : stats.nodes()) {
            Tags tags = cluster.and("node", node);
            for (StatementKind kind : StatementKind.values()) {
                FunctionCounter.builder("rwsplit.statements", stats, s -> s.statements(node, kind))
                        .description("statements completed on the node, by the classifier's kind")
                        .tags(tags.and("kind", kind.name().toLowerCase(Locale.ROOT))).register(registry);
            }
            FunctionTimer.builder("rwsplit.statement.time", stats, s -> s.statements(node),
                    s -> s.statementNanos(node), TimeUnit.NANOSECONDS)
                    .description("completed statements on the node and the time they took").tags(tags)
                    .register(registry);
            FunctionCounter.builder("rwsplit.errors", stats, s -> s.errors(node))
                    .description("statements that failed on the node").tags(tags).register(registry);
            Gauge.builder("rwsplit.node.up", stats, s -> s.up(node) ? 1 : 0)
                    .description("1 while the driver routes to the node").tags(tags).register(registry);
            Gauge.builder("rwsplit.replica.lag", stats, s -> s.lagSeconds(node)).baseUnit("seconds")
                    .description("replication lag the monitor measured; NaN when unknown").tags(tags)
                    .register(registry);
            Gauge.builder("rwsplit.pool.active", stats, s -> s.poolActive(node))
                    .description("physical connections in use").tags(tags).register(registry);
            Gauge.builder("rwsplit.pool.total", stats, s -> s.poolTotal(node))
                    .description("physical connections open").tags(tags).register(registry);
        }
        FunctionCounter.builder("rwsplit.primary.changes", stats, ClusterStats::primaryChanges)
                .description("times the driver saw the primary change").tags(cluster).register(registry);
    }
}
