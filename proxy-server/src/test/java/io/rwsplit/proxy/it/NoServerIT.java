package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rwsplit.core.config.ConfigLoader;
import io.rwsplit.proxy.config.BackendConfig;
import io.rwsplit.proxy.config.ClientTlsConfig;
import io.rwsplit.proxy.config.LimitsConfig;
import io.rwsplit.proxy.config.ListenConfig;
import io.rwsplit.proxy.config.ProxyConfig;
import io.rwsplit.proxy.config.UserConfig;
import io.rwsplit.proxy.server.ProxyServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A proxy whose servers are all down: clients log in, and each statement gets an error that says
 * so, with a number every client library shows (not one of the client-side 2xxx numbers, which
 * libmariadb reports as a malformed packet; MariadbCliIT shows the mariadb CLI's view).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NoServerIT {

    private ProxyServer server;

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @BeforeAll
    void start() throws IOException {
        String yaml = "nodes:\n  - {name: gone1, host: 127.0.0.1, port: " + closedPort() + "}\n"
                + "  - {name: gone2, host: 127.0.0.1, port: " + closedPort() + "}\n"
                + "monitor: {interval: 200ms, user: app, password: pw}\n";
        server = ProxyServer.start(new ProxyConfig(new ListenConfig("127.0.0.1", 0),
                List.of(UserConfig.plain("app", "pw")), ClientTlsConfig.OFF,
                new BackendConfig(BackendConfig.BackendTls.DISABLED, Duration.ofSeconds(1)), LimitsConfig.DEFAULTS,
                ConfigLoader.fromYaml(yaml)));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.shutdown(Duration.ofSeconds(1));
        }
    }

    @Test
    void connectorJGets9001WithTheReason() {
        // Connector/J reads server variables while connecting: with no server that is where it fails
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + server.address().getPort()
                + "/?sslMode=DISABLED&allowPublicKeyRetrieval=true", "app", "pw").close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> {
                    assertThat(((SQLException) e).getErrorCode()).isEqualTo(9001);
                    assertThat(((SQLException) e).getSQLState()).isEqualTo("08S01");
                    assertThat(e.getMessage()).contains("no primary is available", "gone1 unknown down");
                });
    }
}
