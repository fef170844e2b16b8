package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.mysql.cj.jdbc.JdbcConnection;
import io.rwsplit.proxy.auth.CachingSha2Password;
import io.rwsplit.proxy.auth.NativePassword;
import io.rwsplit.proxy.protocol.HandshakeV10;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret reaches the proxy's log. The packaged proxy runs as an operator runs it, with every
 * logger at debug (rwsplit's at trace) and its whole stderr captured in a file; then it sees
 * logins with right and wrong passwords (mysql_native_password, caching_sha2_password's fast path,
 * its RSA exchange and its clear-text form over TLS), COM_CHANGE_USER either way, its own logins
 * to the servers and the monitor's, and {@code --check} and a rejected config are run on files
 * holding passwords. None of the passwords, the configured hashes, nor a login's scramble and
 * answer may appear in any form a logger would print them.
 */
@SandboxCluster(replicas = 2)
class LogSecretsIT {

    private static final String PLAIN_PW = "Plain-Secret-4711";
    private static final String NATIVE_PW = "Native-Secret-5822";
    private static final String SHA2_PW = "Sha2-Secret-6933";
    private static final String WRONG_PW = "Wrong-Secret-9913";

    private final Cluster cluster;

    LogSecretsIT(Cluster cluster) {
        this.cluster = cluster;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private String config(int port) {
        String app = "backendUser: " + cluster.app().user() + ", backendPassword: '" + cluster.app().password() + "'";
        StringBuilder yaml = new StringBuilder();
        yaml.append("listen: {address: 127.0.0.1, port: ").append(port).append("}\n");
        yaml.append("users:\n");
        yaml.append("  - {name: ").append(cluster.app().user()).append(", password: '")
                .append(cluster.app().password()).append("'}\n");
        yaml.append("  - {name: px_log_plain, password: '").append(PLAIN_PW).append("', ").append(app).append("}\n");
        yaml.append("  - {name: px_log_native, passwordHash: '").append(NativePassword.hashOf(NATIVE_PW))
                .append("', ").append(app).append("}\n");
        yaml.append("  - {name: px_log_sha2, passwordHash: 'sha256d:").append(sha2Hex()).append("', ").append(app)
                .append("}\n");
        yaml.append("tls: {selfSigned: true}\n");
        yaml.append("backend: {tls: preferred}\n");
        yaml.append("limits: {shutdownGrace: 1s, authFailureDelayAfter: 0}\n");
        yaml.append(RunningProxy.nodesAndMonitorYaml(cluster, cluster.nodes(), n -> "127.0.0.1", ""));
        return yaml.toString();
    }

    private static String sha2Hex() {
        return CachingSha2Password.hashOf(SHA2_PW).substring("sha256d:".length());
    }

    /** Every form in which a secret might be printed: as it is, and its bytes in hex (both cases) and base64. */
    private static void addForms(Set<String> forms, String text) {
        forms.add(text);
        addForms(forms, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void addForms(Set<String> forms, byte[] bytes) {
        String hex = HexFormat.of().formatHex(bytes);
        forms.add(hex);
        forms.add(hex.toUpperCase(Locale.ROOT));
        forms.add(HexFormat.ofDelimiter(" ").formatHex(bytes)); // as hex dumps space them
        forms.add(Base64.getEncoder().encodeToString(bytes));
        forms.add(new String(bytes, StandardCharsets.ISO_8859_1));
        forms.add(java.util.Arrays.toString(bytes));
    }

    private Connection connect(int port, String user, String password, String sslMode) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/" + cluster.database() + "?sslMode="
                + sslMode + "&allowPublicKeyRetrieval=true&connectTimeout=5000", user, password);
    }

    private static void query(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@server_id")) {
            assertThat(rs.next()).isTrue();
        }
    }

    private void refusedLogin(int port, String user, String password, String sslMode) {
        assertThatThrownBy(() -> connect(port, user, password, sslMode).close())
                .as("%s with a wrong password over %s", user, sslMode).isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getErrorCode()).isEqualTo(1045);
    }

    @Test
    void noPasswordHashOrScrambleIsLogged(@TempDir Path dir) throws Exception {
        Path jar = Path.of("target", "rwsplit-proxy.jar").toAbsolutePath();
        assumeThat(Files.exists(jar)).as("the shaded jar is built by 'package' (" + jar + ")").isTrue();
        int port = freePort();
        Path config = Files.writeString(dir.resolve("proxy.yaml"), config(port), StandardCharsets.UTF_8);
        Set<String> secrets = new LinkedHashSet<>();
        for (String pw : List.of(cluster.app().password(), cluster.admin().password(), PLAIN_PW, NATIVE_PW, SHA2_PW,
                WRONG_PW)) {
            addForms(secrets, pw);
        }
        String nativeHash = NativePassword.hashOf(NATIVE_PW);
        secrets.add(nativeHash.substring(1));
        secrets.add(nativeHash.substring(1).toLowerCase(Locale.ROOT));
        secrets.add(sha2Hex());
        secrets.add(sha2Hex().toLowerCase(Locale.ROOT));

        Path log = dir.resolve("proxy.log");
        Process p = new ProcessBuilder(java(), "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug",
                "-Dorg.slf4j.simpleLogger.log.io.rwsplit=trace", "-jar", jar.toString(), "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Connection app = awaitProxy(p, port, log);
            List<String> outputs = new ArrayList<>();
            try (Connection c = app) {
                query(c); // the proxy logs in to a server with the backend password
                JdbcConnection j = c.unwrap(JdbcConnection.class);
                j.changeUser("px_log_plain", PLAIN_PW);
                query(c);
                assertThatThrownBy(() -> j.changeUser("px_log_plain", WRONG_PW)).isInstanceOf(SQLException.class);
            }
            refusedLogin(port, cluster.app().user(), WRONG_PW, "DISABLED");
            try (Connection c = connect(port, "px_log_native", NATIVE_PW, "DISABLED")) {
                query(c);
            }
            refusedLogin(port, "px_log_native", WRONG_PW, "DISABLED");
            try (Connection c = connect(port, "px_log_sha2", SHA2_PW, "DISABLED")) {
                query(c);
            }
            refusedLogin(port, "px_log_sha2", WRONG_PW, "DISABLED"); // full authentication, RSA-encrypted
            refusedLogin(port, "px_log_sha2", WRONG_PW, "REQUIRED"); // full authentication, in clear over TLS
            refusedLogin(port, "px_no_such_user", WRONG_PW, "DISABLED");
            // a login by hand, to know its scramble and answer
            try (RawClient c = RawClient.connect(port, Duration.ofSeconds(10))) {
                c.login(cluster.app().user(), cluster.app().password(), null);
                HandshakeV10 g = c.greeting;
                addForms(secrets, g.scramble());
                addForms(secrets, NativePassword.token(cluster.app().password(), g.scramble()));
                addForms(secrets, CachingSha2Password.fastToken(cluster.app().password(), g.scramble()));
                c.ping();
            }
            // the config checked, and a config rejected for a bad hash next to the passwords
            ExternalProcess.Result check = ExternalProcess.run(List.of(java(), "-jar", jar.toString(), "-c",
                    config.toString(), "--check"), "", Duration.ofSeconds(60));
            assertThat(check.exitCode()).as(check.describe()).isZero();
            outputs.add(check.stdout() + check.stderr());
            Path bad = Files.writeString(dir.resolve("bad.yaml"), config(port).replace(
                    NativePassword.hashOf(NATIVE_PW), "*" + NATIVE_PW), StandardCharsets.UTF_8);
            ExternalProcess.Result rejected = ExternalProcess.run(List.of(java(), "-jar", jar.toString(), "-c",
                    bad.toString(), "--check"), "", Duration.ofSeconds(60));
            assertThat(rejected.exitCode()).as(rejected.describe()).isNotZero();
            assertThat(rejected.stderr() + rejected.stdout()).contains("users[2].passwordHash");
            outputs.add(rejected.stdout() + rejected.stderr());

            p.destroy(); // SIGTERM
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("stopped").isTrue();
            String text = Files.readString(log);
            // the capture saw the login path at its most talkative
            assertThat(text).contains("rwsplit proxy stopped", "client refused: reason=access_denied",
                    "user=\"px_log_sha2\"", "DEBUG");
            outputs.add(text);
            for (String out : outputs) {
                for (String s : secrets) {
                    int at = out.indexOf(s);
                    if (at >= 0) {
                        int from = out.lastIndexOf('\n', at) + 1;
                        int to = out.indexOf('\n', at);
                        throw new AssertionError("a secret ('" + s + "') is in this output line:\n"
                                + out.substring(from, to < 0 ? out.length() : to));
                    }
                }
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private Connection awaitProxy(Process p, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (;;) {
            try {
                return connect(port, cluster.app().user(), cluster.app().password(), "DISABLED");
            } catch (SQLException e) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    throw new AssertionError("the proxy did not take connections; its log:\n" + Files.readString(log),
                            e);
                }
                Thread.sleep(200);
            }
        }
    }
}
