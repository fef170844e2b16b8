package io.rwsplit.jdbc;

import io.rwsplit.sandbox.load.SteadyLoad;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kill -9 the primary under a steady load through the driver with HikariCP on top (issue 6, fault
 * tests 1 and 3, driver side): the driver's own monitor promotes a replica ({@code
 * rwsplit.failover=promote}), writes resume there, autocommit reads never fail, failed writes are
 * connection-class errors and never timeouts, and with semi-synchronous replication no write a
 * client saw committed is lost.
 */
@SandboxCluster(replicas = 2, semiSync = true, scope = SandboxCluster.Scope.CLASS)
class DriverFailoverIT {

    private static final Logger log = LoggerFactory.getLogger(DriverFailoverIT.class);
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private static final String INSERTS = "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
            + " WHERE VARIABLE_NAME = 'COM_INSERT'";

    private final Cluster cluster;
    private HikariDataSource app;

    DriverFailoverIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void writesResumeOnThePromotedReplicaAndNothingAcknowledgedIsLost() throws Exception {
        Node old = cluster.primary();
        String table = "failover_kill";
        try (Connection c = old.connect(cluster.admin()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + cluster.database() + "." + table + " (id INT PRIMARY KEY, v VARCHAR(40))");
        }
        cluster.awaitReplicasCaughtUp(PATIENCE);
        HikariConfig h = new HikariConfig();
        // a tight monitor: a pass every 200 ms, a dead primary after 3 failed passes
        h.setJdbcUrl(Servers.url(cluster, "rwsplit.failover=promote", "rwsplit.monitor.connectTimeout=500ms",
                "rwsplit.monitor.readTimeout=500ms", "rwsplit.monitor.failCount=3", "rwsplit.pool.acquireTimeout=2s",
                "socketTimeout=5000", "connectTimeout=2000"));
        h.setUsername(cluster.app().user());
        h.setPassword(cluster.app().password());
        h.setMaximumPoolSize(8);
        h.setConnectionTimeout(5_000);
        app = new HikariDataSource(h);

        try (SteadyLoad load = new SteadyLoad(app::getConnection, table).start(3, 3)) {
            await().atMost(PATIENCE).until(() -> load.acknowledgedWrites() >= 100 && load.reads() >= 100);
            assertThat(statusText(old, old.dialect().semiSyncStatusVariable())).as("semi-sync on the primary")
                    .isEqualTo("ON");
            long killed = System.nanoTime();
            old.kill();
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(10))
                    .until(() -> load.writesAfter(killed) >= 100);
            long resumed = load.resumedAfter(killed).orElseThrow();
            load.close();

            log.info("driver + HikariCP, kill -9 of the primary (monitor interval 200ms, timeouts 500ms, "
                    + "failCount 3, semi-sync): write outage {} ms; {} writes acknowledged, {} write errors, {} reads, "
                    + "{} read errors", (resumed - killed) / 1_000_000, load.acknowledgedWrites(),
                    load.writeFailures().size(), load.reads(), load.readFailures().size());
            load.summary().forEach((kind, n) -> log.info("{} x {}", n, kind));

            assertThat(load.readFailures()).as("autocommit reads that failed").isEmpty();
            assertThat(load.writeFailures()).as("every write error has an SQLSTATE and is not a timeout")
                    .allSatisfy(f -> {
                        assertThat(f.error().getSQLState()).as("SQLSTATE of " + f).hasSize(5);
                        assertThat(causes(f.error())).as("a timeout behind " + f)
                                .noneMatch(SocketTimeoutException.class::isInstance);
                    });

            Node now = cluster.replicas().stream().filter(r -> {
                try {
                    return queryLong(r, "SELECT @@GLOBAL.read_only") == 0;
                } catch (SQLException e) {
                    return false;
                }
            }).findFirst().orElseThrow();
            // a write through the driver after the failover lands on the new primary
            try (Connection c = app.getConnection(); Statement s = c.createStatement()) {
                long before = queryLong(now, INSERTS);
                s.execute("INSERT INTO " + table + " (id, v) VALUES (-1, 'after')");
                assertThat(queryLong(now, INSERTS) - before).as("inserts on the new primary").isEqualTo(1);
            }
            assertThat(queryLong(now, "SELECT COUNT(*) FROM " + cluster.database() + "." + table + " WHERE id = -1"))
                    .isEqualTo(1);

            Map<Integer, String> there = rows(now, cluster.database() + "." + table);
            Map<Integer, String> missing = new HashMap<>(load.ledger);
            missing.keySet().removeAll(there.keySet());
            assertThat(missing).as("acknowledged writes missing on the new primary").isEmpty();
            load.ledger.forEach((id, v) -> assertThat(there.get(id)).as("value of id " + id).isEqualTo(v));
        }
    }

    private static java.util.List<Throwable> causes(Throwable e) {
        java.util.List<Throwable> l = new java.util.ArrayList<>();
        for (Throwable t = e; t != null && !l.contains(t); t = t.getCause()) {
            l.add(t);
        }
        return l;
    }

    private static long queryLong(Node n, String sql) throws SQLException {
        try (Connection c = n.connectAdmin(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String statusText(Node n, String variable) throws SQLException {
        try (Connection c = n.connectAdmin(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE '" + variable + "'")) {
            return rs.next() ? rs.getString(2) : null;
        }
    }

    private static Map<Integer, String> rows(Node n, String table) throws SQLException {
        Map<Integer, String> m = new HashMap<>();
        try (Connection c = n.connectAdmin(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, v FROM " + table)) {
            while (rs.next()) {
                m.put(rs.getInt(1), rs.getString(2));
            }
        }
        return m;
    }
}
