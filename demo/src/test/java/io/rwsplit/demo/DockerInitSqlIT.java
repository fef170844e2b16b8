package io.rwsplit.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.ClusterSettings;
import io.rwsplit.sandbox.Credentials;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.local.LocalCluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The portable part of docker/'s MySQL initialisation (mysql/sql/10-accounts.sql, as
 * mysql/init.sh renders it) run on the primary of a sandbox MariaDB cluster: the accounts work
 * as the proxy needs them, and the replica gets it all through replication. The cluster is this
 * class's own, with sandbox accounts named so that they do not collide with the script's.
 */
class DockerInitSqlIT {

    private static final Credentials APP = new Credentials("app", "docker-app");
    private static final Credentials MONITOR = new Credentials("rwsplit_monitor", "docker-monitor");
    private static final Credentials REPL = new Credentials("repl", "docker-repl");
    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    private static Cluster cluster;

    @BeforeAll
    static void startCluster() {
        ClusterSettings settings = new ClusterSettings(new Credentials("root", "sandbox-root"),
                new Credentials("sandbox_app", "sandbox-app"), new Credentials("sandbox_repl", "sandbox-repl"),
                "sandbox", false, Duration.ofSeconds(10));
        cluster = LocalCluster.builder().replicas(1).settings(settings).start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void accountsAndSchemaWorkOnThePrimaryAndReachTheReplica(@TempDir Path work) throws Exception {
        DockerFiles.InitRun init = DockerFiles.runInit(work, Map.of("RWSPLIT_ROLE", "primary",
                "MYSQL_ROOT_PASSWORD", "unused", "APP_PASSWORD", APP.password(), "MONITOR_PASSWORD",
                MONITOR.password(), "REPL_PASSWORD", REPL.password()));
        assertThat(init.exitCode()).as(init.stderr()).isZero();
        List<String> accounts = DockerFiles.statements(init.scripts().get(0));
        assertThat(accounts).hasSizeGreaterThanOrEqualTo(7);

        // twice: the image runs it once, but a rerun by hand must not fail
        for (int round = 0; round < 2; round++) {
            try (Connection c = cluster.primary().connectAdmin(); Statement s = c.createStatement()) {
                for (String sql : accounts) {
                    s.execute(sql);
                }
            }
        }
        cluster.awaitReplicasCaughtUp(CATCH_UP);

        Node primary = cluster.primary();
        Node replica = cluster.replica(0);
        try (Connection c = primary.connect(APP, "app", Duration.ofSeconds(10)); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id INT PRIMARY KEY, status VARCHAR(10))");
            s.execute("INSERT INTO orders VALUES (1, 'new')");
        }
        cluster.awaitReplicasCaughtUp(CATCH_UP);
        try (Connection c = replica.connect(APP, "app", Duration.ofSeconds(10)); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT status FROM orders WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("new");
            }
            // no administrative privilege: the replica's read_only applies to the application
            assertThatThrownBy(() -> s.execute("INSERT INTO orders VALUES (2, 'lost')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1290));
        }
        try (Connection c = primary.connect(APP, "", Duration.ofSeconds(10)); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("CREATE DATABASE elsewhere"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42000"));
        }

        // the monitor, on both nodes (its account came to the replica through replication):
        // read_only, and other accounts' sessions in the process list (PROCESS)
        for (Node n : cluster.nodes()) {
            try (Connection other = n.connect(APP, "app", Duration.ofSeconds(10));
                    Connection c = n.connect(MONITOR, "", Duration.ofSeconds(10));
                    Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT @@GLOBAL.read_only")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as(n.name() + " read_only").isEqualTo(n == primary ? 0 : 1);
                }
                List<String> users = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT USER FROM information_schema.PROCESSLIST")) {
                    while (rs.next()) {
                        users.add(rs.getString(1));
                    }
                }
                assertThat(users).as(n.name()).contains(APP.user());
            }
        }
        // the replication account
        try (Connection c = primary.connect(REPL, "", Duration.ofSeconds(10)); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW GRANTS")) {
            StringBuilder grants = new StringBuilder();
            while (rs.next()) {
                grants.append(rs.getString(1)).append('\n');
            }
            assertThat(grants.toString()).contains("REPLICATION SLAVE");
        }
    }
}
