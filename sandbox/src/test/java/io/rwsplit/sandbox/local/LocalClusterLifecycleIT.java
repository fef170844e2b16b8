package io.rwsplit.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.Flavor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting and stopping clusters for real: semi-synchronous replication, nothing left behind after
 * close, a crashed JVM's servers reaped by the next run, and the CLI's detached start/status/stop.
 * Each test uses a sandbox home of its own, so it cannot disturb the suite's shared cluster.
 */
class LocalClusterLifecycleIT {

    @TempDir
    Path home;

    private SandboxPaths paths() {
        return SandboxPaths.fromEnvironment().withHome(home);
    }

    @Test
    void aSemiSyncClusterAcknowledgesCommitsAndLeavesNothingBehindWhenClosed() throws SQLException {
        long t0 = System.nanoTime();
        Cluster cluster = LocalCluster.builder().paths(paths()).replicas(2).semiSync(true).start();
        System.out.printf("sandbox: 1 primary + 2 replicas (semi-sync) up in %d ms%n",
                (System.nanoTime() - t0) / 1_000_000);
        List<Long> pids = cluster.nodes().stream().map(Node::pid).toList();
        Path dir = home.resolve(cluster.name());
        try {
            try (Connection c = cluster.primary().connectAdmin(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + cluster.database() + ".ledger (id INT PRIMARY KEY)");
                s.execute("INSERT INTO " + cluster.database() + ".ledger VALUES (1)");
                assertThat(status(s, cluster.primary().dialect().semiSyncStatusVariable())).isEqualTo("ON");
                assertThat(status(s, cluster.primary().dialect().semiSyncClientsVariable())).isEqualTo("2");
                String acknowledged = cluster.primary().dialect().semiSyncClientsVariable().replace("_clients", "_yes_tx");
                assertThat(status(s, acknowledged)).as("commits acknowledged by a replica").isNotEqualTo("0");
            }
            assertThat(pids).allSatisfy(pid -> assertThat(alive(pid)).isTrue());
            assertThat(dir).isDirectory();
        } finally {
            cluster.close();
        }
        assertThat(pids).allSatisfy(pid -> assertThat(alive(pid)).as("server pid %d after close", pid).isFalse());
        assertThat(dir).doesNotExist();
        assertThat(serversUnder(home)).isEmpty();
    }

    @Test
    void aClusterWithoutTlsReplicatesInPlainText() throws SQLException {
        try (Cluster cluster = LocalCluster.builder().paths(paths()).replicas(1).tls(false).start()) {
            assertThat(cluster.tls()).isEmpty();
            try (Connection c = cluster.primary().connectAdmin(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + cluster.database() + ".plain (id INT PRIMARY KEY)");
                s.execute("INSERT INTO " + cluster.database() + ".plain VALUES (7)");
            }
            cluster.awaitReplicasCaughtUp(Duration.ofSeconds(30));
            Node replica = cluster.replicas().get(0);
            try (Connection c = replica.connectAdmin(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT id FROM " + cluster.database() + ".plain")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(7);
                }
                try (ResultSet rs = s.executeQuery(replica.dialect().replicaStatusSql())) {
                    assertThat(rs.next()).isTrue();
                    String column = replica.version().flavor() == Flavor.MARIADB ? "Master_SSL_Allowed"
                            : "Source_SSL_Allowed";
                    assertThat(rs.getString(column)).as("replica connects with TLS").isEqualTo("No");
                }
            }
            assertThat(replica.replicationStatus().healthy()).isTrue();
        }
    }

