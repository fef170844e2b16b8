package io.rwsplit.sandbox.local;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.ClusterSettings;
import io.rwsplit.sandbox.Credentials;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.ReplicationSetup;
import io.rwsplit.sandbox.Role;
import io.rwsplit.sandbox.SandboxException;
import io.rwsplit.sandbox.TlsFiles;
import io.rwsplit.sandbox.local.ClusterState.NodeState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Primary + replica clusters of real server processes on this machine.
 *
 * <pre>{@code
 * try (Cluster cluster = LocalCluster.builder().replicas(2).start()) {
 *     try (Connection c = cluster.primary().connect(cluster.app())) { ... }
 *     cluster.replica(0).kill();
 * }
 * }</pre>
 *
 * <p>Starting: orphans of crashed runs are reaped; the server binary is resolved (bundled MariaDB
 * unless overridden, see {@link SandboxPaths}) and its data-directory template made once; each node
 * gets a copy of the template, a free loopback port, a unique server id and an option file; the
 * nodes start in parallel; {@link ReplicationSetup} creates the accounts and starts replication.
 * {@code start()} returns when every replica replicates and has caught up.
 *
 * <p>Stopping: closing the cluster, or the JVM exiting, kills every server and deletes the cluster's
 * folder. If the JVM dies before that, the next start reaps what it left.
 */
public final class LocalCluster {

