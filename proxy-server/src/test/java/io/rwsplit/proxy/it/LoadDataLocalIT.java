package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * LOAD DATA LOCAL INFILE through the proxy, where the server asks the client for a file in the
 * middle of a statement: the proxy relays the request to the client and the file's packets to the
 * primary. With Connector/J and with the {@code mariadb} command line; the rows must land on the
 * primary and replicate, and a file the client cannot read must fail the statement only.
 */
@SandboxCluster(replicas = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoadDataLocalIT {

    private static final Duration CATCH_UP = Duration.ofSeconds(20);

    private final Cluster cluster;
    private RunningProxy proxy;
    private Set<Integer> replicaIds;
    @TempDir
    Path dir;

    LoadDataLocalIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    void start() throws SQLException {
        replicaIds = cluster.replicas().stream().map(Node::serverId).collect(Collectors.toSet());
        try (Connection c = cluster.primary().connect(cluster.app()); Statement s = c.createStatement()) {
            for (String t : List.of("ld_cj", "ld_cj_big", "ld_cli")) {
                s.execute("CREATE OR REPLACE TABLE " + t + " (id INT PRIMARY KEY, name VARCHAR(60), amount "
                        + "DECIMAL(10,2))");
            }
        }
        cluster.awaitReplicasCaughtUp(CATCH_UP);
        proxy = RunningProxy.start(cluster);
    }

    @AfterAll
    void stop() throws SQLException {
        if (proxy != null) {
            proxy.close();
        }
        try (Connection c = cluster.primary().connect(cluster.app()); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS ld_cj, ld_cj_big, ld_cli");
        }
    }

    /** {@code rows} lines of {@code id,name,amount}; the names carry a comma-free, non-ASCII text. */
    private Path csv(String name, int rows) throws IOException {
        StringBuilder sb = new StringBuilder(rows * 40);
        for (int i = 1; i <= rows; i++) {
            sb.append(i).append(",row ").append(i).append(" é").append(',').append(i % 1000).append(".25\n");
        }
        return Files.writeString(dir.resolve(name), sb, StandardCharsets.UTF_8);
    }

    private static String load(Path file, String table) {
        return "LOAD DATA LOCAL INFILE '" + file + "' INTO TABLE " + table
                + " CHARACTER SET utf8mb4 FIELDS TERMINATED BY ',' LINES TERMINATED BY '\\n' (id, name, amount)";
    }

    /** Row count and a checksum of the table on every node, read directly. */
    private void assertEveryNodeHas(String table, int rows) throws SQLException {
        cluster.awaitReplicasCaughtUp(CATCH_UP);
        for (Node n : cluster.nodes()) {
            try (Connection c = n.connect(cluster.app()); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(id), MAX(name), SUM(amount) FROM " + table)) {
                rs.next();
                assertThat(rs.getInt(1)).as("rows on " + n.name()).isEqualTo(rows);
                assertThat(rs.getLong(2)).as("sum of ids on " + n.name()).isEqualTo((long) rows * (rows + 1) / 2);
                assertThat(rs.getString(3)).as("a name on " + n.name()).endsWith(" é");
            }
        }
    }

    private static int serverId(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT @@server_id")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void connectorJLoadsAFileOnThePrimaryAndItReplicates() throws Exception {
        Path file = csv("cj.csv", 500);
        Map<String, Long> before = proxy.status("Com_load");
        try (Connection c = proxy.connect("allowLoadLocalInfile=true"); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate(load(file, "ld_cj"))).isEqualTo(500);
            assertThat(replicaIds).as("the next read goes to a replica").contains(serverId(s));
        }
        Map<String, Long> d = RunningProxy.delta(before, proxy.status("Com_load"));
        assertThat(d.get(cluster.primary().name())).as("LOAD DATA ran on the primary").isEqualTo(1L);
        assertEveryNodeHas("ld_cj", 500);
    }

    /** Many MiB: the file goes up in many packets while the proxy relays them. */
    @Test
    void connectorJLoadsAFileOfManyPacketsInATransaction() throws Exception {
        Path file = csv("big.csv", 200_000);
        assertThat(Files.size(file)).isGreaterThan(5L << 20);
        try (Connection c = proxy.connect("allowLoadLocalInfile=true")) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                assertThat(s.executeUpdate(load(file, "ld_cj_big"))).isEqualTo(200_000);
                try (ResultSet rs = s.executeQuery("SELECT @@server_id, COUNT(*) FROM ld_cj_big")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(cluster.primary().serverId());
                    assertThat(rs.getInt(2)).isEqualTo(200_000);
                }
            }
            c.commit();
        }
        assertEveryNodeHas("ld_cj_big", 200_000);
    }

    @Test
    void connectorJWithAMissingFileFailsTheStatementAndTheSessionGoesOn() throws SQLException {
        Path missing = dir.resolve("no-such-file.csv");
        try (Connection c = proxy.connect("allowLoadLocalInfile=true"); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate(load(missing, "ld_cj")))
                    .isInstanceOf(SQLException.class).hasMessageContaining("no-such-file.csv");
            try (ResultSet rs = s.executeQuery("SELECT @@server_id, 'still here'")) {
                assertThat(rs.next()).isTrue();
                assertThat(replicaIds).contains(rs.getInt(1));
                assertThat(rs.getString(2)).isEqualTo("still here");
            }
            assertThat(s.executeUpdate("INSERT INTO ld_cj VALUES (100000, 'after the failed load é', 1)"))
                    .isEqualTo(1);
            assertThat(s.executeUpdate("DELETE FROM ld_cj WHERE id = 100000")).isEqualTo(1);
        }
    }

    @Test
    void connectorJWithoutLocalInfileGetsTheServersRefusal() throws Exception {
        Path file = csv("refused.csv", 3);
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate(load(file, "ld_cj"))).isInstanceOf(SQLException.class);
            assertThat(replicaIds).contains(serverId(s));
        }
    }

    @Test
    void theMariadbClientLoadsAFileAndGoesOnAfterAMissingOne() throws Exception {
        MariadbCli cli = MariadbCli.forCluster(cluster);
        Path file = csv("cli.csv", 1000);
        Path missing = dir.resolve("cli-missing.csv");
        String script = load(file, "ld_cli") + ";\n"
                + "SELECT @@server_id AS sid, ROW_COUNT() AS loaded;\n"
                + load(missing, "ld_cli") + ";\n"
                + "SELECT 'still here' AS after_missing;\n";
        Map<String, Long> before = proxy.status("Com_load");
        ExternalProcess.Result r = cli.run(proxy, List.of("--batch", "--force", "--local-infile=1"), script);

        assertThat(r.stderr()).as(r.describe()).contains("ERROR 2 (HY000) at line 3")
                .contains("cli-missing.csv").doesNotContain("malformed").doesNotContain("Lost connection");
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines).as(r.describe()).containsExactly("sid\tloaded",
                cluster.primary().serverId() + "\t1000", "after_missing", "still here");
        Map<String, Long> d = RunningProxy.delta(before, proxy.status("Com_load"));
        assertThat(d.get(cluster.primary().name())).as("the load that had a file ran on the primary")
                .isGreaterThanOrEqualTo(1L);
        assertEveryNodeHas("ld_cli", 1000);
    }
}
