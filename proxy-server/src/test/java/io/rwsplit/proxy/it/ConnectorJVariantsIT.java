package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * MySQL Connector/J with the settings applications turn on for speed: a cache of server-side
 * prepared statements, cursor fetch ({@code COM_STMT_FETCH}) and rewritten batches. Where
 * statements ran is read from each node's own counters; {@code Prepared_stmt_count} shows that
 * statements the client closes do not pile up on the servers.
 */
@SandboxCluster(replicas = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectorJVariantsIT {

    private static final int ROWS = 500;

    private final Cluster cluster;
    private RunningProxy proxy;
    private Set<Integer> replicaIds;

    ConnectorJVariantsIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    void start() throws SQLException {
        replicaIds = cluster.replicas().stream().map(Node::serverId).collect(Collectors.toSet());
        try (Connection c = cluster.primary().connect(cluster.app()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS cjv_rows (id INT PRIMARY KEY, payload VARCHAR(64))");
            s.execute("TRUNCATE TABLE cjv_rows");
            StringBuilder insert = new StringBuilder("INSERT INTO cjv_rows VALUES ");
            for (int i = 1; i <= ROWS; i++) {
                insert.append(i == 1 ? "" : ",").append("(").append(i).append(", 'row ").append(i).append("')");
            }
            s.execute(insert.toString());
            s.execute("CREATE TABLE IF NOT EXISTS cjv_batch (id INT AUTO_INCREMENT PRIMARY KEY, k INT, v VARCHAR(32))");
            s.execute("TRUNCATE TABLE cjv_batch");
        }
        cluster.awaitReplicasCaughtUp(Duration.ofSeconds(10));
        proxy = RunningProxy.start(cluster);
    }

    @AfterAll
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private String primary() {
        return cluster.primary().name();
    }

    private long onReplicas(Map<String, Long> delta) {
        return cluster.replicas().stream().mapToLong(r -> delta.get(r.name())).sum();
    }

    @Test
    void cachedServerStatementsAreReusedClosedAndPreparedAgain() throws SQLException {
        Map<String, Long> stmtsBefore = proxy.status("Prepared_stmt_count");
        Map<String, Long> before = proxy.status("Com_stmt_execute");
        Map<String, Long> logins = proxy.status("Connections");
        Set<Integer> seen = new HashSet<>();
        String sql = "SELECT @@server_id, payload FROM cjv_rows WHERE id = ?";
        try (Connection c = proxy.connect("useServerPrepStmts=true&cachePrepStmts=true&prepStmtCacheSize=4")) {
            for (int round = 0; round < 30; round++) {
                // the cache gives the same server statement back: one prepare, many executes
                try (PreparedStatement q = c.prepareStatement(sql)) {
                    for (int i = 1; i <= 10; i++) {
                        int id = round * 10 + i;
                        q.setInt(1, id);
                        try (ResultSet rs = q.executeQuery()) {
                            assertThat(rs.next()).isTrue();
                            seen.add(rs.getInt(1));
                            assertThat(rs.getString(2)).isEqualTo("row " + id);
                        }
                    }
                }
                // more distinct statements than the cache holds: the oldest is really closed, then prepared again
                for (int k = 0; k < 5; k++) {
                    try (PreparedStatement other = c.prepareStatement("SELECT " + k + " + ?")) {
                        other.setInt(1, round);
                        try (ResultSet rs = other.executeQuery()) {
                            rs.next();
                            assertThat(rs.getInt(1)).isEqualTo(k + round);
                        }
                    }
                }
            }
            Map<String, Long> d = RunningProxy.delta(before, proxy.status("Com_stmt_execute"));
            assertThat(d.get(primary())).isZero();
            assertThat(onReplicas(d)).isEqualTo(30 * 15);
            assertThat(seen).isEqualTo(replicaIds);
            // 180 prepares of 6 statements: each backend connection keeps one server statement per SQL text
            // (the session's replica connections go back to the pool between statements and come back)
            Map<String, Long> open = RunningProxy.delta(stmtsBefore, proxy.status("Prepared_stmt_count"));
            assertThat(open.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(12));
            // and those connections are reused, not opened per statement (each status read logs in once)
            Map<String, Long> opened = RunningProxy.delta(logins, proxy.status("Connections"));
            assertThat(opened.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(8));
        }
    }

    @Test
    void manyDistinctStatementsDoNotFillTheServers() throws SQLException {
        // Connector/J's default with server statements: no cache, every statement prepared and closed
        Map<String, Long> before = proxy.status("Prepared_stmt_count");
        int distinct = 1_000;
        try (Connection c = proxy.connect("useServerPrepStmts=true")) {
            for (int k = 0; k < distinct; k++) {
                try (PreparedStatement q = c.prepareStatement("SELECT ? + " + k)) {
                    q.setInt(1, 1);
                    try (ResultSet rs = q.executeQuery()) {
                        rs.next();
                        assertThat(rs.getInt(1)).isEqualTo(k + 1);
                    }
                }
            }
        }
        Map<String, Long> open = RunningProxy.delta(before, proxy.status("Prepared_stmt_count"));
        // the proxy keeps at most 128 per backend connection; this session used one or two per replica
        assertThat(open.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2 * 128));
        assertThat(onReplicas(open)).isLessThan(distinct / 2);
    }

    @Test
    void cursorFetchReadsInChunksFromOneReplica() throws SQLException {
        Map<String, Long> before = proxy.status("Com_stmt_fetch");
        try (Connection c = proxy.connect("useCursorFetch=true&defaultFetchSize=0");
                PreparedStatement q = c.prepareStatement("SELECT id, payload, @@server_id FROM cjv_rows "
                        + "WHERE id > ? ORDER BY id")) {
            q.setFetchSize(25);
            q.setInt(1, 0);
            int rows = 0;
            Set<Integer> servers = new HashSet<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    assertThat(rs.getInt(1)).isEqualTo(rows);
                    assertThat(rs.getString(2)).isEqualTo("row " + rows);
                    servers.add(rs.getInt(3));
                    if (rows == 100) {
                        // other statements of the session while the cursor is open
                        try (Statement s = c.createStatement(); ResultSet one = s.executeQuery("SELECT 42")) {
                            one.next();
                            assertThat(one.getInt(1)).isEqualTo(42);
                        }
                        // more statements than the proxy keeps per connection, some on the cursor's
                        for (int k = 0; k < 300; k++) {
                            try (PreparedStatement other = c.prepareStatement("SELECT ? * " + k)) {
                                other.setInt(1, 2);
                                try (ResultSet o = other.executeQuery()) {
                                    o.next();
                                    assertThat(o.getInt(1)).isEqualTo(2 * k);
                                }
                            }
                        }
                    }
                }
            }
            assertThat(rows).isEqualTo(ROWS);
            assertThat(servers).hasSize(1);
            assertThat(replicaIds).containsAll(servers);
            Map<String, Long> d = RunningProxy.delta(before, proxy.status("Com_stmt_fetch"));
            assertThat(d.get(primary())).isZero();
            // 500 rows by 25: 20 fetches with rows and one that finds the end
            assertThat(onReplicas(d)).isBetween(20L, 21L);

            // the statement runs again: a new cursor, wherever the router sends it
            q.setInt(1, ROWS - 30);
            int again = 0;
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    again++;
                }
            }
            assertThat(again).isEqualTo(30);
        }
    }

    @Test
    void rewrittenBatchInsertIsOneStatementOnThePrimary() throws SQLException {
        Map<String, Long> before = proxy.status("Com_insert");
        try (Connection c = proxy.connect("rewriteBatchedStatements=true");
                PreparedStatement ins = c.prepareStatement("INSERT INTO cjv_batch (k, v) VALUES (?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
            for (int i = 0; i < 200; i++) {
                ins.setInt(1, i);
                ins.setString(2, "batch " + i);
                ins.addBatch();
            }
            int[] counts = ins.executeBatch();
            assertThat(counts).hasSize(200);
            int ids = 0;
            long last = 0;
            try (ResultSet keys = ins.getGeneratedKeys()) {
                while (keys.next()) {
                    assertThat(keys.getLong(1)).isGreaterThan(last);
                    last = keys.getLong(1);
                    ids++;
                }
            }
            assertThat(ids).isEqualTo(200);
        }
        Map<String, Long> d = RunningProxy.delta(before, proxy.status("Com_insert"));
        assertThat(d.get(primary())).isEqualTo(1L);
        try (Connection direct = cluster.primary().connect(cluster.app()); Statement s = direct.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT k) FROM cjv_batch WHERE v LIKE 'batch %'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(200);
            assertThat(rs.getInt(2)).isEqualTo(200);
        }
    }

    @Test
    void rewrittenBatchOfServerStatementsLandsOnThePrimary() throws SQLException {
        Map<String, Long> before = proxy.status("Com_stmt_execute");
        try (Connection c = proxy.connect("rewriteBatchedStatements=true&useServerPrepStmts=true&cachePrepStmts=true");
                PreparedStatement ins = c.prepareStatement("INSERT INTO cjv_batch (k, v) VALUES (?, ?)")) {
            for (int i = 0; i < 100; i++) {
                ins.setInt(1, 1000 + i);
                ins.setString(2, "server batch");
                ins.addBatch();
            }
            int[] counts = ins.executeBatch();
            assertThat(counts).hasSize(100);
        }
        Map<String, Long> d = RunningProxy.delta(before, proxy.status("Com_stmt_execute"));
        assertThat(d.get(primary())).isPositive();
        assertThat(onReplicas(d)).isZero();
        try (Connection direct = cluster.primary().connect(cluster.app()); Statement s = direct.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM cjv_batch WHERE v = 'server batch'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(100);
        }
    }
}
