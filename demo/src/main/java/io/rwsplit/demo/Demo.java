package io.rwsplit.demo;

import io.rwsplit.proxy.config.ProxyConfig;
import io.rwsplit.proxy.config.ProxyConfigLoader;
import io.rwsplit.proxy.server.ProxyServer;
import io.rwsplit.proxy.server.ProxyStartException;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.local.LocalCluster;
import io.rwsplit.sandbox.local.SandboxPaths;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * One run of the demo: a sandbox cluster of a primary and two replicas, the proxy in front of it
 * in this JVM, the workload through the proxy, the report, and then either a wait for Ctrl-C or
 * (with {@code wait} false) the end. Whatever happens, the proxy and the servers are stopped when
 * the run ends or the JVM is asked to exit: the proxy first, so that its clients get answers
 * rather than broken connections, then the servers.
 */
final class Demo implements AutoCloseable {

    static final String LISTEN_ADDRESS = "127.0.0.1";
    private static final int REPLICAS = 2;
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);
    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    private final PrintWriter out;
    private final Cluster cluster;
    private final ProxyServer proxy;
    private final Path configFile;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Demo(PrintWriter out, Cluster cluster, ProxyServer proxy, Path configFile) {
        this.out = out;
        this.cluster = cluster;
        this.proxy = proxy;
        this.configFile = configFile;
    }

    /**
     * Runs the demo and returns the exit code: 0 when the workload ran without an error, 1 when it
     * saw one. With {@code wait}, returns only if interrupted: the JVM exits on Ctrl-C / SIGTERM
     * through the shutdown hook, which stops everything.
     */
    static int run(DemoOptions o, PrintWriter out, boolean wait) throws InterruptedException {
        requirePortFree(o.port(), "--port");
        requirePortFree(o.adminPort(), "--admin-port");
        out.println("rwsplit demo: a primary and " + REPLICAS + " replicas on this machine, the rwsplit proxy in front "
                + "of them,");
        out.println("and a workload through the proxy.");
        out.println();
        Demo demo = start(o, out);
        AtomicBoolean exiting = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            exiting.set(true);
            out.println();
            demo.close();
        }, "rwsplit-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean clean;
        try {
            clean = demo.workload(o);
        } catch (RuntimeException | SQLException e) {
            if (exiting.get()) {
                // Ctrl-C during the workload: the hook is stopping everything; its failures are no news
                new CountDownLatch(1).await();
            }
            removeHook(hook);
            demo.close();
            throw e instanceof DemoException d ? d : new DemoException("the workload failed: " + e.getMessage(), e);
        }
        if (!wait) {
            removeHook(hook);
            demo.close();
            return clean ? 0 : DemoCli.FAILED;
        }
        out.println("Running until Ctrl-C, which stops the proxy and the servers.");
        out.flush();
        new CountDownLatch(1).await();
        return 0;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException exiting) {
            // the JVM is already exiting and runs the hook
        }
    }

    /** Fails early, before a cluster is started for nothing, when the proxy's port is taken. */
    static void requirePortFree(int port, String option) {
        if (port == 0) {
            return;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(LISTEN_ADDRESS), port));
        } catch (IOException e) {
            throw new DemoException("port " + port + " on " + LISTEN_ADDRESS + " is in use (" + e.getMessage()
                    + "): another proxy or demo may be running there; give another port with " + option
                    + ", e.g. " + option + " " + (port == 65535 ? 6034 : port + 1) + ", or " + option
                    + " 0 for any free one");
        }
    }

    private static Demo start(DemoOptions o, PrintWriter out) {
        SandboxPaths paths = SandboxPaths.fromEnvironment();
        out.print("Starting the sandbox cluster " + o.name() + " ...");
        out.flush();
        long t0 = System.nanoTime();
        Cluster cluster = LocalCluster.builder().name(o.name()).replicas(REPLICAS).paths(paths).start();
        try {
            out.printf(Locale.ROOT, " up in %.1f s: %s.%n", (System.nanoTime() - t0) / 1e9, cluster.version());
            for (Node n : cluster.nodes()) {
                out.printf(Locale.ROOT, "  %-4s %-8s %-21s pid %d%n", n.name(), n.role().name().toLowerCase(Locale.ROOT),
                        n.address(), n.pid());
            }
            Path config = paths.home().resolve(cluster.name()).resolve("proxy.yaml");
            Files.writeString(config, proxyYaml(cluster, o.port(), o.adminPort()));
            out.print("Starting the proxy ...");
            out.flush();
            ProxyConfig pc = ProxyConfigLoader.load(config);
            ProxyServer proxy;
            try {
                proxy = ProxyServer.start(pc);
            } catch (ProxyStartException e) {
                out.println();
                throw new DemoException("the proxy did not start: " + e.getMessage()
                        + (o.port() != 0 ? "; if the port is taken, give another with --port" : ""), e);
            }
            InetSocketAddress a = proxy.address();
            out.println(" listening on " + a.getHostString() + ":" + a.getPort() + " (config " + config + ").");
            proxy.adminAddress().ifPresent(admin -> out.println("Status page: http://" + admin.getHostString() + ":"
                    + admin.getPort() + "/   (metrics: /metrics, topology: /api/topology)"));
            out.println();
            return new Demo(out, cluster, proxy, config);
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e instanceof RuntimeException r ? r
                    : new DemoException("cannot write the proxy's config: " + e.getMessage(), e);
        }
    }

    /**
     * The proxy's config for this cluster, as a user would write it: the servers, the cluster's
     * application account, causal read-your-writes, and the sandbox's admin account for the
     * monitor (it may need to promote a replica).
     */
    static String proxyYaml(Cluster cluster, int port, int adminPort) {
        String nodes = cluster.nodes().stream()
                .map(n -> "  - {name: " + n.name() + ", host: " + n.host() + ", port: " + n.port() + "}")
                .collect(Collectors.joining("\n"));
        return "# written by ./rwsplit demo for the sandbox cluster " + cluster.name() + ", and deleted with it\n"
                + "listen: {address: " + LISTEN_ADDRESS + ", port: " + port + "}\n"
                + "users:\n"
                + "  - {name: " + cluster.app().user() + ", password: '" + cluster.app().password() + "'}\n"
                + "# servers on the loopback interface: TLS would only cost CPU\n"
                + "backend: {tls: disabled}\n"
                + "nodes:\n" + nodes + "\n"
                + "readYourWrites: causal\n"
                + "monitor: {user: " + cluster.admin().user() + ", password: '" + cluster.admin().password() + "'}\n"
                + "limits: {shutdownGrace: " + SHUTDOWN_GRACE.toSeconds() + "s}\n"
                + "# the status page, /metrics and /api/...; without a token the POST endpoints (drain) stay shut\n"
                + "admin: {address: " + LISTEN_ADDRESS + ", port: " + adminPort + "}\n";
    }

    /** Runs the workload and prints what happened; true when nothing failed. */
    private boolean workload(DemoOptions o) throws SQLException, InterruptedException {
        InetSocketAddress a = proxy.address();
        String url = "jdbc:mysql://" + a.getHostString() + ":" + a.getPort() + "/" + cluster.database() + "?"
                + Report.PROXY_URL_OPTIONS;
        Workload w = new Workload(url, cluster.app().user(), cluster.app().password());
        w.setUp();
        cluster.awaitReplicasCaughtUp(CATCH_UP);
        out.printf(Locale.ROOT, "Workload: %d clients through the proxy with Connector/J for %s s, each browsing on "
                + "one connection%n(autocommit point reads, 70%%) and taking orders on another (a transaction of an "
                + "INSERT and an UPDATE,%n20%%; an INSERT followed at once by a read of the new row, 10%%).%n",
                o.threads(), seconds(o.duration()));
        ServerCounters before = ServerCounters.read(cluster);
        Progress progress = new Progress(out, o.tty(), o.duration());
        Tally.Snapshot t = w.run(o.threads(), o.duration(), progress::update);
        progress.finish(t);
        // the last commits reach the replicas' counters only as replication applies them
        cluster.awaitReplicasCaughtUp(CATCH_UP);
        ServerCounters delta = ServerCounters.read(cluster).since(before);
        out.println();
        out.print(Report.whereItWent(cluster, delta, t));
        out.println();
        out.println("Connect:");
        out.print(Report.howToConnect(cluster, a, proxy.adminAddress(), LocalCluster.client(SandboxPaths.fromEnvironment(), cluster.name()),
                configFile, cluster.name()));
        out.println();
        out.flush();
        return t.clean();
    }

    private static String seconds(Duration d) {
        double s = d.toMillis() / 1e3;
        return s == Math.rint(s) ? Long.toString((long) s) : String.format(Locale.ROOT, "%.1f", s);
    }

    /** Stops the proxy, then the servers. Idempotent; also run by the shutdown hook. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        out.print("Stopping the proxy ...");
        out.flush();
        try {
            proxy.shutdown(SHUTDOWN_GRACE);
            out.print(" stopped. Stopping the servers ...");
            out.flush();
        } finally {
            cluster.close();
        }
        out.println(" stopped.");
        out.flush();
    }
}