    private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);
    private static final Credentials FRESH_ROOT = new Credentials("root", "");

    private LocalCluster() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The names of the clusters that have a folder in the sandbox home. */
    public static List<String> list(SandboxPaths paths) {
        if (!Files.isDirectory(paths.home())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(paths.home())) {
            return s.filter(d -> Files.isRegularFile(d.resolve(ClusterState.FILE)))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new SandboxException("cannot list " + paths.home() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A cluster started by another process (the CLI's {@code start}), to look at or control. Closing
     * the returned object leaves the servers running; {@link #destroy} stops them.
     */
    public static Cluster attach(SandboxPaths paths, String name) {
        Path dir = paths.home().resolve(name);
        ClusterState state = ClusterState.read(dir)
                .orElseThrow(() -> new SandboxException("no sandbox cluster named " + name + " in " + paths.home()));
        ServerBinary binary = state.binary();
        List<Node> nodes = new ArrayList<>();
        for (NodeState n : state.nodes()) {
            LocalProcess p = new LocalProcess(n.name(), binary, new NodeLayout(dir.resolve(n.name())), n.port(),
                    Builder.DEFAULT_START_TIMEOUT);
            LocalProcess.find(p.layout()).ifPresent(p::adopt);
            nodes.add(new Node(n.name(), n.serverId(), n.role(), binary.version(), state.settings().admin(),
                    state.settings().database(), p));
        }
        if (nodes.isEmpty()) {
            throw new SandboxException("sandbox cluster " + name + " has no nodes (it did not finish starting)");
        }
        return new Cluster(name, nodes.get(0), nodes.subList(1, nodes.size()), state.settings(),
                state.tls() ? Optional.of(tlsFiles(dir)) : Optional.empty(), () -> { });
    }

    /** Kills the servers of the named cluster and deletes its folder; false if there was none. */
    public static boolean destroy(SandboxPaths paths, String name) {
        Path dir = paths.home().resolve(name);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        OrphanReaper.killServers(dir);
        Files2.deleteTree(dir);
        return true;
    }

    /** Removes the clusters whose owning JVM died without closing them; returns their names. */
    public static List<String> reapOrphans(SandboxPaths paths) {
        return new OrphanReaper(paths.home()).reap();
    }

    /** The client next to the server binary a cluster runs ({@code mariadb} / {@code mysql}), if any. */
    public static Optional<Path> client(SandboxPaths paths, String name) {
        return ClusterState.read(paths.home().resolve(name)).flatMap(ClusterState::client);
    }

    private static TlsFiles tlsFiles(Path clusterDir) {
        Path tls = clusterDir.resolve("tls");
        return new TlsFiles(tls.resolve("ca.pem"), tls.resolve("server-cert.pem"), tls.resolve("server-key.pem"));
    }

    /** Settings of a cluster to start. Not thread-safe; {@link #start()} may be called more than once. */
    public static final class Builder {

        static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(90);
        private static final int PORT_ATTEMPTS = 5;

        private int replicas = 2;
        private ClusterSettings settings = ClusterSettings.DEFAULTS;
        private SandboxPaths paths = SandboxPaths.fromEnvironment();
        private String name;
        private boolean detached;
        private boolean tls = true;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private final Map<String, String> serverOptions = new LinkedHashMap<>();

        private Builder() {
        }

        /** Number of replicas besides the primary (0 or more; default 2). */
        public Builder replicas(int count) {
            if (count < 0 || count > 8) {
                throw new IllegalArgumentException("replicas must be between 0 and 8, was " + count);
            }
            this.replicas = count;
            return this;
        }

        public Builder settings(ClusterSettings newSettings) {
            this.settings = Objects.requireNonNull(newSettings, "settings");
            return this;
        }

        /** Semi-synchronous replication on every node (default off). */
        public Builder semiSync(boolean on) {
            this.settings = settings.withSemiSync(on);
            return this;
        }

        /** Runs this {@code mariadbd} / {@code mysqld} instead of the configured or bundled one. */
        public Builder serverBinary(Path server) {
            this.paths = paths.withServer(server);
            return this;
        }

        public Builder paths(SandboxPaths newPaths) {
            this.paths = Objects.requireNonNull(newPaths, "paths");
            return this;
        }

        /** The cluster's folder name under the sandbox home (default: a random one). */
        public Builder name(String clusterName) {
            if (!clusterName.matches("[A-Za-z0-9_-]{1,32}")) {
                throw new IllegalArgumentException("cluster name must be 1-32 letters, digits, _ or -: " + clusterName);
            }
            this.name = clusterName;
            return this;
        }

        /**
         * Leave the servers running when this JVM exits (the CLI's {@code start}); such a cluster is
         * stopped with {@link LocalCluster#destroy} and never reaped automatically.
         */
        public Builder detached(boolean on) {
            this.detached = on;
            return this;
        }

        /** Serve TLS with a certificate made for this cluster (default on). */
        public Builder tls(boolean on) {
            this.tls = on;
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** An extra server option for every node, as in an option file ({@code max-connections}, {@code 1000}). */
        public Builder serverOption(String key, String value) {
            serverOptions.put(key, value);
            return this;
        }

        public Cluster start() {
            long t0 = System.nanoTime();
            new OrphanReaper(paths.home()).reap();
            ServerBinary binary = paths.serverOverride().map(ServerBinary::inspect).orElseGet(
                    () -> ServerBinary.inspect(BundledMariaDb.fromClasspath().install(paths.cache())
                            .resolve("bin/mariadbd")));
            boolean asRoot = "root".equals(System.getProperty("user.name"));
            Path template = new DataDirTemplates(paths.cache()).templateFor(binary, asRoot);
            String clusterName = name != null ? name : "c" + java.util.UUID.randomUUID().toString().substring(0, 7);
            Path dir = paths.home().resolve(clusterName);
            claim(dir, clusterName);
            ClusterState state = ClusterState.ownedByThisJvm(clusterName, detached, binary, settings, tls);
            state.write(dir);
            Processes processes = new Processes(clusterName, dir, !detached);
            try {
                Optional<TlsFiles> tlsFiles = tls ? Optional.of(Certificates.create(dir.resolve("tls")))
                        : Optional.empty();
                List<NodeState> plan = new ArrayList<>();
                for (int i = 0; i <= replicas; i++) {
                    plan.add(new NodeState("n" + (i + 1), i == 0 ? Role.PRIMARY : Role.REPLICA, i + 1, 0));
                }
                List<LocalProcess> started = startAll(plan, binary, template, dir, tlsFiles, asRoot, processes);
                List<NodeState> placed = new ArrayList<>();
                List<Node> nodes = new ArrayList<>();
                for (int i = 0; i < plan.size(); i++) {
                    NodeState n = plan.get(i);
                    placed.add(new NodeState(n.name(), n.role(), n.serverId(), started.get(i).port()));
                    nodes.add(new Node(n.name(), n.serverId(), n.role(), binary.version(), settings.admin(),
                            settings.database(), started.get(i)));
                }
                state.withNodes(placed).write(dir);
                new ReplicationSetup(settings, startTimeout, tls).run(nodes.get(0), nodes.subList(1, nodes.size()),
                        FRESH_ROOT);
                Cluster cluster = new Cluster(clusterName, nodes.get(0), nodes.subList(1, nodes.size()), settings,
                        tlsFiles, detached ? () -> { } : processes);
                log.info("sandbox cluster {} up in {} ms: {} with {} replica(s){}", clusterName,
                        (System.nanoTime() - t0) / 1_000_000, binary.version(), replicas,
                        settings.semiSync() ? ", semi-synchronous" : "");
                return cluster;
            } catch (RuntimeException e) {
                processes.close();
                throw e;
            }
        }

        private static void claim(Path dir, String clusterName) {
            if (Files.exists(dir)) {
                Optional<ClusterState> old = ClusterState.read(dir);
                boolean running = old.isPresent() && (old.get().detached() || old.get().ownerAlive())
                        && hasRunningServer(dir);
                if (running) {
                    throw new SandboxException("a sandbox cluster named " + clusterName + " is already running in "
                            + dir + "; stop it first (rwsplit sandbox stop --name " + clusterName + ")");
                }
                OrphanReaper.killServers(dir);
                Files2.deleteTree(dir);
            }
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new SandboxException("cannot create " + dir + ": " + e.getMessage(), e);
            }
        }

        private static boolean hasRunningServer(Path dir) {
            try (Stream<Path> s = Files.list(dir)) {
                return s.filter(Files::isDirectory).map(NodeLayout::new).map(LocalProcess::find)
                        .anyMatch(Optional::isPresent);
            } catch (IOException e) {
                return false;
            }
        }

        private List<LocalProcess> startAll(List<NodeState> plan, ServerBinary binary, Path template, Path dir,
                Optional<TlsFiles> tlsFiles, boolean asRoot, Processes processes) {
            Set<Integer> used = new HashSet<>();
            ExecutorService pool = Executors.newFixedThreadPool(plan.size(), r -> {
                Thread t = new Thread(r, "sandbox-start");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<LocalProcess>> futures = new ArrayList<>();
                for (NodeState n : plan) {
                    NodeLayout layout = new NodeLayout(dir.resolve(n.name()));
                    Files2.copyTree(template, layout.data());
                    futures.add(pool.submit(() -> startNode(n, layout, binary, tlsFiles, asRoot, used, processes)));
                }
                List<LocalProcess> started = new ArrayList<>();
                for (Future<LocalProcess> f : futures) {
                    started.add(f.get());
                }
                return started;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw cause instanceof RuntimeException re ? re
                        : new SandboxException("could not start the cluster: " + cause, cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SandboxException("interrupted while starting the cluster", e);
            } finally {
                pool.shutdownNow();
            }
        }

        private LocalProcess startNode(NodeState n, NodeLayout layout, ServerBinary binary,
                Optional<TlsFiles> tlsFiles, boolean asRoot, Set<Integer> used, Processes processes) {
            for (int attempt = 1;; attempt++) {
                int port;
                synchronized (used) {
                    port = Ports.free(used);
                    used.add(port);
                }
                Map<String, String> options = LocalServerOptions.options(binary, layout, n.serverId(), port, n.role(),
                        settings, tlsFiles, asRoot, serverOptions);
                try {
                    Files.writeString(layout.optionFile(), LocalServerOptions.render(options));
                } catch (IOException e) {
                    throw new SandboxException("cannot write " + layout.optionFile() + ": " + e.getMessage(), e);
                }
                LocalProcess p = new LocalProcess(n.name(), binary, layout, port, startTimeout);
                processes.add(p);
                try {
                    p.start();
                    return p;
                } catch (PortInUseException e) {
                    if (attempt == PORT_ATTEMPTS) {
                        throw new SandboxException(n.name() + " found no free port in " + PORT_ATTEMPTS + " attempts", e);
                    }
                    log.debug("{}; trying another", e.getMessage());
                }
            }
        }
    }

    /**
     * The server processes one cluster owns. Closing kills them all (the data is thrown away, so
     * there is nothing to shut down cleanly for) and deletes the cluster folder; a shutdown hook does
     * the same when the JVM exits first.
     */
    private static final class Processes implements AutoCloseable {

        private final String clusterName;
        private final Path dir;
        private final List<LocalProcess> processes = new ArrayList<>();
        private final Thread hook;

        Processes(String clusterName, Path dir, boolean killOnExit) {
            this.clusterName = clusterName;
            this.dir = dir;
            this.hook = killOnExit ? new Thread(this::killAll, "sandbox-" + clusterName + "-exit") : null;
            if (hook != null) {
                Runtime.getRuntime().addShutdownHook(hook);
            }
        }

        synchronized void add(LocalProcess p) {
            processes.add(p);
        }

        @Override
        public void close() {
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or about to
                }
            }
            killAll();
        }

        private void killAll() {
            List<LocalProcess> all;
            synchronized (this) {
                all = List.copyOf(processes);
            }
            RuntimeException failure = null;
            for (LocalProcess p : all) {
                try {
                    p.kill();
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            OrphanReaper.killServers(dir);
            Files2.deleteTree(dir);
            if (failure != null) {
                throw new SandboxException("cluster " + clusterName + " did not stop cleanly: " + failure.getMessage(),
                        failure);
            }
        }
    }
}
