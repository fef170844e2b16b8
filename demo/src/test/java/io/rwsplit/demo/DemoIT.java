package io.rwsplit.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rwsplit.sandbox.local.LocalCluster;
import io.rwsplit.sandbox.local.SandboxPaths;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code ./rwsplit demo --no-wait} end to end: its own cluster and proxy (on a free port), a short
 * workload, the printed report, and nothing left running afterwards.
 */
class DemoIT {

    private static final String NAME = "demo-it";
    private static final Pattern ROW = Pattern.compile(
            "^ {2}(n\\d) +(primary|replica) +(\\S+) +([\\d,]+) +([\\d,]+) +([\\d,]+|-) +([\\d,]+|-) +([\\d,]+|-)$",
            Pattern.MULTILINE);
    private static final Pattern PID = Pattern.compile("^ {2}n\\d +(?:primary|replica) +\\S+ +pid (\\d+)$",
            Pattern.MULTILINE);
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern CLIENTS = Pattern.compile(
            "The clients sent ([\\d,]+) reads, ([\\d,]+) INSERTs and ([\\d,]+) UPDATEs, and committed ([\\d,]+) "
                    + "transactions; ([\\d,]+) errors\\.");

    @Test
    void reportsReadsOnTheReplicasAndWritesOnThePrimaryThenStopsEverything() throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DemoCli.run(new String[] {"--duration", "3s", "--port", "0", "--admin-port", "0", "--threads", "2",
            "--no-wait",
            "--name", NAME}, new PrintWriter(out, true), new PrintWriter(err, true));
        String text = out.toString();

        assertThat(code).as("exit code; stdout:%n%s%nstderr:%n%s", text, err).isZero();
        assertThat(text).doesNotContain("\r").contains("Connect:", "jdbc:rwsplit:mysql://", "--skip-ssl")
                .containsPattern("Status page: http://127\\.0\\.0\\.1:\\d+/");

        Matcher clients = CLIENTS.matcher(text);
        assertThat(clients.find()).as(text).isTrue();
        long reads = number(clients.group(1));
        long inserts = number(clients.group(2));
        long updates = number(clients.group(3));
        long commits = number(clients.group(4));
        assertThat(number(clients.group(5))).as("errors").isZero();
        assertThat(reads).isPositive();
        assertThat(text).contains("every one found the new row");

        Map<String, String[]> rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(text);
        while (m.find()) {
            rows.put(m.group(1), new String[] {m.group(2), m.group(4), m.group(5), m.group(6), m.group(7),
                m.group(8)});
        }
        assertThat(rows).as(text).containsOnlyKeys("n1", "n2", "n3");
        String[] primary = rows.get("n1");
        assertThat(primary[0]).isEqualTo("primary");
        // by the primary's own counters: exactly the clients' writes, and no others
        assertThat(number(primary[3])).as("primary Com_insert").isEqualTo(inserts);
        assertThat(number(primary[4])).as("primary Com_update").isEqualTo(updates);
        assertThat(number(primary[5])).as("primary Com_commit").isEqualTo(commits);
        long replicaSelects = 0;
        for (String n : List.of("n2", "n3")) {
            String[] r = rows.get(n);
            assertThat(r[0]).isEqualTo("replica");
            assertThat(number(r[2])).as(n + " Com_select").isGreaterThan(reads / 10);
            assertThat(r[3]).as(n + " Com_insert is not shown for a replica").isEqualTo("-");
            replicaSelects += number(r[2]);
        }
        // the point reads went to the replicas: the primary's reads are the proxy's own queries after writes
        assertThat(replicaSelects).isGreaterThan(number(primary[2]));

        // stopped: the servers' processes, the cluster's folder, the proxy's port
        Matcher pids = PID.matcher(text);
        List<Long> servers = new ArrayList<>();
        while (pids.find()) {
            servers.add(Long.parseLong(pids.group(1)));
        }
        assertThat(servers).hasSize(3);
        for (long pid : servers) {
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("server pid " + pid).isEmpty();
        }
        assertThat(LocalCluster.list(SandboxPaths.fromEnvironment())).doesNotContain(NAME);
        Matcher port = LISTENING.matcher(text);
        assertThat(port.find()).isTrue();
        int proxyPort = Integer.parseInt(port.group(1));
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", proxyPort), 2_000);
            }
        }).isInstanceOf(ConnectException.class);
        assertThat(text).contains("Stopping the proxy ... stopped. Stopping the servers ... stopped.");
    }

    private static long number(String text) {
        return Long.parseLong(text.replace(",", ""));
    }
}
