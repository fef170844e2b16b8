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
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Autocommit reads give their backend connection back to the pool, and the next read takes it
 * again: the replicas' own {@code Connections} and {@code Com_stmt_prepare} counters show whether
 * the proxy logged in (and prepared) once, or once per statement.
 */
@SandboxCluster(replicas = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PoolReuseIT {

    private static final int READS = 100;
    /** One login per replica and event loop, plus the status reads' own admin logins and slack for the monitor. */
    private static final long FEW = 6;

    private final Cluster cluster;
    private RunningProxy proxy;

    PoolReuseIT(Cluster cluster) {
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

    @Test
    void autocommitReadsReuseBackendConnections() throws SQLException {
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            Map<String, Long> before = proxy.status("Connections");
            for (int i = 0; i < READS; i++) {
                try (ResultSet rs = s.executeQuery("SELECT " + i)) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(i);
                }
            }
            Map<String, Long> logins = RunningProxy.delta(before, proxy.status("Connections"));
            assertThat(replicaTotal(logins)).as("logins on the replicas per %d reads: %s", READS, logins)
                    .isLessThanOrEqualTo(FEW);
        }
    }

    @Test
    void preparedReadsReuseBackendConnectionsAndTheirPreparedStatements() throws SQLException {
        try (Connection c = proxy.connect("useServerPrepStmts=true&cachePrepStmts=true");
                PreparedStatement ps = c.prepareStatement("SELECT ? + 1")) {
            Map<String, Long> logins = proxy.status("Connections");
            Map<String, Long> prepares = proxy.status("Com_stmt_prepare");
            for (int i = 0; i < READS; i++) {
                ps.setInt(1, i);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(i + 1);
                }
            }
            Map<String, Long> newLogins = RunningProxy.delta(logins, proxy.status("Connections"));
            Map<String, Long> newPrepares = RunningProxy.delta(prepares, proxy.status("Com_stmt_prepare"));
            assertThat(replicaTotal(newLogins)).as("logins on the replicas per %d executions: %s", READS, newLogins)
                    .isLessThanOrEqualTo(FEW);
            assertThat(replicaTotal(newPrepares)).as("prepares on the replicas per %d executions: %s", READS,
                    newPrepares).isLessThanOrEqualTo(FEW);
        }
    }

    private long replicaTotal(Map<String, Long> byNode) {
        return cluster.replicas().stream().map(Node::name).mapToLong(n -> byNode.getOrDefault(n, 0L)).sum();
    }
}
