package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
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
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code rwsplit-proxy.jar}, run as a user runs it ({@code java -jar ... -c file}),
 * in front of a sandbox cluster: it routes, and stops cleanly on SIGTERM. Catches what only the
 * shaded jar can get wrong (a dependency left out, a missing service file).
 */
@SandboxCluster(replicas = 2)
class ProxyJarIT {

    private final Cluster cluster;

    ProxyJarIT(Cluster cluster) {
        this.cluster = cluster;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void theJarRoutesAndStopsOnSigterm(@TempDir Path dir) throws Exception {
        Path jar = Path.of("target", "rwsplit-proxy.jar").toAbsolutePath();
        assumeThat(Files.exists(jar)).as("the shaded jar is built by 'package' (" + jar + ")").isTrue();
        int port = freePort();
        StringBuilder yaml = new StringBuilder();
        yaml.append("listen: {address: 127.0.0.1, port: ").append(port).append("}\n");
        yaml.append("users:\n  - {name: ").append(cluster.app().user()).append(", password: '")
                .append(cluster.app().password()).append("'}\n");
        yaml.append("backend: {tls: disabled}\n");
        yaml.append("limits: {shutdownGrace: 2s}\n");
        yaml.append("admin: {port: 0}\n");
        yaml.append(RunningProxy.nodesAndMonitorYaml(cluster, cluster.nodes(), n -> "127.0.0.1", ""));
        Path config = dir.resolve("proxy.yaml");
        Files.writeString(config, yaml.toString(), StandardCharsets.UTF_8);
        Path log = dir.resolve("proxy.log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String url = "jdbc:mysql://127.0.0.1:" + port + "/" + cluster.database() + "?sslMode=DISABLED"
                    + "&allowPublicKeyRetrieval=true&connectTimeout=1000";
            Set<Integer> servers = new HashSet<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Connection c = null;
            while (c == null) {
                try {
                    c = DriverManager.getConnection(url, cluster.app().user(), cluster.app().password());
                } catch (SQLException e) {
                    if (System.nanoTime() > deadline || !p.isAlive()) {
                        throw new AssertionError("the proxy did not take connections; its log:\n"
                                + Files.readString(log), e);
                    }
                    Thread.sleep(200);
                }
            }
            try (Connection cc = c; Statement s = cc.createStatement()) {
                for (int i = 0; i < 10; i++) {
                    try (ResultSet rs = s.executeQuery("SELECT @@server_id")) {
                        rs.next();
                        servers.add(rs.getInt(1));
                    }
                }
            }
            assertThat(servers).as("reads went to the replicas").containsExactlyInAnyOrderElementsOf(
                    cluster.replicas().stream().map(Node::serverId).toList());
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("stopped within its grace").isTrue();
            assertThat(Files.readString(log)).contains("rwsplit proxy stopped").doesNotContain(
                    cluster.app().password());
        } finally {
            p.destroyForcibly();
            p.waitFor(Duration.ofSeconds(5).toSeconds(), TimeUnit.SECONDS);
        }
    }
}
