package io.rwsplit.core.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.core.config.FailoverMode;
import io.rwsplit.core.config.MonitorConfig;
import io.rwsplit.core.config.NodeConfig;
import io.rwsplit.core.topology.JdbcProbeConnector;
import io.rwsplit.core.topology.NodeView;
import io.rwsplit.core.topology.TopologyMonitor;
import io.rwsplit.core.topology.TopologySnapshot;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Promoting monitors on a cluster of a test class's own, and what the failover ITs ask of the
 * servers. Each snapshot a monitor publishes is kept with the time it was published, so tests can
 * measure from a fault to the new primary and check that an old primary never came back.
 */
final class FailoverFixture implements AutoCloseable {

    /** Tight settings for the freeze test: a frozen probe fails after 0.5 s. */
    static final MonitorConfig TIGHT = new MonitorConfig(Duration.ofMillis(200), Duration.ofMillis(500),
            Duration.ofMillis(500), 3, 2, null, "", "");

    record Published(long nanos, TopologySnapshot snapshot) {
    }

    final Cluster cluster;
    final List<TopologyMonitor> monitors = new ArrayList<>();
    final List<Published> published = new CopyOnWriteArrayList<>();

    FailoverFixture(Cluster cluster) {
        this.cluster = cluster;
    }

    /** A promoting monitor with {@code config}'s timing and the admin account; started. */
    TopologyMonitor start(MonitorConfig timing) {
        return start(timing, FailoverSettings.DEFAULTS);
    }

    /** The same with switchover and rejoin settings. */
    TopologyMonitor start(MonitorConfig timing, FailoverSettings settings) {
        MonitorConfig config = new MonitorConfig(timing.interval(), timing.connectTimeout(), timing.readTimeout(),
                timing.failCount(), timing.recoverCount(), cluster.admin().user(), cluster.admin().password(), "");
        List<NodeConfig> nodes = new ArrayList<>();
        for (Node n : cluster.nodes()) {
            nodes.add(new NodeConfig(n.name(), n.host(), n.port(), 1, false, true));
        }
        TopologyMonitor m = new TopologyMonitor(nodes, config, FailoverMode.PROMOTE, settings,
                new JdbcProbeConnector(config.user(), config.password(), config.connectTimeout(), config.readTimeout()),
                (before, after) -> published.add(new Published(System.nanoTime(), after)));
        monitors.add(m);
        TopologySnapshot first = m.start();
        assertThat(first.primary()).map(NodeView::name).contains(cluster.primary().name());
        return m;
    }

    /** When a snapshot naming a primary other than {@code old} was first published after {@code sinceNanos}. */
    Optional<Published> firstNewPrimary(String old, long sinceNanos) {
        return published.stream().filter(p -> p.nanos() >= sinceNanos)
                .filter(p -> p.snapshot().primary().map(n -> !n.name().equals(old)).orElse(false)).findFirst();
    }

    static String primaryName(TopologyMonitor m) {
        return m.current().primary().map(NodeView::name).orElse(null);
    }

    void execute(Node n, String sql) throws SQLException {
        try (Connection c = n.connect(cluster.admin()); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    String queryString(Node n, String sql) throws SQLException {
        try (Connection c = n.connect(cluster.admin()); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    long count(Node n, String table) throws SQLException {
        return Long.parseLong(queryString(n, "SELECT COUNT(*) FROM " + cluster.database() + "." + table));
    }

    /** Writable and not replicating: what the servers themselves say a primary is. */
    boolean actsAsPrimary(Node n) throws SQLException {
        return "0".equals(queryString(n, "SELECT @@GLOBAL.read_only")) && !n.replicationStatus().configured();
    }

    @Override
    public void close() {
        for (TopologyMonitor m : monitors) {
            m.close();
        }
    }
}
