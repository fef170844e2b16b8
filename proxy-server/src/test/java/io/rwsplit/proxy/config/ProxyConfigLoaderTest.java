package io.rwsplit.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.core.config.BalanceStrategy;
import io.rwsplit.core.config.FailoverMode;
import io.rwsplit.core.config.NodeConfig;
import io.rwsplit.proxy.auth.CachingSha2Password;
import io.rwsplit.proxy.auth.NativePassword;
import io.rwsplit.proxy.config.BackendConfig.BackendTls;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyConfigLoaderTest {

    static final String CERT_PEM = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n";
    static final String KEY_PEM = "-----BEGIN PRIVATE KEY-----\nMIIEfake\n-----END PRIVATE KEY-----\n";

    private static final String MINIMAL = "users:\n  - {name: app, password: pw}\nnodes:\n  - host: db1\n";

    @Test
    void readsEveryKey(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("cert.pem"), CERT_PEM);
        Files.createDirectory(dir.resolve("tls"));
        Files.writeString(dir.resolve("tls/key.pem"), KEY_PEM);
        String nativeHash = NativePassword.hashOf("reporting-pw");
        // lower case, as `openssl dgst` prints it (see proxy.example.yaml)
        String sha2Hash = CachingSha2Password.hashOf("batch-pw").toLowerCase(Locale.ROOT);
        Path file = dir.resolve("proxy.yaml");
        Files.writeString(file, """
                listen: {address: 127.0.0.1, port: 7033, transport: nio}
                users:
                  - name: app
                    password: ${APP_PASSWORD}
                    allowedHosts: [10.0.0.0/8, 127.0.0.1, "::1"]
                    maxConnections: 50
                    requireTls: true
                  - name: reporting
                    passwordHash: "%s"
                    backendUser: reporting_ro
                    backendPassword: ${REPORTING_DB_PASSWORD}
                  - name: batch
                    passwordHash: "%s"
                    backendPassword: plain-backend
                    allowedHosts: 192.168.0.0/16, 172.16.0.1
                tls: {certificate: cert.pem, key: tls/key.pem, required: true}
                backend: {tls: verify-identity, connectTimeout: 750ms, caCertificate: cert.pem}
                limits: {maxConnections: 500, authTimeout: 3s, maxMessageBytes: 16M, shutdownGrace: 0s,
                         workerThreads: 4, readTimeout: 45s, authFailureDelayAfter: 5, authFailureDelay: 200ms,
                         authFailureMaxDelay: 10s, authFailureWindow: 1h}
                nodes:
                  - {host: db1, name: primary}
                  - {host: db2, port: 3307}
                balance: least-connections
                failover: promote
                """.formatted(nativeHash, sha2Hash));

        ProxyConfig c = ProxyConfigLoader.load(file,
                Map.of("APP_PASSWORD", "app-pw", "REPORTING_DB_PASSWORD", "ro-pw", "RWSPLIT_ADMIN_TOKEN", "t0k")::get);

        assertThat(c.listen()).isEqualTo(new ListenConfig("127.0.0.1", 7033, ListenConfig.Transport.NIO));
        assertThat(c.users()).containsExactly(
                new UserConfig("app", "app-pw", null, null, List.of(CidrRange.parse("10.0.0.0/8"),
                        CidrRange.parse("127.0.0.1"), CidrRange.parse("::1")), 50, "app", "app-pw", true),
                new UserConfig("reporting", null, nativeHash, null, List.of(), 0, "reporting_ro", "ro-pw"),
                new UserConfig("batch", null, null, sha2Hash, List.of(CidrRange.parse("192.168.0.0/16"),
                        CidrRange.parse("172.16.0.1")), 0, "batch", "plain-backend"));
        assertThat(c.tls()).isEqualTo(new ClientTlsConfig(dir.resolve("cert.pem").toAbsolutePath().normalize(),
                dir.resolve("tls/key.pem").toAbsolutePath().normalize(), false, true));
        assertThat(c.backend()).isEqualTo(new BackendConfig(BackendTls.VERIFY_IDENTITY, Duration.ofMillis(750),
                dir.resolve("cert.pem").toAbsolutePath().normalize()));
        assertThat(c.limits()).isEqualTo(new LimitsConfig(500, Duration.ofSeconds(3), 16L << 20, Duration.ZERO, 4,
                Duration.ofSeconds(45), new AuthFailureLimits(5, Duration.ofMillis(200), Duration.ofSeconds(10),
                        Duration.ofHours(1))));
        assertThat(c.routing().nodes()).extracting(NodeConfig::name).containsExactly("primary", "db2:3307");
        assertThat(c.routing().balance()).isEqualTo(BalanceStrategy.LEAST_CONNECTIONS);
        assertThat(c.routing().failover()).isEqualTo(FailoverMode.PROMOTE);
        assertThat(c.toString()).doesNotContain("app-pw", "ro-pw", "plain-backend", nativeHash, sha2Hash);
    }

    @Test
    void aMinimalFileGetsEveryDefault() {
        ProxyConfig c = ProxyConfigLoader.load(MINIMAL, name -> null);

        assertThat(c.listen()).isEqualTo(new ListenConfig("0.0.0.0", 6033)).isEqualTo(ListenConfig.DEFAULTS);
        assertThat(c.users()).containsExactly(UserConfig.plain("app", "pw"));
        assertThat(c.tls()).isEqualTo(ClientTlsConfig.OFF);
        assertThat(c.tls().enabled()).isFalse();
        assertThat(c.backend()).isEqualTo(new BackendConfig(BackendTls.PREFERRED, Duration.ofSeconds(2)));
        assertThat(c.limits()).isEqualTo(new LimitsConfig(10_000, Duration.ofSeconds(10), 64L << 20,
                Duration.ofSeconds(10), 0, Duration.ofSeconds(30), new AuthFailureLimits(3, Duration.ofSeconds(1),
                        Duration.ofSeconds(30), Duration.ofMinutes(10))));
        assertThat(c.users().get(0).requireTls()).isFalse();
        assertThat(c.routing().failover()).as("the proxy promotes a replica by default; the driver follows")
                .isEqualTo(FailoverMode.PROMOTE);
    }

    @Test
    void aUserWithoutAllowedHostsMayComeFromAnywhere() throws Exception {
        UserConfig u = ProxyConfigLoader.load(MINIMAL, name -> null).users().get(0);
        assertThat(u.allows(InetAddress.getByName("203.0.113.9"))).isTrue();
        assertThat(u.allows(InetAddress.getByName("2001:db8::1"))).isTrue();
    }

    @Test
    void allowedHostsAreEnforcedByTheUser() throws Exception {
        UserConfig u = ProxyConfigLoader.load("users:\n  - {name: app, password: pw, allowedHosts: [10.1.0.0/16]}\n"
                + "nodes:\n  - host: db1\n", name -> null).users().get(0);
        assertThat(u.allows(InetAddress.getByName("10.1.200.3"))).isTrue();
        assertThat(u.allows(InetAddress.getByName("10.2.0.1"))).isFalse();
    }

    @Test
    void anEmptyPasswordIsAPassword() {
        UserConfig u = ProxyConfigLoader.load("users:\n  - {name: app, password: ''}\nnodes:\n  - host: db1\n",
                name -> null).users().get(0);
        assertThat(u.password()).isEmpty();
        assertThat(u.backendPassword()).isEmpty();
    }

    @Test
    void theBackendPasswordDefaultsToThePasswordAsRead() {
        // An environment value that looks like a reference is still just the password.
        UserConfig u = ProxyConfigLoader.load("users:\n  - {name: app, password: '${APP_PW}'}\nnodes:\n  - host: db1\n",
                Map.of("APP_PW", "${NOT_A_REFERENCE}")::get).users().get(0);
        assertThat(u.password()).isEqualTo("${NOT_A_REFERENCE}");
        assertThat(u.backendPassword()).isEqualTo("${NOT_A_REFERENCE}");
        assertThat(u.backendUser()).isEqualTo("app");
    }

    @Test
    void aSelfSignedPairNeedsNoFiles() {
        ProxyConfig c = ProxyConfigLoader.load(MINIMAL + "tls: {selfSigned: true, required: true}\n", name -> null);
        assertThat(c.tls()).isEqualTo(new ClientTlsConfig(null, null, true, true));
        assertThat(c.tls().enabled()).isTrue();
    }

    @Test
    void backendTlsModesAreSpelledAsTheMysqlClientsSslModes() {
        for (BackendTls mode : BackendTls.values()) {
            assertThat(ProxyConfigLoader.load(MINIMAL + "backend: {tls: " + mode.key() + "}\n", name -> null)
                    .backend().tls()).isEqualTo(mode);
        }
        assertThat(BackendTls.VERIFY_CA.key()).isEqualTo("verify-ca");
        assertThat(ProxyConfigLoader.load(MINIMAL + "backend: {tls: VERIFY_IDENTITY}\n", name -> null).backend()
                .caCertificate()).as("the JVM's trusted CAs").isNull();
    }

    @Test
    void zeroTurnsTheLoginSlowdownOff() {
        assertThat(ProxyConfigLoader.load(MINIMAL + "limits: {authFailureDelayAfter: 0}\n", name -> null)
                .limits().authFailures().enabled()).isFalse();
        assertThat(ProxyConfigLoader.load(MINIMAL + "limits: {authFailureMaxDelay: 0s}\n", name -> null)
                .limits().authFailures().enabled()).isFalse();
    }

    @Test
    void sizesAcceptBytesAndUnits() {
        assertThat(ProxyConfigLoader.load(MINIMAL + "limits: {maxMessageBytes: 1048576}\n", name -> null)
                .limits().maxMessageBytes()).isEqualTo(1L << 20);
        assertThat(ProxyConfigLoader.load(MINIMAL + "limits: {maxMessageBytes: 1GiB}\n", name -> null)
                .limits().maxMessageBytes()).isEqualTo(1L << 30);
        assertThat(ProxyConfigLoader.load(MINIMAL + "limits: {maxMessageBytes: 1K}\n", name -> null)
                .limits().maxMessageBytes()).isEqualTo(1024);
    }

    @Test
    void theExampleFileLoads() {
        // Surefire runs in the module directory, where the example lives.
        ProxyConfig c = ProxyConfigLoader.load(Path.of("proxy.example.yaml"),
                Map.of("APP_PASSWORD", "app-pw", "REPORTING_DB_PASSWORD", "ro-pw", "RWSPLIT_ADMIN_TOKEN", "t0k")::get);

        assertThat(c.listen()).isEqualTo(ListenConfig.DEFAULTS);
        assertThat(c.users()).extracting(UserConfig::name).containsExactly("app", "reporting");
        assertThat(c.users().get(1).nativeHash()).isNotNull();
        assertThat(c.users().get(1).backendPassword()).isEqualTo("ro-pw");
        assertThat(c.tls()).isEqualTo(ClientTlsConfig.OFF);
        assertThat(c.backend()).isEqualTo(BackendConfig.DEFAULTS);
        assertThat(c.limits()).isEqualTo(LimitsConfig.DEFAULTS);
        assertThat(c.routing().nodes()).extracting(NodeConfig::name).containsExactly("db1", "db2", "db3");
        assertThat(c.routing().failover()).isEqualTo(FailoverMode.PROMOTE);
        assertThat(c.admin()).isEqualTo(AdminConfig.on("127.0.0.1", AdminConfig.DEFAULT_PORT, "t0k"));
    }

    @Test
    void adminListensLocallyByDefaultWithoutAToken() {
        assertThat(ProxyConfigLoader.load(MINIMAL, name -> null).admin()).isEqualTo(AdminConfig.DEFAULTS);
        AdminConfig a = ProxyConfigLoader.load(MINIMAL + "admin: {address: 0.0.0.0, port: 0, token: '${T}', "
                + "tokenForReads: true}\n", Map.of("T", "s3cret")::get).admin();
        assertThat(a).isEqualTo(new AdminConfig(true, "0.0.0.0", 0, "s3cret", true));
        assertThat(a.toString()).doesNotContain("s3cret");
        assertThat(ProxyConfigLoader.load(MINIMAL + "admin: {enabled: false}\n", name -> null).admin().enabled())
                .isFalse();
    }

    @Test
    void adminKeysAreChecked() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProxyConfigLoader.load(MINIMAL
                + "admin: {tokn: x}\n", name -> null)).hasMessageContaining("admin.tokn").hasMessageContaining("token");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProxyConfigLoader.load(MINIMAL
                + "admin: {tokenForReads: true}\n", name -> null)).hasMessageContaining("admin.tokenForReads")
                .hasMessageContaining("no token");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProxyConfigLoader.load(MINIMAL
                + "admin: {port: 70000}\n", name -> null)).hasMessageContaining("admin.port");
    }
}
