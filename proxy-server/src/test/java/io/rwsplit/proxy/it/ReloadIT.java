package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rwsplit.proxy.config.ProxyConfigLoader;
import io.rwsplit.proxy.server.ProxyServer;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/reload} on a proxy started from a file: users, nodes and limits change while a
 * session stays open; what needs a restart is refused whole.
 */
@SandboxCluster(replicas = 2)
class ReloadIT {

    private static final String TOKEN = "reload-token-5521";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Cluster cluster;
    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path dir;
    private ProxyServer server;

    ReloadIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdown(Duration.ofSeconds(2));
        }
    }

    /** The proxy's file: the cluster's app user plus {@code extraUsers}, and {@code nodes}. */
    private String yaml(int port, String extraUsers, List<Node> nodes, int maxConnections) {
        StringBuilder y = new StringBuilder();
        y.append("listen: {address: 127.0.0.1, port: ").append(port).append("}\n");
        y.append("users:\n  - {name: ").append(cluster.app().user()).append(", password: '")
                .append(cluster.app().password()).append("'}\n").append(extraUsers);
        y.append("backend: {tls: disabled}\n");
        y.append("limits: {maxConnections: ").append(maxConnections).append("}\n");
        y.append("admin: {address: 127.0.0.1, port: 0, token: ").append(TOKEN).append("}\n");
        y.append("failover: follow\n");
        y.append(RunningProxy.nodesAndMonitorYaml(cluster, nodes, Node::host, ""));
        return y.toString();
    }

    private ProxyServer start(Path file) {
        return ProxyServer.start(ProxyConfigLoader.load(file), () -> ProxyConfigLoader.load(file));
    }

    private HttpResponse<String> reload() throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminAddress().orElseThrow()
                .getPort() + "/api/reload")).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build();
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private Connection connect(String user, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + server.address().getPort() + "/"
                + cluster.database() + "?sslMode=DISABLED&allowPublicKeyRetrieval=true", user, password);
    }

    private static int serverId(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT @@server_id")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void usersAndNodesChangeWithoutDroppingAnOpenSession() throws Exception {
        Node primary = cluster.primary();
        Node r1 = cluster.replicas().get(0);
        Node r2 = cluster.replicas().get(1);
        Path file = dir.resolve("proxy.yaml");
        Files.writeString(file, yaml(0, "", List.of(primary, r1), 100));
        server = start(file);

        try (Connection open = connect(cluster.app().user(), cluster.app().password());
                Statement s = open.createStatement()) {
            open.setAutoCommit(false);
            s.executeQuery("SELECT @@server_id").close();   // a transaction open on the primary

            Set<Integer> before = new HashSet<>();
            try (Connection c = connect(cluster.app().user(), cluster.app().password());
                    Statement cs = c.createStatement()) {
                for (int i = 0; i < 10; i++) {
                    before.add(serverId(cs));
                }
            }
            assertThat(before).as("reads before the reload: only the configured replica").containsExactly(
                    r1.serverId());
            assertThatThrownBy(() -> connect("reporter", "rep-pw-1")).isInstanceOf(SQLException.class);

            // add the second replica and a user whose server account is the app's
            Files.writeString(file, yaml(0, "  - {name: reporter, password: rep-pw-1, "
                    + "backendUser: " + cluster.app().user() + ", backendPassword: '" + cluster.app().password()
                    + "'}\n", List.of(primary, r1, r2), 100));
            HttpResponse<String> r = reload();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.get("changes").toString()).contains("users", "nodes");
            assertThat(body.get("message").asText()).contains("added [" + r2.name() + "]");

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Set<Integer> seen = new HashSet<>();
                try (Connection c = connect("reporter", "rep-pw-1"); Statement cs = c.createStatement()) {
                    for (int i = 0; i < 10; i++) {
                        seen.add(serverId(cs));
                    }
                }
                assertThat(seen).as("the new user logs in; reads reach the added replica")
                        .containsExactlyInAnyOrder(r1.serverId(), r2.serverId());
            });

            // remove the first replica again
            Files.writeString(file, yaml(0, "", List.of(primary, r2), 100));
            assertThat(reload().statusCode()).isEqualTo(200);
            try (Connection c = connect(cluster.app().user(), cluster.app().password());
                    Statement cs = c.createStatement()) {
                for (int i = 0; i < 10; i++) {
                    assertThat(serverId(cs)).isEqualTo(r2.serverId());
                }
            }
            assertThatThrownBy(() -> connect("reporter", "rep-pw-1")).as("a removed user cannot log in")
                    .isInstanceOf(SQLException.class).hasMessageContaining("Access denied");

            // the session opened before every reload still has its transaction
            assertThat(serverId(s)).isEqualTo(primary.serverId());
            open.commit();
        }
    }

    @Test
    void aUserAtItsLimitCanStillChangeUserToItselfAfterAReload() throws Exception {
        Path file = dir.resolve("proxy.yaml");
        String limited = "  - {name: limited, password: lim-pw, maxConnections: 1, backendUser: " + cluster.app().user()
                + ", backendPassword: '" + cluster.app().password() + "'}\n";
        Files.writeString(file, yaml(0, limited, cluster.nodes(), 100));
        server = start(file);
        try (Connection c = connect("limited", "lim-pw")) {
            assertThatThrownBy(() -> connect("limited", "lim-pw")).as("the limit holds")
                    .isInstanceOf(SQLException.class).hasMessageContaining("max_user_connections");
            // any change to the users makes new Account objects; the open session keeps its slot
            Files.writeString(file, yaml(0, limited + "  - {name: other, password: o-pw}\n", cluster.nodes(), 100));
            assertThat(reload().statusCode()).isEqualTo(200);
            c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class).changeUser("limited", "lim-pw");
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
            assertThatThrownBy(() -> connect("limited", "lim-pw")).as("and the limit still holds")
                    .isInstanceOf(SQLException.class).hasMessageContaining("max_user_connections");
        }
        try (Connection again = connect("limited", "lim-pw")) {
            assertThat(again.isValid(2)).as("the slot came back when the session closed").isTrue();
        }
    }

    @Test
    void aChangeThatNeedsARestartOrDropsThePrimaryChangesNothing() throws Exception {
        Node primary = cluster.primary();
        Path file = dir.resolve("proxy.yaml");
        Files.writeString(file, yaml(0, "", cluster.nodes(), 100));
        server = start(file);
        // the file said port 0 (any free port); naming one is a change of listen.port
        Files.writeString(file, yaml(server.address().getPort(), "", cluster.nodes(), 5));
        HttpResponse<String> moved = reload();
        assertThat(moved.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(moved.body()).get("error").asText()).contains("need a restart: listen");

        Files.writeString(file, yaml(0, "", cluster.replicas(), 100));
        HttpResponse<String> noPrimary = reload();
        assertThat(noPrimary.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(noPrimary.body()).get("error").asText())
                .contains("leaves out " + primary.name() + ", the current primary");

        Files.writeString(file, "listen: {port: [not a port]}\n");
        HttpResponse<String> broken = reload();
        assertThat(broken.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(broken.body()).get("error").asText()).contains("the config file has an error");

        // after three refusals the proxy runs as before: every node, the same limits
        try (Connection c = connect(cluster.app().user(), cluster.app().password());
                Statement s = c.createStatement()) {
            assertThat(serverId(s)).isIn(cluster.replicas().stream().map(Node::serverId).toList());
        }
        // the refused file said maxConnections 5: the running limit is still 100
        List<Connection> many = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                many.add(connect(cluster.app().user(), cluster.app().password()));
            }
            assertThat(many).hasSize(8);
        } finally {
            for (Connection c : many) {
                c.close();
            }
        }
    }
}
