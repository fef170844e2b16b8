package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Connector/J through the proxy to a real primary and two replicas: where statements ran is read
 * from the servers ({@code @@server_id}, status counters).
 */
@SandboxCluster(replicas = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectorJIT {

    private final Cluster cluster;
    private RunningProxy proxy;
    private int primaryId;
    private Set<Integer> replicaIds;

    ConnectorJIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    void start() throws SQLException {
        primaryId = cluster.primary().serverId();
        replicaIds = cluster.replicas().stream().map(Node::serverId).collect(Collectors.toSet());
        try (Connection c = cluster.primary().connect(cluster.app()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS px_orders (id INT AUTO_INCREMENT PRIMARY KEY, customer INT, "
                    + "note VARCHAR(100))");
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

    private static int serverId(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT @@server_id")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void readsGoToBothReplicasAndWritesToThePrimary() throws SQLException {
        Map<Integer, Integer> seen = new HashMap<>();
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            for (int i = 0; i < 40; i++) {
                seen.merge(serverId(s), 1, Integer::sum);
            }
            Map<String, Long> before = proxy.status("Com_insert");
            assertThat(s.executeUpdate("INSERT INTO px_orders (customer, note) VALUES (1, 'first')",
                    Statement.RETURN_GENERATED_KEYS)).isEqualTo(1);
            try (ResultSet keys = s.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                assertThat(keys.getLong(1)).isPositive();
            }
            Map<String, Long> d = RunningProxy.delta(before, proxy.status("Com_insert"));
            assertThat(d.get(cluster.primary().name())).isEqualTo(1L);
        }
        assertThat(seen.keySet()).isEqualTo(replicaIds);
        assertThat(seen.values()).allSatisfy(n -> assertThat(n).isEqualTo(20));
    }

    @Test
    void aTransactionReadsItsOwnWriteOnThePrimary() throws SQLException {
        try (Connection c = proxy.connect("")) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO px_orders (customer, note) VALUES (2, 'in tx')");
                assertThat(serverId(s)).isEqualTo(primaryId);
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM px_orders WHERE note = 'in tx'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                }
            }
            c.rollback();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                assertThat(replicaIds).contains(serverId(s));
            }
        }
    }

    @Test
    void serverPreparedStatementsRunWhereTheRouterSendsThem() throws SQLException {
        try (Connection c = proxy.connect("useServerPrepStmts=true&cachePrepStmts=true")) {
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO px_orders (customer, note) VALUES (?, ?)")) {
                for (int i = 0; i < 3; i++) {
                    ins.setInt(1, 100 + i);
                    ins.setString(2, "prepared " + i);
                    assertThat(ins.executeUpdate()).isEqualTo(1);
                }
            }
            cluster.awaitReplicasCaughtUp(Duration.ofSeconds(10));
            Map<Integer, Integer> seen = new HashMap<>();
            try (PreparedStatement q = c.prepareStatement("SELECT @@server_id, COUNT(*) FROM px_orders WHERE "
                    + "customer >= ?")) {
                for (int i = 0; i < 10; i++) {
                    q.setInt(1, 100);
                    try (ResultSet rs = q.executeQuery()) {
                        rs.next();
                        seen.merge(rs.getInt(1), 1, Integer::sum);
                        assertThat(rs.getInt(2)).isEqualTo(3);
                    }
                }
            }
            assertThat(seen.keySet()).isEqualTo(replicaIds);
        }
    }

    @Test
    void aServerErrorReachesTheClientAndTheSessionGoesOn() throws SQLException {
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELECT * FROM no_such_table"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1146);
                        assertThat(e.getSQLState()).isEqualTo("42S02");
                    });
            assertThat(replicaIds).contains(serverId(s));
        }
    }

    @Test
    void aWrongPasswordIsRefusedWith1045() {
        assertThatThrownBy(() -> java.sql.DriverManager.getConnection(proxy.jdbcUrl(""), cluster.app().user(),
                "wrong")).isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(1045);
                    assertThat(e.getSQLState()).isEqualTo("28000");
                });
    }
}
