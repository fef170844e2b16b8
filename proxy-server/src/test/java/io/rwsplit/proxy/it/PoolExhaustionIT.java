package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.proxy.config.ClientTlsConfig;
import io.rwsplit.proxy.config.LimitsConfig;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every server connection of the pool is held by open transactions: the next statement waits up
 * to {@code pool.acquireTimeout}, then gets ERR 1040 saying so (no hang); once a transaction ends,
 * statements run again.
 */
@SandboxCluster(replicas = 2)
class PoolExhaustionIT {

    private final Cluster cluster;

    PoolExhaustionIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void aFullPoolAnswers1040AfterItsTimeoutAndRecovers() throws SQLException {
        List<Connection> open = new ArrayList<>();
        try (RunningProxy proxy = RunningProxy.start(cluster,
                "pool: {maxSize: 2, acquireTimeout: 300ms}\n", LimitsConfig.DEFAULTS.withWorkerThreads(1),
                ClientTlsConfig.OFF)) {
            try (Connection setup = proxy.connect(""); Statement s = setup.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS px_pool (id INT PRIMARY KEY, n INT)");
                s.execute("INSERT IGNORE INTO px_pool VALUES (1, 0), (2, 0), (3, 0)");
            }
            // logging in checks the schema on the primary: connect all three first
            for (int i = 0; i < 3; i++) {
                open.add(proxy.connect(""));
            }
            // two transactions hold both primary connections
            for (int i = 1; i <= 2; i++) {
                Connection c = open.get(i - 1);
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("UPDATE px_pool SET n = n + 1 WHERE id = " + i);
                }
            }
            Connection third = open.get(2);
            long start = System.nanoTime();
            SQLException refused = null;
            try (Statement s = third.createStatement()) {
                s.executeUpdate("UPDATE px_pool SET n = n + 1 WHERE id = 3");
            } catch (SQLException e) {
                refused = e;
            }
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat((Object) refused).as("the third writer's error").isNotNull();
            assertThat(refused.getErrorCode()).isEqualTo(1040);
            assertThat(refused.getMessage()).contains("acquireTimeout", "300 ms");
            assertThat(waitedMs).as("waited for the timeout, not forever").isBetween(250L, 5_000L);

            open.get(0).commit();
            try (Statement s = third.createStatement()) {
                assertThat(s.executeUpdate("UPDATE px_pool SET n = n + 1 WHERE id = 3")).isEqualTo(1);
            }
        } finally {
            for (Connection c : open) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // the proxy is gone already
                }
            }
        }
    }
}