    @Test
    void theServersOfACrashedJvmAreReapedByTheNextRun() throws Exception {
        Process jvm = cli("start", "--name", "crashed", "--replicas", "1", "--foreground");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(),
                StandardCharsets.UTF_8))) {
            StringBuilder seen = new StringBuilder();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                seen.append(line).append('\n');
                if (line.contains("Ctrl-C stops the cluster")) {
                    break;
                }
            }
            assertThat(seen).contains("Ctrl-C stops the cluster");
            List<Long> pids;
            try (Cluster seenFromHere = LocalCluster.attach(paths(), "crashed")) {
                pids = seenFromHere.nodes().stream().map(Node::pid).toList();
            }
            assertThat(pids).hasSize(2).allSatisfy(pid -> assertThat(alive(pid)).isTrue());

            jvm.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertThat(pids).as("kill -9 of the JVM does not take its servers along")
                    .allSatisfy(pid -> assertThat(alive(pid)).isTrue());

            assertThat(LocalCluster.reapOrphans(paths())).containsExactly("crashed");
            assertThat(pids).allSatisfy(pid -> assertThat(alive(pid)).isFalse());
            assertThat(home.resolve("crashed")).doesNotExist();
        } finally {
            jvm.destroyForcibly();
            LocalCluster.destroy(paths(), "crashed");
        }
    }

    @Test
    void theCliStartsADetachedClusterShowsItAndStopsIt() throws Exception {
        try {
            Result start = run(cli("start", "--name", "cli", "--replicas", "1"));
            assertThat(start.exit).as(start.output).isZero();
            assertThat(start.output).contains("n1", "primary", "n2", "replica", "jdbc:mysql://127.0.0.1:");

            Cluster cluster = LocalCluster.attach(paths(), "cli");
            List<Long> pids = cluster.nodes().stream().map(Node::pid).toList();
            assertThat(pids).allSatisfy(pid -> assertThat(alive(pid)).as("outlives the CLI").isTrue());
            try (Connection c = cluster.replica(0).connect(cluster.app()); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT @@server_id")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }

            Result status = run(cli("status", "--name", "cli"));
            assertThat(status.exit).as(status.output).isZero();
            assertThat(status.output).contains("running").contains("OFF").contains("ON");

            cluster.replica(0).kill();
            Result degraded = run(cli("status", "--name", "cli"));
            assertThat(degraded.exit).as("a node down is an error exit").isEqualTo(1);
            assertThat(degraded.output).contains("down");

            Result stop = run(cli("stop", "--name", "cli"));
            assertThat(stop.exit).as(stop.output).isZero();
            assertThat(pids).allSatisfy(pid -> assertThat(alive(pid)).isFalse());
            assertThat(home.resolve("cli")).doesNotExist();

            Result again = run(cli("stop", "--name", "cli"));
            assertThat(again.exit).isEqualTo(1);
            assertThat(again.output).contains("No sandbox cluster named cli");
        } finally {
            LocalCluster.destroy(paths(), "cli");
        }
    }

    @Test
    void aBadServerBinaryFailsWithAMessageAndStartsNothing() {
        Path bogus = home.resolve("not-a-server");
        Result r;
        try {
            Files.writeString(bogus, "#!/bin/sh\necho 'I am not a database'\n");
            assertThat(bogus.toFile().setExecutable(true)).isTrue();
            r = run(cli("start", "--name", "bad", "--server", bogus.toString()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.output).contains("sandbox: ").contains("I am not a database").doesNotContain("Exception");
        assertThat(serversUnder(home)).isEmpty();
    }

    private record Result(int exit, String output) {
    }

    private static Result run(Process p) throws IOException, InterruptedException {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    /** The CLI in a JVM of its own, with this test's sandbox home. */
    private Process cli(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.rwsplit.sandbox.cli.SandboxCli");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("RWSPLIT_SANDBOX_HOME", home.toString());
        return pb.start();
    }

    private static String status(Statement s, String variable) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE '" + variable + "'")) {
            return rs.next() ? rs.getString(2) : null;
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Server processes whose command line points into {@code dir}. */
    static List<Long> serversUnder(Path dir) {
        return ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().map(c -> c.contains(dir.toString())).orElse(false))
                .filter(h -> h.info().command().map(c -> c.endsWith("mariadbd") || c.endsWith("mysqld")).orElse(false))
                .map(ProcessHandle::pid).toList();
    }
}
