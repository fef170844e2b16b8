package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Server-side prepared statements the proxy keeps on its pooled connections are bounded: a client
 * preparing hundreds of different statements does not pile them up on the servers, which refuse
 * to prepare past {@code max_prepared_stmt_count}; and the statements reuse the pooled server
 * connections rather than opening new ones.
 */
@SandboxCluster(replicas = 2)
class PreparedCacheIT {

    private final Cluster cluster;

    PreparedCacheIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void manyDistinctStatementsStayBoundedOnEachServer() throws SQLException {
        try (RunningProxy proxy = RunningProxy.start(cluster);
                Connection c = proxy.connect("useServerPrepStmts=true&cachePrepStmts=false")) {
            Map<String, Long> before = proxy.status("Prepared_stmt_count");
            Map<String, Long> conns = proxy.status("Connections");
            for (int i = 0; i < 400; i++) {
                try (PreparedStatement ps = c.prepareStatement("SELECT ? + " + i)) {
                    ps.setInt(1, 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertThat(rs.getInt(1)).isEqualTo(i + 1);
                    }
                }
            }
            Map<String, Long> held = RunningProxy.delta(before, proxy.status("Prepared_stmt_count"));
            // at most 128 per pooled connection; one session uses one or two connections per server
            assertThat(held.values()).as("statements still prepared per server: " + held)
                    .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2 * 128));
            Map<String, Long> opened = RunningProxy.delta(conns, proxy.status("Connections"));
            assertThat(opened.values()).as("server connections opened for 800 commands: " + opened)
                    .allSatisfy(n -> assertThat(n).isLessThan(20));
        }
    }
}
