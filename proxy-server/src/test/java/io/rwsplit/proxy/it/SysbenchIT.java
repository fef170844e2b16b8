package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * sysbench's OLTP workloads through the proxy, with the MySQL C API (libmariadb) as the client:
 * prepared statements ({@code --db-ps-mode=auto}) or plain text ({@code disable}), explicit
 * transactions, auto-increment inserts, four connections at once. sysbench must end cleanly with
 * no error and no reconnect, the servers' own counters say where the reads ran, and the proxy
 * serves it all from a few pooled backend connections.
 *
 * <p>{@code --rand-type=uniform}: sysbench's default ("special") sends most writes to 1% of the
 * rows, where four threads deadlock now and then on any server; that would be noise here.
 */
@SandboxCluster(replicas = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SysbenchIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int RUN_SECONDS = 5;

    private final Cluster cluster;
    private Path sysbench;
    private RunningProxy proxy;

    SysbenchIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    void start() {
        Optional<Path> found = ExternalProcess.onPath("sysbench");
        assumeTrue(found.isPresent(), "sysbench is not installed (Debian/Ubuntu: apt-get install sysbench; "
                + ".ci/run installs it)");
        sysbench = found.get();
        proxy = RunningProxy.start(cluster);
    }

    @AfterAll
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private ExternalProcess.Result sysbench(String workload, String psMode, String command, String... more) {
        List<String> cmd = new ArrayList<>(List.of(sysbench.toString(), workload, "--db-driver=mysql",
                "--mysql-host=127.0.0.1", "--mysql-port=" + proxy.port(), "--mysql-user=" + cluster.app().user(),
                "--mysql-password=" + cluster.app().password(), "--mysql-db=" + cluster.database(),
                "--mysql-ssl=off", "--db-ps-mode=" + psMode, "--tables=2", "--table-size=10000",
                "--rand-type=uniform"));
        cmd.addAll(List.of(more));
        cmd.add(command);
        ExternalProcess.Result r = ExternalProcess.run(cmd, "", TIMEOUT);
        assertThat(r.exitCode()).as("sysbench %s %s\n%s", workload, command, r.describe()).isZero();
        assertThat(r.stdout() + r.stderr()).as(r.describe()).doesNotContain("FATAL").doesNotContain("ALERT");
        return r;
    }

    /** A number from sysbench's report, e.g. {@code read:  16814} or {@code reconnects:  0  (0.00 per sec.)}. */
    private static long reported(ExternalProcess.Result r, String label) {
        Matcher m = Pattern.compile("^\\s*" + Pattern.quote(label) + ":\\s+(\\d+)", Pattern.MULTILINE)
                .matcher(r.stdout());
        assertThat(m.find()).as("'%s' in sysbench's report\n%s", label, r.describe()).isTrue();
        return Long.parseLong(m.group(1));
    }

    @ParameterizedTest(name = "{0} --db-ps-mode={1}")
    @CsvSource({"oltp_read_write, auto", "oltp_read_write, disable", "oltp_point_select, auto",
            "oltp_point_select, disable"})
    void runsWithoutErrorsAndReadsWhereTheRoutingSays(String workload, String psMode) throws SQLException {
        sysbench(workload, psMode, "cleanup");
        sysbench(workload, psMode, "prepare");
        cluster.awaitReplicasCaughtUp(Duration.ofSeconds(30));
        try {
            Map<String, Long> before = proxy.status("Com_select");
            Map<String, Long> connectionsBefore = proxy.status("Connections");
            ExternalProcess.Result run = sysbench(workload, psMode, "run", "--threads=4",
                    "--time=" + RUN_SECONDS, "--report-interval=0");
            Map<String, Long> selects = RunningProxy.delta(before, proxy.status("Com_select"));
            Map<String, Long> connections = RunningProxy.delta(connectionsBefore, proxy.status("Connections"));

            assertThat(reported(run, "ignored errors")).as(run.describe()).isZero();
            assertThat(reported(run, "reconnects")).as(run.describe()).isZero();
            long reads = reported(run, "read");
            long transactions = reported(run, "transactions");
            assertThat(transactions).as("transactions done in %d s", RUN_SECONDS).isGreaterThan(100);

            // four client connections need a few backend connections on the nodes that run the workload,
            // kept in the pools and reused, not one per statement or transaction. (Only there: on a
            // replica applying a stream of writes, Connections also counts threads of the server's own.)
            boolean readsOnly = workload.equals("oltp_point_select");
            for (Node n : readsOnly ? cluster.replicas() : List.of(cluster.primary())) {
                assertThat(connections.get(n.name())).as("new connections to %s during the run: %s", n.name(),
                        connections).isLessThanOrEqualTo(20L);
            }

            long onPrimary = selects.get(cluster.primary().name());
            long onReplicas = cluster.replicas().stream().mapToLong(n -> selects.get(n.name())).sum();
            if (readsOnly) {
                // autocommit reads: all on the replicas, shared between them; the primary sees only
                // the monitor's probes
                assertThat(onReplicas).as("selects on the replicas %s", selects).isGreaterThanOrEqualTo(reads);
                for (Node n : cluster.replicas()) {
                    assertThat(selects.get(n.name())).as("selects on %s: %s", n.name(), selects)
                            .isGreaterThan(reads / 4);
                }
                assertThat(onPrimary).as("selects on the primary %s", selects).isLessThan(reads / 100 + 200);
            } else {
                // every read is inside BEGIN ... COMMIT with writes: the primary's
                assertThat(onPrimary).as("selects on the primary %s", selects).isGreaterThanOrEqualTo(reads);
                assertThat(onReplicas).as("selects on the replicas %s", selects).isLessThan(reads / 100 + 200);
            }
        } finally {
            sysbench(workload, psMode, "cleanup");
        }
    }
}
