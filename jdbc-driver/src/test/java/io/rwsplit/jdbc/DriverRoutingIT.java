package io.rwsplit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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
 * The driver under HikariCP against a real primary and two replicas: where statements ran is read
 * from the servers ({@code @@server_id}, status counters), not from rwsplit's own bookkeeping.
 */
@SandboxCluster(replicas = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DriverRoutingIT {

    private final Cluster cluster;
    private HikariDataSource app;
    private int primaryId;
    private Set<Integer> replicaIds;

    DriverRoutingIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    void start() throws SQLException {
        primaryId = cluster.primary().serverId();
        replicaIds = cluster.replicas().stream().map(Node::serverId).collect(Collectors.toSet());
        try (Connection c = cluster.primary().connect(cluster.app()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS orders (id INT AUTO_INCREMENT PRIMARY KEY, customer INT, "
                    + "total DECIMAL(10,2))");
        }
        cluster.awaitReplicasCaughtUp(Duration.ofSeconds(10));
        HikariConfig h = new HikariConfig();
        h.setJdbcUrl(Servers.url(cluster));
        h.setUsername(cluster.app().user());
        h.setPassword(cluster.app().password());
        h.setMaximumPoolSize(4);
        h.setPoolName("app");
        app = new HikariDataSource(h);
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void autocommitReadsSpreadOverBothReplicasAndNeverReachThePrimary() throws SQLException {
        Map<String, Long> before = Servers.status(cluster, "Com_select");
        Map<Integer, Integer> seen = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            try (Connection c = app.getConnection()) {
                seen.merge(Servers.serverId(c), 1, Integer::sum);
            }
        }
        Map<String, Long> delta = Servers.delta(before, Servers.status(cluster, "Com_select"));
        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(replicaIds);
        assertThat(seen.values()).allSatisfy(n -> assertThat(n).as("round robin: %s", seen).isBetween(40, 60));
        long primarySelects = delta.get(cluster.primary().name());
        assertThat(primarySelects).as("the primary's own SELECT count (the monitor adds a few)").isLessThan(20);
        assertThat(delta.get(cluster.replica(0).name()) + delta.get(cluster.replica(1).name()))
                .isGreaterThanOrEqualTo(100);
    }

    @Test
    void insertsRunOnThePrimaryAndReturnGeneratedKeys() throws SQLException {
        Map<String, Long> before = Servers.status(cluster, "Com_insert");
        long id;
        try (Connection c = app.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO orders (customer, total) VALUES (?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
            ps.setInt(1, 7);
            ps.setBigDecimal(2, new java.math.BigDecimal("19.99"));
            assertThat(ps.executeUpdate()).isEqualTo(1);
            try (ResultSet keys = ps.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                id = keys.getLong(1);
                assertThat(keys.getStatement()).isSameAs(ps);
            }
        }
        assertThat(id).isPositive();
        Map<String, Long> delta = Servers.delta(before, Servers.status(cluster, "Com_insert"));
        // MariaDB counts the replicas' applied rows as Com_insert too; that the insert succeeded at all
        // shows where it ran: the replicas are read_only for the application's account
        assertThat(delta.get(cluster.primary().name())).isEqualTo(1);
    }

    @Test
    void aTransactionReadsItsOwnUncommittedWriteOnThePrimary() throws SQLException {
        try (Connection c = app.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO orders (customer, total) VALUES (4242, 1.00)");
                try (ResultSet rs = s.executeQuery("SELECT @@server_id, COUNT(*) FROM orders WHERE customer = 4242")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(primaryId);
                    assertThat(rs.getInt(2)).as("its own uncommitted row").isEqualTo(1);
                }
            }
            c.rollback();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("/* rwsplit:primary */ SELECT COUNT(*) FROM orders WHERE customer = 4242")) {
                rs.next();
                assertThat(rs.getInt(1)).as("rolled back").isZero();
            }
        }
    }

    @Test
    void readOnlyConnectionsReadOnAReplicaAndAReadOnlyTransactionStaysOnOne() throws SQLException {
        try (Connection c = app.getConnection()) {
            c.setReadOnly(true);
            assertThat(replicaIds).contains(Servers.serverId(c));
            c.setAutoCommit(false);
            int first = Servers.serverId(c);
            assertThat(replicaIds).contains(first);
            for (int i = 0; i < 5; i++) {
                assertThat(Servers.serverId(c)).as("one replica for the whole transaction").isEqualTo(first);
            }
            c.commit();
            assertThatThrownBy(() -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO orders (customer, total) VALUES (1, 1)");
                }
            }).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
            c.rollback();
            c.setAutoCommit(true);
            c.setReadOnly(false);
        }
    }

    @Test
    void selectForUpdateRunsOnThePrimary() throws SQLException {
        try (Connection c = app.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT @@server_id FROM orders LIMIT 1 FOR UPDATE")) {
            if (rs.next()) {
                assertThat(rs.getInt(1)).isEqualTo(primaryId);
            }
        }
        try (Connection c = app.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT @@server_id, LAST_INSERT_ID()")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(primaryId);
        }
    }

    @Test
    void aTemporaryTablePinsTheSessionToThePrimaryUntilDropped() throws SQLException {
        try (Connection c = app.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TEMPORARY TABLE tmp_ids (id INT)");
            s.execute("INSERT INTO tmp_ids VALUES (1), (2)");
            try (ResultSet rs = s.executeQuery("SELECT @@server_id, COUNT(*) FROM tmp_ids")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(primaryId);
                assertThat(rs.getInt(2)).isEqualTo(2);
            }
            assertThat(Servers.serverId(c)).as("pinned: every read").isEqualTo(primaryId);
            s.execute("DROP TEMPORARY TABLE tmp_ids");
            assertThat(replicaIds).contains(Servers.serverId(c));
        }
    }

    @Test
    void useAndSetNamesAreSeenOnEveryBackendAndDoNotLeakToOtherSessions() throws SQLException {
        try (Connection admin = cluster.primary().connectAdmin(); Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS other");
            s.execute("GRANT ALL ON other.* TO '" + cluster.app().user() + "'@'%'");
        }
        cluster.awaitReplicasCaughtUp(Duration.ofSeconds(10));
        try (Connection c = DriverManager.getConnection(Servers.url(cluster), cluster.app().user(),
                cluster.app().password()); Statement s = c.createStatement()) {
            s.execute("USE other");
            s.execute("SET NAMES latin1");
            Map<Integer, String> seen = new HashMap<>();
            for (int i = 0; i < 6; i++) {
                try (ResultSet rs = s.executeQuery("SELECT @@server_id, DATABASE(), @@character_set_client")) {
                    rs.next();
                    seen.put(rs.getInt(1), rs.getString(2) + "/" + rs.getString(3));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT @@server_id, DATABASE(), @@character_set_client FROM dual "
                    + "WHERE GET_LOCK('names-it', 0) IS NOT NULL")) {
                rs.next();
                seen.put(rs.getInt(1), rs.getString(2) + "/" + rs.getString(3));
            }
            s.execute("SELECT RELEASE_LOCK('names-it')");
            assertThat(seen).containsOnlyKeys(primaryId, cluster.replica(0).serverId(), cluster.replica(1).serverId());
            assertThat(seen.values()).allSatisfy(v -> assertThat(v).isEqualTo("other/latin1"));
            assertThat(c.getCatalog()).isEqualTo("other");
        }
        // another session on the same pools gets the connections back as they were
        try (Connection c = DriverManager.getConnection(Servers.url(cluster), cluster.app().user(),
                cluster.app().password()); Statement s = c.createStatement()) {
            for (int i = 0; i < 6; i++) {
                try (ResultSet rs = s.executeQuery("SELECT DATABASE(), @@character_set_client")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo(cluster.database());
                    assertThat(rs.getString(2)).isNotEqualTo("latin1");
                }
            }
        }
    }

    @Test
    void manyLogicalConnectionsShareAFewPhysicalOnes() throws SQLException {
        Map<String, Long> before = Servers.status(cluster, "Threads_connected");
        List<Connection> open = new ArrayList<>();
        try {
            for (int i = 0; i < 60; i++) {
                Connection c = DriverManager.getConnection(Servers.url(cluster, "rwsplit.pool.maxSize=5"),
                        cluster.app().user(), cluster.app().password());
                open.add(c);
                assertThat(replicaIds).contains(Servers.serverId(c));
            }
            Map<String, Long> delta = Servers.delta(before, Servers.status(cluster, "Threads_connected"));
            for (Node r : cluster.replicas()) {
                assertThat(delta.get(r.name())).as("connections to %s for 60 sessions", r.name()).isLessThanOrEqualTo(6);
            }
        } finally {
            for (Connection c : open) {
                c.close();
            }
        }
    }

    @Test
    void aReadOnlyConnectionRefusesWritesAsConnectorJDoes() throws SQLException {
        try (Connection c = app.getConnection(); Statement s = c.createStatement()) {
            c.setReadOnly(true);
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM orders WHERE id = -1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("S1009"));
            c.setReadOnly(false);
        }
    }

    @Test
    void resultSetsStatementsAndMetadataAnswerForTheLogicalConnection() throws SQLException {
        try (Connection c = DriverManager.getConnection(Servers.url(cluster), cluster.app().user(),
                cluster.app().password())) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1");
                    PreparedStatement ps = c.prepareStatement("SELECT ?")) {
                assertThat(rs.getStatement()).isSameAs(s);
                assertThat(rs.getStatement().getConnection()).isSameAs(c);
                ps.setInt(1, 5);
                try (ResultSet prs = ps.executeQuery()) {
                    assertThat(prs.getStatement().getConnection()).isSameAs(c);
                }
            }
            assertThat(c.getMetaData().getConnection()).isSameAs(c);
        }
        try (Connection c = app.getConnection()) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.getStatement().getConnection()).as("under HikariCP: Hikari's connection").isSameAs(c);
            }
            assertThat(c.getMetaData().getDatabaseProductVersion()).containsIgnoringCase("mariadb");
            assertThat(c.isValid(2)).isTrue();
            assertThat(c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class)).isNotNull();
        }
    }
}
