package io.rwsplit.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.sandbox.ClusterSettings;
import io.rwsplit.sandbox.Role;
import io.rwsplit.sandbox.ServerVersion;
import io.rwsplit.sandbox.TlsFiles;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocalServerOptionsTest {

    private final NodeLayout layout = new NodeLayout(Path.of("/tmp/rwsplit-sandbox/c1/n2"));

    private static ServerBinary binary(String version) {
        return new ServerBinary(Path.of("/usr/sbin/mysqld"), Path.of("/usr"), ServerVersion.parse(version),
                Optional.empty());
    }

    @Test
    void aMariaDbReplicaListensOnLoopbackWithItsOwnIdAndIsReadOnly() {
        Map<String, String> o = LocalServerOptions.options(binary("11.4.5-MariaDB"), layout, 2, 40123, Role.REPLICA,
                ClusterSettings.DEFAULTS, Optional.empty(), false, Map.of());
        assertThat(o).containsEntry("port", "40123").containsEntry("bind-address", "127.0.0.1")
                .containsEntry("server-id", "2").containsEntry("read-only", "ON")
                .containsEntry("datadir", "/tmp/rwsplit-sandbox/c1/n2/data")
                .containsEntry("log-bin", "binlog").containsEntry("innodb-log-file-size", "16M")
                .containsKey("skip-ssl").doesNotContainKey("user");
    }

    @Test
    void withCertificatesTheServerServesTlsInsteadOfMakingItsOwn() {
        TlsFiles tls = new TlsFiles(Path.of("/c/ca.pem"), Path.of("/c/cert.pem"), Path.of("/c/key.pem"));
        Map<String, String> o = LocalServerOptions.options(binary("11.4.5-MariaDB"), layout, 1, 4000, Role.PRIMARY,
                ClusterSettings.DEFAULTS, Optional.of(tls), true, Map.of("max-connections", "1000"));
        assertThat(o).containsEntry("ssl-ca", "/c/ca.pem").containsEntry("ssl-cert", "/c/cert.pem")
                .containsEntry("ssl-key", "/c/key.pem").doesNotContainKey("skip-ssl")
                .containsEntry("user", "root").containsEntry("read-only", "OFF")
                .containsEntry("max-connections", "1000");
    }

    @Test
    void aMySqlNodeGetsGtidModeAndNoXProtocolPort() {
        Map<String, String> o = LocalServerOptions.options(binary("8.4.3"), layout, 1, 4000, Role.PRIMARY,
                ClusterSettings.DEFAULTS, Optional.empty(), false, Map.of());
        assertThat(o).containsEntry("gtid-mode", "ON").containsEntry("loose-mysqlx", "OFF")
                .containsEntry("loose-innodb-redo-log-capacity", "16M").doesNotContainKey("skip-ssl");
    }

    @Test
    void rendersAnOptionFileTheServerReads() {
        String text = LocalServerOptions.render(new java.util.LinkedHashMap<>(Map.of("port", "4000")));
        assertThat(text).startsWith("# written by the rwsplit sandbox\n[mysqld]\n").contains("port = 4000\n");
        assertThat(LocalServerOptions.render(new java.util.LinkedHashMap<>(Map.of("skip-ssl", ""))))
                .endsWith("skip-ssl\n");
        assertThat(LocalServerOptions.render(new java.util.LinkedHashMap<>(Map.of("datadir", "/a b/data"))))
                .contains("datadir = \"/a b/data\"");
    }

    @Test
    void aSocketPathTooLongForUnixFallsBackToTheTempFolder() {
        NodeLayout deep = new NodeLayout(Path.of("/tmp/" + "x".repeat(120) + "/n1"));
        assertThat(deep.socket().toString().length()).isLessThanOrEqualTo(100);
        assertThat(layout.socket()).isEqualTo(Path.of("/tmp/rwsplit-sandbox/c1/n2/server.sock"));
    }
}
