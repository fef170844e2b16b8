package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * MariaDB Connector/J (org.mariadb.jdbc) through the proxy: text and server-side prepared
 * statements, the connector's pipelining of prepare and execute, generated keys and a
 * transaction. Where statements ran is read from the servers: {@code @@server_id} in the result,
 * and each node's {@code Com_insert} / {@code Com_stmt_execute} counters (the proxy's monitor
 * uses neither).
 */
@SandboxCluster(replicas = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariaDbConnectorIT {

    private final Cluster cluster;
    private RunningProxy proxy;
    private int primaryId;
    private Set<Integer> replicaIds;

    MariaDbConnectorIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    void start() throws SQLException {
        primaryId = cluster.primary().serverId();
        replicaIds = cluster.replicas().stream().map(Node::serverId).collect(Collectors.toSet());
        try (Connection c = cluster.primary().connect(cluster.app()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS mdb_items (id BIGINT AUTO_INCREMENT PRIMARY KEY, tag VARCHAR(40), "
                    + "n INT)");
            s.execute("TRUNCATE TABLE mdb_items");
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

    private Connection connect(String options) throws SQLException {
        String url = "jdbc:mariadb://127.0.0.1:" + proxy.port() + "/" + cluster.database()
                + (options.isEmpty() ? "" : "?" + options);
        return DriverManager.getConnection(url, cluster.app().user(), cluster.app().password());
    }

    private String primary() {
        return cluster.primary().name();
    }

    private long onReplicas(Map<String, Long> delta) {
        return cluster.replicas().stream().mapToLong(r -> delta.get(r.name())).sum();
    }

    private static int serverId(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT @@server_id")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int count(Statement s, String tag) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM mdb_items WHERE tag = '" + tag + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void textReadsSpreadOverTheReplicasAndAWriteWithItsKeyGoesToThePrimary() throws SQLException {
        Map<Integer, Integer> seen = new HashMap<>();
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            for (int i = 0; i < 40; i++) {
                seen.merge(serverId(s), 1, Integer::sum);
            }
            Map<String, Long> before = proxy.status("Com_insert");
            assertThat(s.executeUpdate("INSERT INTO mdb_items (tag, n) VALUES ('text', 1)",
                    Statement.RETURN_GENERATED_KEYS)).isEqualTo(1);
            long key;
            try (ResultSet keys = s.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                key = keys.getLong(1);
            }
            Map<String, Long> d = RunningProxy.delta(before, proxy.status("Com_insert"));
            assertThat(d.get(primary())).isEqualTo(1L);
            try (ResultSet rs = s.executeQuery("SELECT tag FROM mdb_items WHERE id = " + key
                    + " /* rwsplit:primary */")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("text");
            }
        }
        assertThat(seen.keySet()).isEqualTo(replicaIds);
        assertThat(seen.values()).allSatisfy(n -> assertThat(n).isEqualTo(20));
    }

    @Test
    void serverPreparedStatementsWriteOnThePrimaryAndReadOnTheReplicas() throws SQLException {
        try (Connection c = connect("useServerPrepStmts=true")) {
            Map<String, Long> before = proxy.status("Com_stmt_execute");
            List<Long> keys = new ArrayList<>();
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO mdb_items (tag, n) VALUES (?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                for (int i = 0; i < 5; i++) {
                    ins.setString(1, "prepared");
                    ins.setInt(2, i);
                    assertThat(ins.executeUpdate()).isEqualTo(1);
                    try (ResultSet k = ins.getGeneratedKeys()) {
                        assertThat(k.next()).isTrue();
                        keys.add(k.getLong(1));
                    }
                }
            }
            Map<String, Long> writes = RunningProxy.delta(before, proxy.status("Com_stmt_execute"));
            assertThat(writes.get(primary())).isEqualTo(5L);
            assertThat(onReplicas(writes)).isZero();
            assertThat(keys).doesNotHaveDuplicates().isSorted();

            cluster.awaitReplicasCaughtUp(Duration.ofSeconds(10));
            before = proxy.status("Com_stmt_execute");
            Map<Integer, Integer> seen = new HashMap<>();
            try (PreparedStatement q = c.prepareStatement("SELECT @@server_id, COUNT(*), SUM(n) FROM mdb_items "
                    + "WHERE tag = ?")) {
                for (int i = 0; i < 20; i++) {
                    q.setString(1, "prepared");
                    try (ResultSet rs = q.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        seen.merge(rs.getInt(1), 1, Integer::sum);
                        assertThat(rs.getInt(2)).isGreaterThanOrEqualTo(5);
                    }
                }
            }
            Map<String, Long> reads = RunningProxy.delta(before, proxy.status("Com_stmt_execute"));
            assertThat(reads.get(primary())).isZero();
            assertThat(onReplicas(reads)).isEqualTo(20L);
            assertThat(seen.keySet()).isEqualTo(replicaIds);
        }
    }

    @Test
    void pipelinedPrepareAndExecuteRunTheStatementJustPrepared() throws SQLException {
        // without the statement cache every execute is a prepare followed, unanswered, by an execute of id -1
        try (Connection c = connect("useServerPrepStmts=true&cachePrepStmts=false")) {
            assertThat(c.unwrap(org.mariadb.jdbc.Connection.class).getContext().permitPipeline())
                    .as("the proxy lets the connector pipeline prepare and execute").isTrue();
            Map<String, Long> before = proxy.status("Com_stmt_execute");
            for (int i = 0; i < 4; i++) {
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO mdb_items (tag, n) VALUES (?, ?)")) {
                    ins.setString(1, "pipelined");
                    ins.setInt(2, i);
                    assertThat(ins.executeUpdate()).isEqualTo(1);
                }
                try (PreparedStatement q = c.prepareStatement("SELECT @@server_id, ? + 1")) {
                    q.setInt(1, i);
                    try (ResultSet rs = q.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(replicaIds).contains(rs.getInt(1));
                        assertThat(rs.getInt(2)).isEqualTo(i + 1);
                    }
                }
            }
            Map<String, Long> d = RunningProxy.delta(before, proxy.status("Com_stmt_execute"));
            assertThat(d.get(primary())).isEqualTo(4L);
            assertThat(onReplicas(d)).isEqualTo(4L);

            // a prepare that fails must not let its execute run the statement prepared before it, still open
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO mdb_items (tag, n) VALUES (?, ?)")) {
                ins.setString(1, "pipelined");
                ins.setInt(2, 4);
                assertThat(ins.executeUpdate()).isEqualTo(1);
                try (PreparedStatement bad = c.prepareStatement("INSERT INTO no_such_table (x, y) VALUES (?, ?)")) {
                    bad.setString(1, "pipelined");
                    bad.setInt(2, 5);
                    assertThatThrownBy(bad::executeUpdate).isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1146);
                        assertThat(e.getSQLState()).isEqualTo("42S02");
                    });
                }
            }
        }
        try (Connection direct = cluster.primary().connect(cluster.app()); Statement s = direct.createStatement()) {
            assertThat(count(s, "pipelined")).isEqualTo(5);
        }
    }

    @Test
    void aBatchOfServerStatementsIsOneBulkExecuteOnThePrimary() throws SQLException {
        Map<String, Long> before = proxy.status("Com_stmt_execute");
        try (Connection c = connect("useServerPrepStmts=true")) {
            assertThat(c.unwrap(org.mariadb.jdbc.Connection.class).getContext()
                    .hasServerCapability(org.mariadb.jdbc.util.constants.Capabilities.STMT_BULK_OPERATIONS))
                    .as("the proxy offers MariaDB's bulk operations").isTrue();
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO mdb_items (tag, n) VALUES (?, ?)")) {
                for (int i = 0; i < 50; i++) {
                    ins.setString(1, "bulk");
                    ins.setInt(2, i);
                    ins.addBatch();
                }
                int[] counts = ins.executeBatch();
                assertThat(counts).hasSize(50);
                // the same statement again, whose types the proxy now knows
                for (int i = 50; i < 60; i++) {
                    ins.setString(1, "bulk");
                    ins.setInt(2, i);
                    ins.addBatch();
                }
                assertThat(ins.executeBatch()).hasSize(10);
            }
        }
        Map<String, Long> d = RunningProxy.delta(before, proxy.status("Com_stmt_execute"));
        // one bulk execute per batch, where a row-by-row batch would have taken 60
        assertThat(d.get(primary())).isEqualTo(2L);
        assertThat(onReplicas(d)).isZero();
        try (Connection direct = cluster.primary().connect(cluster.app()); Statement s = direct.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(n) FROM mdb_items WHERE tag = 'bulk'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(60);
            assertThat(rs.getInt(2)).isEqualTo(59 * 60 / 2);
        }
    }

    @Test
    void pipelinedStatementsStayInTheirTransaction() throws SQLException {
        try (Connection c = connect("useServerPrepStmts=true&cachePrepStmts=false")) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO mdb_items (tag, n) VALUES ('tx pipelined', 0)");
                for (int i = 1; i <= 3; i++) {
                    // prepare and execute arrive together while the transaction holds its connection
                    try (PreparedStatement ins = c.prepareStatement("INSERT INTO mdb_items (tag, n) VALUES (?, ?)")) {
                        ins.setString(1, "tx pipelined");
                        ins.setInt(2, i);
                        ins.executeUpdate();
                    }
                }
                try (PreparedStatement q = c.prepareStatement("SELECT @@server_id, COUNT(*) FROM mdb_items "
                        + "WHERE tag = ?")) {
                    q.setString(1, "tx pipelined");
                    try (ResultSet rs = q.executeQuery()) {
                        rs.next();
                        assertThat(rs.getInt(1)).isEqualTo(primaryId);
                        assertThat(rs.getInt(2)).isEqualTo(4);
                    }
                }
            }
            c.commit();
        }
        try (Connection direct = cluster.primary().connect(cluster.app()); Statement s = direct.createStatement()) {
            assertThat(count(s, "tx pipelined")).isEqualTo(4);
        }
    }

    @Test
    void aTransactionRunsOnThePrimaryAndItsCommitReachesTheReplicas() throws SQLException {
        try (Connection c = connect("useServerPrepStmts=true")) {
            c.setAutoCommit(false);
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO mdb_items (tag, n) VALUES ('tx', ?)");
                    Statement s = c.createStatement()) {
                ins.setInt(1, 1);
                ins.executeUpdate();
                assertThat(serverId(s)).isEqualTo(primaryId);
                assertThat(count(s, "tx")).isEqualTo(1);
                c.rollback();
                ins.setInt(1, 2);
                ins.executeUpdate();
                c.commit();
            }
            c.setAutoCommit(true);
            cluster.awaitReplicasCaughtUp(Duration.ofSeconds(10));
            try (Statement s = c.createStatement()) {
                for (int i = 0; i < 4; i++) {
                    try (ResultSet rs = s.executeQuery("SELECT @@server_id, COUNT(*), MAX(n) FROM mdb_items "
                            + "WHERE tag = 'tx'")) {
                        rs.next();
                        assertThat(replicaIds).contains(rs.getInt(1));
                        assertThat(rs.getInt(2)).isEqualTo(1);
                        assertThat(rs.getInt(3)).isEqualTo(2);
                    }
                }
            }
        }
    }
}
