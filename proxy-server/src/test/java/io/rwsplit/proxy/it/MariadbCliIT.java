package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.proxy.config.ClientTlsConfig;
import io.rwsplit.proxy.config.LimitsConfig;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Credentials;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@code mariadb} command-line client (MariaDB Connector/C underneath) through the proxy: batch
 * statements, a script on stdin, and the errors a user sees. Output is read in {@code --batch}
 * form: tab-separated, a header line per result.
 */
@SandboxCluster(replicas = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariadbCliIT {

    private final Cluster cluster;
    private RunningProxy proxy;
    private MariadbCli cli;
    private String primaryId;
    private Set<String> replicaIds;

    MariadbCliIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    void start() {
        cli = MariadbCli.forCluster(cluster);
        primaryId = String.valueOf(cluster.primary().serverId());
        replicaIds = cluster.replicas().stream().map(n -> String.valueOf(n.serverId())).collect(Collectors.toSet());
        proxy = RunningProxy.start(cluster);
    }

    @AfterAll
    void stop() throws SQLException {
        if (proxy != null) {
            proxy.close();
        }
        try (Connection c = cluster.primary().connect(cluster.app()); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS cli_batch, cli_script");
        }
    }

    @Test
    void severalStatementsOfOneBatchEachGetTheirResult() throws SQLException {
        try (Connection c = cluster.primary().connect(cluster.app()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS cli_batch (id INT PRIMARY KEY, name VARCHAR(20))");
        }
        Map<String, Long> inserts = proxy.status("Com_insert");
        ExternalProcess.Result r = cli.run(proxy, List.of("--batch", "-e",
                "SELECT 1 + 1 AS two; SELECT @@server_id AS sid; SELECT 'x' AS letter, NULL AS nothing; "
                        + "REPLACE INTO cli_batch VALUES (1, 'one'); INSERT INTO cli_batch VALUES (2, 'two') "
                        + "ON DUPLICATE KEY UPDATE name = 'two'; SELECT 'done' AS status"), "");

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stderr()).as(r.describe()).isEmpty();
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines).as(r.describe()).hasSize(8);
        assertThat(lines.subList(0, 3)).containsExactly("two", "2", "sid");
        assertThat(replicaIds).as("the server id came from a replica").contains(lines.get(3));
        assertThat(lines.subList(4, 8)).containsExactly("letter\tnothing", "x\tNULL", "status", "done");
        Map<String, Long> d = RunningProxy.delta(inserts, proxy.status("Com_insert"));
        assertThat(d.get(cluster.primary().name())).as("the INSERT ran on the primary").isEqualTo(1L);
    }

    @Test
    void aScriptOnStdinWithATransactionRunsInOrderAndWritesOnThePrimary() {
        String script = """
                DROP TABLE IF EXISTS cli_script;
                CREATE TABLE cli_script (id INT PRIMARY KEY, name VARCHAR(40)) DEFAULT CHARSET = utf8mb4;
                SET NAMES utf8mb4;
                INSERT INTO cli_script VALUES (1, 'one'), (2, 'two');
                INSERT INTO cli_script VALUES (3, 'naïve — ünïcödé');
                START TRANSACTION;
                INSERT INTO cli_script VALUES (4, 'four');
                SELECT @@server_id AS in_tx, COUNT(*) AS rows_in_tx FROM cli_script;
                UPDATE cli_script SET name = 'TWO' WHERE id = 2;
                COMMIT;
                BEGIN;
                DELETE FROM cli_script WHERE id = 1;
                ROLLBACK;
                SELECT /* rwsplit:primary */ @@server_id AS sid, id, name FROM cli_script ORDER BY id;
                SELECT @@server_id AS after_tx;
                """;
        // --comments: the client strips comments otherwise, and with them the routing hint
        ExternalProcess.Result r = cli.run(proxy, List.of("--batch", "--comments"), script);

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stderr()).as(r.describe()).isEmpty();
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines).as(r.describe()).hasSize(9);
        assertThat(lines.subList(0, 2)).containsExactly("in_tx\trows_in_tx", primaryId + "\t4");
        assertThat(lines.subList(2, 7)).containsExactly("sid\tid\tname", primaryId + "\t1\tone",
                primaryId + "\t2\tTWO", primaryId + "\t3\tnaïve — ünïcödé", primaryId + "\t4\tfour");
        assertThat(lines.get(7)).isEqualTo("after_tx");
        assertThat(replicaIds).as("after COMMIT reads go to replicas again").contains(lines.get(8));
    }

    /** Between statements the session gives its replica connection back, and takes one from the pool again. */
    @Test
    void theReadsOfAScriptShareAFewPooledBackendConnections() throws SQLException {
        StringBuilder script = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            script.append("SELECT @@server_id AS sid;\n");
        }
        Map<String, Long> before = proxy.status("Connections");
        ExternalProcess.Result r = cli.run(proxy, List.of("--batch", "--skip-column-names"), script.toString());
        Map<String, Long> opened = RunningProxy.delta(before, proxy.status("Connections"));

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stdout().lines().distinct().sorted().toList()).as("the reads were shared by the replicas")
                .containsExactlyElementsOf(replicaIds.stream().sorted().toList());
        for (Node n : cluster.replicas()) {
            // one for the reads, one for the status query of this test; not one per statement
            assertThat(opened.get(n.name())).as("connections opened to %s: %s", n.name(), opened)
                    .isLessThanOrEqualTo(4L);
        }
    }

    @Test
    void anErrorInAScriptNamesItsLineAndForceGoesOn() {
        String script = """
                SELECT 'before' AS step;
                SELECT * FROM cli_no_such_table;
                SELECT 'after' AS step;
                """;
        ExternalProcess.Result stops = cli.run(proxy, List.of("--batch"), script);
        assertThat(stops.exitCode()).as(stops.describe()).isEqualTo(1);
        assertThat(stops.stderr()).as(stops.describe()).contains("ERROR 1146 (42S02) at line 2: Table '"
                + cluster.database() + ".cli_no_such_table' doesn't exist");
        assertThat(stops.stdout().lines().toList()).containsExactly("step", "before");

        ExternalProcess.Result goesOn = cli.run(proxy, List.of("--batch", "--force"), script);
        assertThat(goesOn.stderr()).as(goesOn.describe()).contains("ERROR 1146 (42S02) at line 2");
        assertThat(goesOn.stdout().lines().toList()).containsExactly("step", "before", "step", "after");
    }

    @Test
    void aWrongPasswordIsRefusedWith1045AndANonZeroExit() {
        ExternalProcess.Result r = cli.run(proxy, new Credentials(cluster.app().user(), "not-the-password"),
                cluster.database(), List.of("-e", "SELECT 1"), "");

        assertThat(r.exitCode()).as(r.describe()).isNotZero();
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).as(r.describe())
                .contains("ERROR 1045 (28000)").contains("Access denied for user '" + cluster.app().user() + "'");
    }

    /**
     * The proxy's own errors reach this client with their message: Connector/C shows an ERR packet
     * whose errno is in its own range (2000-2999) as "2027 Received malformed packet" instead.
     */
    @Test
    void theProxysOwnErrorReachesTheClientWithItsMessage() {
        List<Node> replicasOnly = cluster.replicas();
        // failover off: this proxy must not try to promote a replica of the shared cluster
        try (RunningProxy noPrimary = RunningProxy.start(cluster, replicasOnly, "failover: 'off'\n",
                LimitsConfig.DEFAULTS, ClientTlsConfig.OFF)) {
            ExternalProcess.Result r = cli.run(noPrimary, cluster.app(), null, List.of("--batch", "-e",
                    "SELECT 'read' AS step; CREATE TABLE " + cluster.database() + ".cli_nowhere (id INT)"), "");

            assertThat(r.exitCode()).as(r.describe()).isEqualTo(1);
            assertThat(r.stdout().lines().toList()).as("the read ran on a replica").containsExactly("step", "read");
            assertThat(r.stderr()).as(r.describe())
                    .contains("ERROR 9001 (08S01) at line 1: no primary is available for this statement")
                    .doesNotContain("malformed");
        }
    }
}
