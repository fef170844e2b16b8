package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rwsplit.proxy.config.ClientTlsConfig;
import io.rwsplit.proxy.config.LimitsConfig;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * While there is no primary (a failover in progress, say), clients that name a database still log
 * in and read from the replicas; writes get ERR 9001 saying why.
 */
@SandboxCluster(replicas = 2)
class ReplicasOnlyIT {

    private final Cluster cluster;

    ReplicasOnlyIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void readersLogInAndReadWithoutAPrimary() throws SQLException {
        // failover off: this proxy must not promote a replica of the shared cluster
        try (RunningProxy proxy = RunningProxy.start(cluster, cluster.replicas(), "failover: 'off'\n",
                LimitsConfig.DEFAULTS, ClientTlsConfig.OFF);
                Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT DATABASE(), @@server_id")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(cluster.database());
                assertThat(rs.getInt(2)).isIn(cluster.replicas().stream().map(Node::serverId).toList());
            }
            assertThatThrownBy(() -> s.executeUpdate("CREATE TABLE px_nowhere (id INT)"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(9001))
                    .hasMessageContaining("no primary is available");
        }
    }
}
