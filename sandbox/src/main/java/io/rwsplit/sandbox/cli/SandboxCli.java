package io.rwsplit.sandbox.cli;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.ReplicationStatus;
import io.rwsplit.sandbox.SandboxException;
import io.rwsplit.sandbox.local.LocalCluster;
import io.rwsplit.sandbox.local.SandboxPaths;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sandbox start|status|stop}: local primary + replica clusters from the command line. */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = "Starts, shows and stops local MariaDB/MySQL primary + replica clusters.",
        subcommands = {SandboxCli.Start.class, SandboxCli.Status.class, SandboxCli.Stop.class})
public final class SandboxCli implements Runnable {

    static final String DEFAULT_NAME = "sandbox";

    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // the CLI prints what matters itself; library chatter only when asked for
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI and returns its exit code: 0 done, 1 failed (message on err), 2 bad usage. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new SandboxCli());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof SandboxException || e instanceof IllegalArgumentException) {
                line.getErr().println("sandbox: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Starts a primary and its replicas, prints their addresses, and leaves them running.")
    static final class Start implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--name", defaultValue = DEFAULT_NAME, description = "Cluster name (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--replicas", defaultValue = "2", description = "Number of replicas (default: ${DEFAULT-VALUE}).")
        int replicas;

        @Option(names = "--semi-sync", description = "Semi-synchronous replication.")
        boolean semiSync;

        @Option(names = "--server", description = "A mariadbd or mysqld binary to run instead of the bundled MariaDB.")
        Path server;

        @Option(names = "--foreground", description = "Stay in the foreground; Ctrl-C stops the cluster.")
        boolean foreground;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            SandboxPaths paths = SandboxPaths.fromEnvironment();
            LocalCluster.Builder b = LocalCluster.builder().name(name).replicas(replicas).semiSync(semiSync)
                    .detached(!foreground).paths(paths);
            if (server != null) {
                b.serverBinary(server);
            }
            out.println("Starting sandbox cluster " + name + " ...");
            long t0 = System.nanoTime();
            Cluster cluster = b.start();
            out.printf("Up in %.1f s.%n%n", (System.nanoTime() - t0) / 1e9);
            out.print(Report.addresses(cluster, LocalCluster.client(paths, name)));
            if (!foreground) {
                out.println();
                out.println("Show it:  ./rwsplit sandbox status --name " + name);
                out.println("Stop it:  ./rwsplit sandbox stop --name " + name);
                return 0;
            }
            out.println();
            out.println("Running in the foreground; Ctrl-C stops the cluster.");
            CountDownLatch forever = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                out.println("Stopping sandbox cluster " + name + " ...");
                cluster.close();
            }, "sandbox-cli-stop"));
            forever.await();
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Shows each node of a running cluster: process, role, replication and GTID position.")
    static final class Status implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--name", description = "Cluster name (default: every cluster).")
        String name;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            SandboxPaths paths = SandboxPaths.fromEnvironment();
            List<String> names = name != null ? List.of(name) : LocalCluster.list(paths);
            if (names.isEmpty()) {
                out.println("No sandbox clusters in " + paths.home() + ". Start one: ./rwsplit sandbox start");
                return 0;
            }
            int down = 0;
            for (String n : names) {
                try (Cluster cluster = LocalCluster.attach(paths, n)) {
                    out.print(Report.addresses(cluster, LocalCluster.client(paths, n)));
                    out.println();
                    out.printf("  %-5s %-9s %-9s %-11s %-22s %s%n", "node", "process", "read_only", "replication",
                            "lag", "gtid position");
                    for (Node node : cluster.nodes()) {
                        if (!node.isRunning() || node.isFrozen()) {
                            down++;
                        }
                        out.println(probe(node, cluster.admin()));
                    }
                    out.println();
                }
            }
            return down == 0 ? 0 : 1;
        }

        private static String probe(Node node, io.rwsplit.sandbox.Credentials admin) {
            if (!node.isRunning()) {
                return String.format("  %-5s %-9s", node.name(), "down");
            }
            if (node.isFrozen()) {
                return String.format("  %-5s %-9s pid %d is stopped (SIGSTOP)", node.name(), "frozen", node.pid());
            }
            try (Connection c = node.connect(admin, "", Duration.ofSeconds(5));
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT @@read_only")) {
                rs.next();
                String readOnly = rs.getInt(1) == 1 ? "ON" : "OFF";
                ReplicationStatus r = node.replicationStatus();
                String repl = !r.configured() ? "-" : r.healthy() ? "running"
                        : "io=" + (r.ioRunning() ? "yes" : "no") + ",sql=" + (r.sqlRunning() ? "yes" : "no");
                String lag = !r.configured() ? "-" : r.secondsBehind() == null ? "unknown" : r.secondsBehind() + " s";
                if (!r.lastError().isEmpty()) {
                    lag += " (" + r.lastError() + ")";
                }
                return String.format("  %-5s %-9s %-9s %-11s %-22s %s", node.name(), "pid " + node.pid(), readOnly,
                        repl, lag, node.gtidPosition());
            } catch (SQLException | SandboxException e) {
                return String.format("  %-5s %-9s not answering: %s", node.name(), "pid " + node.pid(),
                        e.getMessage());
            }
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Kills a cluster's servers and deletes its data.")
    static final class Stop implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--name", defaultValue = DEFAULT_NAME, description = "Cluster name (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--all", description = "Stop every sandbox cluster.")
        boolean all;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            SandboxPaths paths = SandboxPaths.fromEnvironment();
            List<String> names = all ? LocalCluster.list(paths) : List.of(name);
            int missing = 0;
            for (String n : names) {
                if (LocalCluster.destroy(paths, n)) {
                    out.println("Stopped sandbox cluster " + n + ".");
                } else {
                    out.println("No sandbox cluster named " + n + " in " + paths.home() + ".");
                    missing++;
                }
            }
            if (names.isEmpty()) {
                out.println("No sandbox clusters in " + paths.home() + ".");
            }
            return missing == 0 ? 0 : 1;
        }
    }

    /** The text shared by {@code start} and {@code status}: where the nodes are and how to connect. */
    static final class Report {

        private Report() {
        }

        static String addresses(Cluster cluster, Optional<Path> client) {
            StringBuilder sb = new StringBuilder(cluster.describe());
            sb.append(String.format("  accounts: application %s (database %s), admin %s, replication %s%n",
                    shown(cluster.app()), cluster.database(), shown(cluster.admin()), shown(cluster.replication())));
            Node p = cluster.primary();
            String hosts = cluster.nodes().stream().map(Node::address).collect(Collectors.joining(","));
            sb.append("  JDBC:     jdbc:mysql://").append(hosts).append('/').append(cluster.database()).append('\n');
            sb.append("  client:   ").append(client.map(Path::toString).orElse("mysql")).append(" -h ")
                    .append(p.host()).append(" -P ").append(p.port()).append(" -u ").append(cluster.app().user())
                    .append(" -p").append(cluster.app().password()).append(' ').append(cluster.database()).append('\n');
            return sb.toString();
        }

        private static String shown(io.rwsplit.sandbox.Credentials c) {
            // a local throw-away sandbox: showing its passwords is what makes it usable
            return c.user() + "/" + c.password();
        }
    }
}
