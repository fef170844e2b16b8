package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * KILL through the proxy names proxy connection ids: Connector/J's query timeout and
 * {@code cancel()} stop the running statement on its server and the connection goes on; an id the
 * proxy did not give is refused rather than passed to a server, where it would name some other
 * thread.
 */
@SandboxCluster(replicas = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KillIT {

    private final Cluster cluster;
    private RunningProxy proxy;

    KillIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    void start() {
        proxy = RunningProxy.start(cluster);
    }

    @AfterAll
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private static long one(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aQueryTimeoutStopsTheStatementAndTheConnectionGoesOn() throws SQLException {
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            s.setQueryTimeout(1);
            long start = System.nanoTime();
            assertThatThrownBy(() -> s.executeQuery("SELECT SLEEP(20)")).isInstanceOf(SQLTimeoutException.class);
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("stopped, not waited out")
                    .isLessThan(10);
            s.setQueryTimeout(0);
            assertThat(one(s, "SELECT 7")).isEqualTo(7);
        }
    }

    @Test
    void cancelFromAnotherThreadStopsAStatementInATransaction() throws Exception {
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("CREATE TABLE IF NOT EXISTS px_kill (id INT PRIMARY KEY)");
            s.executeUpdate("INSERT INTO px_kill VALUES (1) ON DUPLICATE KEY UPDATE id = id");
            CompletableFuture<Void> cancel = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(500);
                    s.cancel();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThatThrownBy(() -> s.executeQuery("SELECT SLEEP(20)")).isInstanceOf(SQLException.class);
            cancel.get(10, TimeUnit.SECONDS);
            // the transaction survived the interrupted statement, on the same server connection
            assertThat(one(s, "SELECT COUNT(*) FROM px_kill WHERE id = 1")).isEqualTo(1);
            c.rollback();
        }
    }

    @Test
    void killOfAnotherOwnConnectionClosesIt() throws SQLException {
        try (Connection victim = proxy.connect(""); Connection killer = proxy.connect("");
                Statement v = victim.createStatement(); Statement k = killer.createStatement()) {
            long id = victim.unwrap(com.mysql.cj.jdbc.JdbcConnection.class).getId();
            k.execute("KILL " + id);
            assertThatThrownBy(() -> v.executeQuery("SELECT 1")).isInstanceOf(SQLException.class);
            assertThat(one(k, "SELECT 1")).isEqualTo(1);
        }
    }

    @Test
    void killOfAConnectionStopsTheStatementItIsRunning() throws Exception {
        try (Connection victim = proxy.connect(""); Connection killer = proxy.connect("");
                Statement v = victim.createStatement(); Statement k = killer.createStatement()) {
            long id = victim.unwrap(com.mysql.cj.jdbc.JdbcConnection.class).getId();
            CompletableFuture<Void> sleeping = CompletableFuture.runAsync(() -> {
                try (ResultSet rs = v.executeQuery("SELECT SLEEP(30) /* px_kill_marker */")) {
                    rs.next();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> sleepersOnServers() == 1);
            long start = System.nanoTime();
            k.execute("KILL " + id);
            assertThat(sleeping).failsWithin(java.time.Duration.ofSeconds(10));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> sleepersOnServers() == 0);
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("not left to run its 30 s")
                    .isLessThan(10);
        }
    }

    private int sleepersOnServers() throws SQLException {
        int n = 0;
        for (io.rwsplit.sandbox.Node node : cluster.nodes()) {
            try (Connection c = node.connectAdmin(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.processlist WHERE "
                            + "id <> CONNECTION_ID() AND command = 'Query' AND info LIKE '%px_kill_marker */'")) {
                rs.next();
                n += rs.getInt(1);
            }
        }
        return n;
    }

    @Test
    void anIdTheProxyDidNotGiveIsRefused() throws SQLException {
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("KILL QUERY 987654321"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> {
                        assertThat(((SQLException) e).getErrorCode()).isEqualTo(1094);
                        assertThat(((SQLException) e).getSQLState()).isEqualTo("HY000");
                    });
            assertThatThrownBy(() -> s.execute("KILL USER nobody"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1235));
            assertThat(one(s, "SELECT 1")).isEqualTo(1);
        }
    }
}
