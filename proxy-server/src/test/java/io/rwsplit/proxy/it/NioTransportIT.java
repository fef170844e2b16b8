package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.core.config.ConfigLoader;
import io.rwsplit.proxy.config.BackendConfig;
import io.rwsplit.proxy.config.ClientTlsConfig;
import io.rwsplit.proxy.config.LimitsConfig;
import io.rwsplit.proxy.config.ListenConfig;
import io.rwsplit.proxy.config.ProxyConfig;
import io.rwsplit.proxy.config.UserConfig;
import io.rwsplit.proxy.server.ProxyServer;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The proxy on Java NIO ({@code listen.transport: nio}), the fallback where Netty's native epoll
 * does not load; every other IT runs on the default, epoll on this machine.
 */
@SandboxCluster(replicas = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NioTransportIT {

    private final Cluster cluster;
    private ProxyServer server;

    NioTransportIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    void start() {
        server = ProxyServer.start(new ProxyConfig(new ListenConfig("127.0.0.1", 0, ListenConfig.Transport.NIO),
                List.of(UserConfig.plain(cluster.app().user(), cluster.app().password())), ClientTlsConfig.OFF,
                new BackendConfig(BackendConfig.BackendTls.DISABLED, Duration.ofSeconds(2)), LimitsConfig.DEFAULTS,
                ConfigLoader.fromYaml(RunningProxy.nodesAndMonitorYaml(cluster))));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.shutdown(Duration.ofSeconds(2));
        }
    }

    private Connection connect(String options) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + server.address().getPort() + "/"
                + cluster.database() + "?sslMode=DISABLED&allowPublicKeyRetrieval=true" + options,
                cluster.app().user(), cluster.app().password());
    }

    @Test
    void textAndPreparedStatementsRunAndReadsReachTheReplicas() throws SQLException {
        Set<Integer> replicaIds = cluster.replicas().stream().map(Node::serverId).collect(Collectors.toSet());
        Set<Integer> seen = new HashSet<>();
        try (Connection c = connect("&useServerPrepStmts=true");
                PreparedStatement ps = c.prepareStatement("SELECT @@server_id, ?")) {
            for (int i = 0; i < 20; i++) {
                ps.setInt(1, i);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(2)).isEqualTo(i);
                    seen.add(rs.getInt(1));
                }
            }
            try (Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                try (ResultSet rs = s.executeQuery("SELECT @@server_id")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("a transaction runs on the primary")
                            .isEqualTo(cluster.primary().serverId());
                }
                c.commit();
            }
        }
        assertThat(seen).isEqualTo(replicaIds);
    }

    @Test
    void aLargeResultArrivesWhole() throws SQLException {
        try (Connection c = connect(""); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT seq, REPEAT('x', 1000) FROM seq_1_to_20000")) {
            long rows = 0;
            long bytes = 0;
            while (rs.next()) {
                rows++;
                bytes += rs.getString(2).length();
            }
            assertThat(rows).isEqualTo(20_000);
            assertThat(bytes).isEqualTo(20_000_000L);
        }
    }
}
