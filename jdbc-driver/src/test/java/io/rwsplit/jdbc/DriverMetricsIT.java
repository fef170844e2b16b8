package io.rwsplit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rwsplit.core.sql.StatementKind;
import io.rwsplit.jdbc.micrometer.RwsplitMeterBinder;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The driver's figures (ClusterStats, JMX, Micrometer) against what the servers say happened:
 * the counts a dashboard shows must be the statements that ran, on the nodes they ran on.
 */
@SandboxCluster(replicas = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DriverMetricsIT {

    private final Cluster cluster;
    private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();

    DriverMetricsIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    void table() throws SQLException {
        try (Connection c = cluster.primary().connect(cluster.app()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS metric_events (id INT AUTO_INCREMENT PRIMARY KEY, v INT)");
        }
        cluster.awaitReplicasCaughtUp(Duration.ofSeconds(10));
    }

    private RwsplitDataSource dataSource(String... options) {
        RwsplitDataSource ds = new RwsplitDataSource();
        ds.setUrl(Servers.url(cluster, options));
        ds.setUser(cluster.app().user());
        ds.setPassword(cluster.app().password());
        return ds;
    }

    private Set<ObjectName> clusterBeans() throws Exception {
        return jmx.queryNames(new ObjectName("io.rwsplit:type=Cluster,*"), null);
    }

    @Test
    void countsPerNodeMatchWhereTheServersSayStatementsRanAndJmxAndMicrometerShowThem() throws Exception {
        Set<ObjectName> beansBefore = clusterBeans();
        Map<Integer, String> nodeByServerId = new HashMap<>();
        for (Node n : cluster.nodes()) {
            nodeByServerId.put(n.serverId(), n.address());
        }
        Map<String, Integer> readsSeen = new HashMap<>();
        try (RwsplitDataSource ds = dataSource()) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                for (int i = 0; i < 30; i++) {
                    readsSeen.merge(nodeByServerId.get(Servers.serverId(c)), 1, Integer::sum);
                }
                for (int i = 0; i < 5; i++) {
                    s.executeUpdate("INSERT INTO metric_events (v) VALUES (" + i + ")");
                }
                assertThatThrownBy(() -> s.executeQuery("SELECT * FROM no_such_table_here"))
                        .isInstanceOf(SQLException.class);
            }
            ClusterStats stats = ds.clusterStats().get(0);
            String primary = cluster.primary().address();

            // the driver's own counts, against the servers' @@server_id answers
            for (Node n : cluster.nodes()) {
                assertThat(stats.statements(n.address(), StatementKind.READ)).as("reads on %s", n.name())
                        .isEqualTo((long) readsSeen.getOrDefault(n.address(), 0));
            }
            assertThat(readsSeen).doesNotContainKey(primary).hasSize(2);
            assertThat(stats.statements(primary, StatementKind.WRITE)).isEqualTo(5L);
            long errors = cluster.replicas().stream().mapToLong(n -> stats.errors(n.address())).sum();
            assertThat(errors).as("the failed SELECT counts as an error where it ran").isEqualTo(1L);
            assertThat(stats.primary()).contains(primary);
            assertThat(stats.role(primary)).isEqualTo("primary");
            assertThat(stats.up(cluster.replicas().get(0).address())).isTrue();
            assertThat(stats.statementNanos(primary)).isPositive();
            assertThat(stats.poolTotal(primary)).isPositive();

            // JMX: the new bean, under the URL without credentials
            Set<ObjectName> added = new HashSet<>(clusterBeans());
            added.removeAll(beansBefore);
            assertThat(added).hasSize(1);
            ObjectName name = added.iterator().next();
            assertThat(name.toString()).doesNotContain(cluster.admin().password()).contains("jdbc:rwsplit:mysql://");
            assertThat(jmx.getAttribute(name, "Primary")).isEqualTo(primary);
            Map<Object, Object> reads = table((TabularData) jmx.getAttribute(name, "Reads"));
            for (Node n : cluster.replicas()) {
                assertThat(reads.get(n.address())).isEqualTo((long) readsSeen.get(n.address()));
            }
            assertThat(table((TabularData) jmx.getAttribute(name, "NodeStates")).get(primary)).isEqualTo("primary up");

            // Micrometer, scraped the way Prometheus would
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new RwsplitMeterBinder(stats).bindTo(registry);
            String replica = cluster.replicas().get(0).address();
            assertThat(registry.get("rwsplit.statements").tags("node", replica, "kind", "read").functionCounter()
                    .count()).isEqualTo((double) readsSeen.get(replica));
            String scrape = registry.scrape();
            assertThat(scrape).contains("rwsplit_statements_total{cluster=\"" + stats.cluster() + "\",kind=\"write\","
                    + "node=\"" + primary + "\"} 5.0");
            assertThat(scrape).contains("rwsplit_node_up{", "rwsplit_replica_lag_seconds{", "rwsplit_pool_active{",
                    "rwsplit_primary_changes_total{");
        }
        assertThat(clusterBeans()).as("closing the data source unregisters its bean").isEqualTo(beansBefore);
    }

    @Test
    void jmxCanBeTurnedOffAndABadValueIsNamed() throws Exception {
        Set<ObjectName> before = clusterBeans();
        try (RwsplitDataSource ds = dataSource("rwsplit.jmx=false"); Connection c = ds.getConnection()) {
            assertThat(Servers.serverId(c)).isPositive();
            assertThat(clusterBeans()).isEqualTo(before);
        }
        assertThatThrownBy(() -> DriverManager.getConnection(Servers.url(cluster, "rwsplit.jmx=maybe"),
                cluster.app().user(), cluster.app().password()))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("rwsplit.jmx=maybe must be true or false")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"));
    }

    private static Map<Object, Object> table(TabularData t) {
        Map<Object, Object> m = new HashMap<>();
        for (Object row : t.values()) {
            CompositeData d = (CompositeData) row;
            m.put(d.get("key"), d.get("value"));
        }
        return m;
    }
}
