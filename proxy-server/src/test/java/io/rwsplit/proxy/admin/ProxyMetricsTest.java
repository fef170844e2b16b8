package io.rwsplit.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.core.route.RouteDecision.Cause;
import io.rwsplit.core.topology.Health;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.core.topology.NodeSettings;
import io.rwsplit.core.topology.NodeStats;
import io.rwsplit.core.topology.NodeView;
import io.rwsplit.core.topology.Role;
import io.rwsplit.core.topology.TopologySnapshot;
import io.rwsplit.proxy.frontend.Refusal;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Prometheus text a scrape gives for known counts and a known topology. */
class ProxyMetricsTest {

    private static final NodeId P = new NodeId("p", "10.0.0.1", 3306);
    private static final NodeId R1 = new NodeId("r1", "10.0.0.2", 3306);
    private static final NodeId R2 = new NodeId("r2", "10.0.0.3", 3306);

    private static NodeView view(NodeId id, Role role, Health health, Duration lag, boolean drained) {
        return new NodeView(id, role, health, lag, null, NodeSettings.DEFAULT, drained, new NodeStats());
    }

    private final TopologySnapshot topology = new TopologySnapshot(3, List.of(
            view(P, Role.PRIMARY, Health.UP, Duration.ZERO, false),
            view(R1, Role.REPLICA, Health.UP, Duration.ofMillis(1500), true),
            view(R2, Role.REPLICA, Health.DOWN, null, false)));

    private final ProxyMetrics metrics = new ProxyMetrics(List.of(P, R1, R2), new ProxyMetrics.Sources() {
        @Override
        public TopologySnapshot topology() {
            return topology;
        }

        @Override
        public Map<NodeId, ProxyMetrics.PoolUsage> pools() {
            return Map.of(R1, new ProxyMetrics.PoolUsage(2, 5));
        }

        @Override
        public int sessions() {
            return 4;
        }

        @Override
        public long failovers() {
            return 1;
        }
    });

    private String scrape() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void countsAndStateShowInTheScrape() throws Exception {
        metrics.routed(R1, Cause.READ);
        metrics.routed(R1, Cause.READ);
        metrics.routed(P, Cause.WRITE);
        metrics.routed(new NodeId("stranger", "h", 1), Cause.READ); // not configured: ignored
        metrics.statementTime(R1, 300_000); // 0.3 ms
        metrics.error(1146);
        metrics.error(1146);
        metrics.refused(Refusal.ACCESS_DENIED);
        metrics.sessionOpened();

        String text = scrape();

        assertThat(text).contains("rwsplit_statements_routed_total{node=\"r1\",reason=\"read\"} 2")
                .contains("rwsplit_statements_routed_total{node=\"p\",reason=\"write\"} 1")
                .doesNotContain("stranger")
                .contains("rwsplit_statement_duration_seconds_bucket{node=\"r1\",le=\"2.5E-4\"} 0")
                .contains("rwsplit_statement_duration_seconds_bucket{node=\"r1\",le=\"5.0E-4\"} 1")
                .contains("rwsplit_statement_errors_total{errno=\"1146\"} 2")
                .contains("rwsplit_clients_refused_total{reason=\"access_denied\"} 1")
                .contains("rwsplit_client_sessions_opened_total 1")
                .contains("rwsplit_client_sessions 4")
                .contains("rwsplit_failovers_total 1")
                .contains("rwsplit_node_up{node=\"r2\"} 0")
                .contains("rwsplit_node_role{node=\"p\",role=\"primary\"} 1")
                .contains("rwsplit_node_role{node=\"p\",role=\"replica\"} 0")
                .contains("rwsplit_node_drained{node=\"r1\"} 1")
                .contains("rwsplit_replica_lag_seconds{node=\"r1\"} 1.5")
                .doesNotContain("rwsplit_replica_lag_seconds{node=\"r2\"}")
                .contains("rwsplit_pool_connections{node=\"r1\",state=\"in_use\"} 2")
                .contains("rwsplit_pool_connections{node=\"r1\",state=\"idle\"} 5");
        assertThat(metrics.routedTotal(R1)).isEqualTo(2);
    }

    @Test
    void twoProxiesCountApart() throws Exception {
        ProxyMetrics other = new ProxyMetrics(List.of(R1), metricsSources());
        other.routed(R1, Cause.READ);

        assertThat(metrics.routedTotal(R1)).isZero();
        assertThat(scrape()).doesNotContain("rwsplit_statements_routed_total{node=\"r1\",reason=\"read\"} 1");
    }

    private ProxyMetrics.Sources metricsSources() {
        return new ProxyMetrics.Sources() {
            @Override
            public TopologySnapshot topology() {
                return topology;
            }

            @Override
            public Map<NodeId, ProxyMetrics.PoolUsage> pools() {
                return Map.of();
            }

            @Override
            public int sessions() {
                return 0;
            }

            @Override
            public long failovers() {
                return 0;
            }
        };
    }

    @Test
    void everyRefusalHasItsSeriesFromTheStart() throws Exception {
        String text = scrape();
        for (Refusal r : Refusal.values()) {
            assertThat(text).contains("rwsplit_clients_refused_total{reason=\"" + r.label() + "\"} 0");
        }
    }
}
