package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The admin HTTP listener of a proxy in front of a real primary and two replicas: the metrics
 * agree with where statements ran (by {@code @@server_id}), health and topology name the nodes,
 * draining a replica sends new reads to the other one only, and changes need the token.
 */
@SandboxCluster(replicas = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminIT {

    private static final String TOKEN = "admin-it-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SAMPLE = Pattern.compile("^(\\w+)(\\{[^}]*})? (\\S+)$");

    private final Cluster cluster;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private RunningProxy proxy;
    private Map<Integer, String> nodeById;

    AdminIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    void start() {
        nodeById = new HashMap<>();
        for (Node n : cluster.nodes()) {
            nodeById.put(n.serverId(), n.name());
        }
        proxy = RunningProxy.startWithAdmin(cluster, TOKEN);
    }

    @AfterAll
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(proxy.adminUrl() + path)).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(proxy.adminUrl() + path))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode topology() throws Exception {
        HttpResponse<String> r = get("/api/topology");
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** The samples of {@code name} in a scrape, by their label text ({@code {node="n2",reason="read"}}). */
    private Map<String, Double> scrape(String name) throws Exception {
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : r.body().split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (m.matches() && m.group(1).equals(name)) {
                samples.put(m.group(2) == null ? "" : m.group(2), Double.parseDouble(m.group(3)));
            }
        }
        return samples;
    }

    /** Statements routed so far, by node name. */
    private Map<String, Long> routedByNode() throws Exception {
        Map<String, Long> byNode = new HashMap<>();
        Pattern node = Pattern.compile("node=\"([^\"]+)\"");
        scrape("rwsplit_statements_routed_total").forEach((labels, v) -> {
            Matcher m = node.matcher(labels);
            assertThat(m.find()).isTrue();
            byNode.merge(m.group(1), v.longValue(), Long::sum);
        });
        return byNode;
    }

    /** Runs {@code SELECT @@server_id} {@code n} times on one connection; the count by node name. */
    private Map<String, Long> reads(Connection c, int n) throws SQLException {
        Map<String, Long> where = new HashMap<>();
        try (Statement s = c.createStatement()) {
            for (int i = 0; i < n; i++) {
                try (ResultSet rs = s.executeQuery("SELECT @@server_id")) {
                    rs.next();
                    where.merge(nodeById.get(rs.getInt(1)), 1L, Long::sum);
                }
            }
        }
        return where;
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String node) {
        return after.getOrDefault(node, 0L) - before.getOrDefault(node, 0L);
    }

    @Test
    void routedCountersAgreeWithWhereStatementsRan() throws Exception {
        try (Connection c = proxy.connect("")) {
            reads(c, 1); // the connection's own start-up statements are behind us
            Map<String, Long> before = routedByNode();
            Map<String, Long> ran = reads(c, 20);
            try (Statement s = c.createStatement()) {
                for (int i = 0; i < 5; i++) {
                    s.execute("DO 1"); // a statement for the primary that changes nothing
                }
            }
            Map<String, Long> after = routedByNode();

            String primary = cluster.primary().name();
            assertThat(ran).as("reads ran on the replicas only").doesNotContainKey(primary);
            for (Node r : cluster.replicas()) {
                assertThat(delta(before, after, r.name())).as("routed to %s", r.name())
                        .isEqualTo(ran.getOrDefault(r.name(), 0L));
            }
            assertThat(delta(before, after, primary)).as("routed to the primary").isEqualTo(5);
        }
        Map<String, Double> latency = scrape("rwsplit_statement_duration_seconds_count");
        assertThat(latency.values().stream().mapToDouble(Double::doubleValue).sum()).isGreaterThanOrEqualTo(26);
        assertThat(scrape("rwsplit_node_up")).containsEntry("{node=\"" + cluster.primary().name() + "\"}", 1.0);
        assertThat(scrape("rwsplit_node_role")).containsEntry("{node=\"" + cluster.primary().name()
                + "\",role=\"primary\"}", 1.0);
        assertThat(scrape("rwsplit_replica_lag_seconds")).containsOnlyKeys(cluster.replicas().stream()
                .map(r -> "{node=\"" + r.name() + "\"}").toArray(String[]::new));
    }

    @Test
    void readinessAndTopologyNameThePrimaryAndBothReplicas() throws Exception {
        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(get("/health/live").statusCode()).isEqualTo(200);

        JsonNode t = topology();
        assertThat(t.get("primary").asText()).isEqualTo(cluster.primary().name());
        assertThat(t.get("failover").asText()).isEqualTo(proxy.server.runtime().failoverMode().name()
                .toLowerCase(java.util.Locale.ROOT));
        Map<String, String> roles = new HashMap<>();
        t.get("nodes").forEach(n -> roles.put(n.get("name").asText(), n.get("role").asText() + "/"
                + n.get("health").asText()));
        assertThat(roles).containsEntry(cluster.primary().name(), "primary/up");
        for (Node r : cluster.replicas()) {
            assertThat(roles).containsEntry(r.name(), "replica/up");
        }
    }

    @Test
    void aDrainedReplicaGetsNoNewReadsUntilUndrained() throws Exception {
        Node drained = cluster.replica(0);
        Node other = cluster.replica(1);
        try (Connection c = proxy.connect("")) {
            assertThat(reads(c, 10)).as("both replicas read before the drain")
                    .containsOnlyKeys(drained.name(), other.name());

            HttpResponse<String> r = post("/api/nodes/" + drained.name() + "/drain", TOKEN);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            try {
                long version = topology().get("version").asLong();
                // the flag must outlive the monitor's next passes, which rebuild the topology
                Awaitility.await().atMost(Duration.ofSeconds(10))
                        .until(() -> topology().get("version").asLong() >= version + 3);
                assertThat(node(topology(), drained.name()).get("drained").asBoolean()).isTrue();

                assertThat(reads(c, 20)).as("new reads while %s is drained", drained.name())
                        .containsOnlyKeys(other.name()).containsEntry(other.name(), 20L);
                assertThat(scrape("rwsplit_node_drained")).containsEntry("{node=\"" + drained.name() + "\"}", 1.0);
            } finally {
                HttpResponse<String> u = post("/api/nodes/" + drained.name() + "/undrain", TOKEN);
                assertThat(u.statusCode()).as(u.body()).isEqualTo(200);
            }
            assertThat(node(topology(), drained.name()).get("drained").asBoolean()).isFalse();
            assertThat(reads(c, 10)).as("both replicas read after the undrain")
                    .containsOnlyKeys(drained.name(), other.name());
        }
    }

    private static JsonNode node(JsonNode topology, String name) {
        for (JsonNode n : topology.get("nodes")) {
            if (n.get("name").asText().equals(name)) {
                return n;
            }
        }
        throw new AssertionError("no node " + name + " in " + topology);
    }

    @Test
    void thePrimaryCannotBeDrainedAndChangesNeedTheToken() throws Exception {
        HttpResponse<String> primary = post("/api/nodes/" + cluster.primary().name() + "/drain", TOKEN);
        assertThat(primary.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(primary.body()).get("error").asText()).contains("primary");

        String replica = cluster.replica(0).name();
        assertThat(post("/api/nodes/" + replica + "/drain", null).statusCode()).isEqualTo(401);
        assertThat(post("/api/nodes/" + replica + "/drain", "not-the-token").statusCode()).isEqualTo(401);
        assertThat(post("/api/nodes/nosuchnode/drain", TOKEN).statusCode()).isEqualTo(404);
        assertThat(node(topology(), replica).get("drained").asBoolean()).isFalse();
        assertThat(node(topology(), cluster.primary().name()).get("drained").asBoolean()).isFalse();
    }

    @Test
    void explainSaysWhereAStatementWouldGo() throws Exception {
        JsonNode read = JSON.readTree(get("/api/explain?sql=" + URLEncoder.encode("SELECT * FROM t WHERE id = 1",
                StandardCharsets.UTF_8)).body());
        assertThat(read.get("route").asText()).isEqualTo("replica");
        assertThat(read.get("kind").asText()).isEqualTo("read");

        JsonNode write = JSON.readTree(get("/api/explain?sql=" + URLEncoder.encode("UPDATE t SET a = 1",
                StandardCharsets.UTF_8)).body());
        assertThat(write.get("route").asText()).isEqualTo("primary");
        assertThat(write.get("node").asText()).isEqualTo(cluster.primary().name());

        assertThat(get("/api/explain").statusCode()).isEqualTo(400);
    }

    @Test
    void aRefusedClientIsCountedAndLoggedWithoutItsPassword() throws Exception {
        double before = scrape("rwsplit_clients_refused_total").getOrDefault("{reason=\"access_denied\"}", 0.0);
        // slf4j-simple writes to whatever System.err is at the time of each line
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThatThrownBy(() -> DriverManager.getConnection(proxy.jdbcUrl(""), cluster.app().user(),
                    "wrong-pw-7731")).isInstanceOf(SQLException.class).hasMessageContaining("Access denied");
            assertThat(post("/api/nodes/nosuchnode/drain", TOKEN).statusCode()).isEqualTo(404);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> captured.toString(StandardCharsets.UTF_8)
                    .contains("client refused:"));
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        err.print(log);

        assertThat(log).contains("client refused: reason=access_denied errno=1045 user=\"" + cluster.app().user()
                + "\" address=127.0.0.1:").doesNotContain("wrong-pw-7731").doesNotContain(TOKEN)
                .doesNotContain(cluster.app().password());
        assertThat(scrape("rwsplit_clients_refused_total")).containsEntry("{reason=\"access_denied\"}", before + 1);
    }
}
