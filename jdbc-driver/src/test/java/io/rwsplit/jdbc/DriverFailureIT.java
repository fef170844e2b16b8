package io.rwsplit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Servers dying under the driver: reads carry on invisibly, a transaction fails clearly, new work recovers. */
@SandboxCluster(replicas = 2)
class DriverFailureIT {

    private final Cluster cluster;
    private HikariDataSource app;

    DriverFailureIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @BeforeEach
    void start() throws SQLException {
        try (Connection c = cluster.primary().connect(cluster.app()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS ledger (id INT AUTO_INCREMENT PRIMARY KEY, v INT)");
        }
        cluster.awaitReplicasCaughtUp(Duration.ofSeconds(10));
        HikariConfig h = new HikariConfig();
        h.setJdbcUrl(Servers.url(cluster, "rwsplit.pool.acquireTimeout=2s"));
        h.setUsername(cluster.app().user());
        h.setPassword(cluster.app().password());
        h.setMaximumPoolSize(4);
        app = new HikariDataSource(h);
    }

    @AfterEach
    void stop() {
        app.close();
        cluster.heal(Duration.ofSeconds(30));
    }

    @Test
    void readsCarryOnWithoutAnErrorWhenAReplicaIsKilled() throws SQLException {
        Node victim = cluster.replica(0);
        Node survivor = cluster.replica(1);
        Map<Integer, Integer> after = new HashMap<>();
        List<SQLException> errors = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            if (i == 50) {
                victim.kill();
            }
            try (Connection c = app.getConnection()) {
                int id = Servers.serverId(c);
                if (i > 50) {
                    after.merge(id, 1, Integer::sum);
                }
            } catch (SQLException e) {
                errors.add(e);
            }
        }
        assertThat(errors).as("reads that failed").isEmpty();
        assertThat(after).containsOnlyKeys(survivor.serverId());

        victim.start();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            try (Connection c = app.getConnection()) {
                assertThat(Servers.serverId(c)).isEqualTo(victim.serverId());
            }
        });
    }

    @Test
    void aTransactionWhosePrimaryDiesFailsWithAConnectionErrorAndNewWorkRecovers() throws SQLException {
        try (Connection c = app.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO ledger (v) VALUES (1)");
                cluster.primary().kill();
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO ledger (v) VALUES (2)"))
                        .isInstanceOfSatisfying(SQLTransientConnectionException.class, e -> {
                            assertThat(e.getSQLState()).isEqualTo("08S01");
                            assertThat(e.getMessage()).contains(cluster.primary().address()).contains("retry");
                        });
            }
            // HikariCP, like any pool, retires a connection after a connection-class (08) error
            assertThat(c.isClosed()).isTrue();
        }
        cluster.primary().start();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            try (Connection c = app.getConnection(); Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("INSERT INTO ledger (v) VALUES (3)")).isEqualTo(1);
            }
        });
    }

    @Test
    void withNoPrimaryAWriteFailsAtOnceWithAClearErrorWhileReadsStillWork() throws SQLException {
        cluster.primary().kill();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            try (Connection c = app.getConnection(); Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO ledger (v) VALUES (4)"))
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getSQLState()).startsWith("08");
                            assertThat(e.getMessage()).contains("no primary");
                        });
            }
        });
        try (Connection c = app.getConnection()) {
            assertThat(cluster.replicas().stream().map(Node::serverId).toList()).contains(Servers.serverId(c));
        }
    }

    @Test
    void anExhaustedPoolFailsAfterItsTimeoutWithAClearErrorAndTheNodeStaysInUse() throws SQLException {
        String url = Servers.url(cluster, "rwsplit.pool.maxSize=1", "rwsplit.pool.acquireTimeout=300ms");
        try (Connection holder = java.sql.DriverManager.getConnection(url, cluster.app().user(), cluster.app().password());
                Connection waiter = java.sql.DriverManager.getConnection(url, cluster.app().user(),
                        cluster.app().password());
                Statement hs = holder.createStatement(); Statement ws = waiter.createStatement()) {
            holder.setAutoCommit(false);
            hs.executeUpdate("INSERT INTO ledger (v) VALUES (10)");
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> ws.executeUpdate("INSERT INTO ledger (v) VALUES (11)"))
                    .isInstanceOfSatisfying(java.sql.SQLTransientException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1040);
                        assertThat(e.getSQLState()).isEqualTo("HY000");
                        assertThat(e.getMessage()).contains("busy").contains("rwsplit.pool.maxSize");
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            holder.commit();
            hs.close(); // an open statement keeps its connection, as with any JDBC driver
            assertThat(ws.executeUpdate("INSERT INTO ledger (v) VALUES (12)")).as("the primary was never "
                    + "taken for down").isEqualTo(1);
        }
    }
}
