package io.rwsplit.proxy.it;

import io.rwsplit.sandbox.load.SteadyLoad;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rwsplit.core.topology.NodeView;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kill -9 the primary under a steady load through the proxy (issue 6, fault tests 1 and 3): the
 * proxy promotes a replica, writes resume there, autocommit reads never fail, every failed write is
 * a clean ERR, and with semi-synchronous replication no write a client saw committed is lost.
 */
@SandboxCluster(replicas = 2, semiSync = true, scope = SandboxCluster.Scope.CLASS)
class KillPrimaryIT {

    private static final Logger log = LoggerFactory.getLogger(KillPrimaryIT.class);
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    /** Tight monitor: a pass every 200 ms, a dead primary after 3 failed passes. */
    static final String TIGHT = "connectTimeout: 500ms, readTimeout: 500ms, failCount: 3, recoverCount: 2";
    /** Errors the proxy itself answers with when a server is gone (cannot connect, lost, transaction lost). */
    static final Set<Integer> PROXY_ERRNOS = Set.of(9001, 9002, 9003);

    private final Cluster cluster;
    private RunningProxy proxy;

    KillPrimaryIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void writesResumeOnThePromotedReplicaAndNothingAcknowledgedIsLost() throws Exception {
        Node old = cluster.primary();
        String table = cluster.database() + ".failover_kill";
        try (Connection c = old.connect(cluster.admin()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, v VARCHAR(40))");
        }
        cluster.awaitReplicasCaughtUp(PATIENCE);
        proxy = RunningProxy.startMonitored(cluster, TIGHT, "failover: promote\n");

        long killed;
        try (SteadyLoad load = new SteadyLoad(() -> proxy.connect("socketTimeout=5000&connectTimeout=5000"), table)
                .start(3, 3)) {
            await().atMost(PATIENCE).until(() -> load.acknowledgedWrites() >= 100 && load.reads() >= 100);
            // the ledger check means something only if commits waited for a replica's acknowledgement
            assertThat(statusText(old, old.dialect().semiSyncStatusVariable())).isEqualTo("ON");
            killed = System.nanoTime();
            old.kill();
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(10))
                    .until(() -> load.firstWriteAfter(killed).isPresent());
            // the load runs on for a while on the new primary
            await().atMost(PATIENCE).until(() -> load.writesAfter(killed) >= 100);
            long resumed = load.resumedAfter(killed).orElseThrow();
            load.close();

            long outageMs = (resumed - killed) / 1_000_000;
            log.info("proxy, kill -9 of the primary (monitor interval 200ms, timeouts 500ms, failCount 3, "
                    + "semi-sync): write outage {} ms; {} writes acknowledged, {} write errors, {} reads, "
                    + "{} read errors", outageMs, load.acknowledgedWrites(), load.writeFailures().size(), load.reads(),
                    load.readFailures().size());
            load.summary().forEach((kind, n) -> log.info("{} x {}", n, kind));

            assertThat(load.readFailures()).as("autocommit reads that failed").isEmpty();
            assertThat(load.writeFailures()).as("every write error is an ERR from the proxy or a server")
                    .allSatisfy(f -> cleanError(f.error()));

            NodeView promoted = proxy.server.runtime().monitor().current().primary().orElseThrow();
            Node now = cluster.node(promoted.name());
            assertThat(now).isNotSameAs(old);
            assertThat(queryLong(now, "SELECT @@GLOBAL.read_only")).as("read_only on the new primary").isZero();

            // a write through the proxy after the failover lands on the new primary
            try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
                s.execute("INSERT INTO " + table + " (id, v) VALUES (-1, 'after')");
                try (ResultSet rs = s.executeQuery("SELECT @@server_id, @@read_only /* rwsplit:primary */")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(now.serverId());
                    assertThat(rs.getInt(2)).isZero();
                }
            }
            assertThat(queryLong(now, "SELECT COUNT(*) FROM " + table + " WHERE id = -1")).isEqualTo(1);

            // semi-sync: every acknowledged write is on the new primary, with its value
            Map<Integer, String> there = rows(now, table);
            Map<Integer, String> missing = new HashMap<>(load.ledger);
            missing.keySet().removeAll(there.keySet());
            assertThat(missing).as("acknowledged writes missing on the new primary").isEmpty();
            load.ledger.forEach((id, v) -> assertThat(there.get(id)).as("value of id " + id).isEqualTo(v));
        }
    }

    /** An ERR packet's errno and SQLSTATE, not a client-side timeout or a dropped connection. */
    static void cleanError(SQLException e) {
        assertThat(e.getErrorCode()).as("errno of " + e).satisfiesAnyOf(
                n -> assertThat(PROXY_ERRNOS).contains(n),
                n -> assertThat(n).isBetween(1000, 1999));
        assertThat(e.getSQLState()).as("SQLSTATE of " + e).hasSize(5);
    }

    static long queryLong(Node n, String sql) throws SQLException {
        try (Connection c = n.connectAdmin(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String statusText(Node n, String variable) throws SQLException {
        try (Connection c = n.connectAdmin(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE '" + variable + "'")) {
            return rs.next() ? rs.getString(2) : null;
        }
    }

    static Map<Integer, String> rows(Node n, String table) throws SQLException {
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
