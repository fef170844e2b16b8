package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rwsplit.proxy.config.BackendConfig;
import io.rwsplit.proxy.config.ClientTlsConfig;
import io.rwsplit.proxy.config.LimitsConfig;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * TLS on both sides of the proxy: clients connect with TLS to a generated self-signed certificate
 * (plain clients are refused when TLS is required), and the proxy's own connections to the servers
 * use TLS, as the servers' session status shows.
 */
@SandboxCluster(replicas = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsIT {

    private final Cluster cluster;
    private RunningProxy proxy;

    TlsIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    void start() {
        proxy = RunningProxy.start(cluster, "", LimitsConfig.DEFAULTS, new ClientTlsConfig(null, null, true, true),
                List.of(), BackendConfig.BackendTls.REQUIRED);
    }

    @AfterAll
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private Connection connect(String sslMode) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + proxy.port() + "/" + cluster.database()
                + "?sslMode=" + sslMode + "&allowPublicKeyRetrieval=true", cluster.app().user(),
                cluster.app().password());
    }

    private static String value(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(2);
        }
    }

    @Test
    void aTlsClientIsServedOverTlsAndTheServersSeeTlsToo() throws SQLException {
        try (Connection c = connect("REQUIRED"); Statement s = c.createStatement()) {
            // answered by whichever server runs it: the proxy's connection to it is encrypted
            for (int i = 0; i < 4; i++) {
                assertThat(value(s, "SHOW SESSION STATUS LIKE 'Ssl_cipher'")).isNotBlank();
            }
            s.execute("CREATE TABLE IF NOT EXISTS px_tls (id INT)");
            s.executeUpdate("INSERT INTO px_tls VALUES (1)");
        }
    }

    @Test
    void aPlainClientIsRefusedWhenTlsIsRequired() {
        assertThatThrownBy(() -> connect("DISABLED").close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(3159))
                .hasMessageContaining("insecure transport");
    }
}
