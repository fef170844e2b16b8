package io.rwsplit.sandbox.local;

import io.rwsplit.sandbox.ClusterSettings;
import io.rwsplit.sandbox.Credentials;
import io.rwsplit.sandbox.Role;
import io.rwsplit.sandbox.SandboxException;
import io.rwsplit.sandbox.ServerVersion;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What a local cluster's folder says about it ({@code cluster.properties}): who owns it, which
 * binary runs it, its accounts and its nodes. Written before the first server starts, so a run
 * that crashes half-way still leaves enough behind for the next run to clean up; read by the CLI
 * to show or stop a cluster another process started.
 *
 * @param ownerPid   the JVM that started the cluster
 * @param ownerStart that JVM's start time (epoch ms), so a recycled pid is not taken for the owner
 * @param detached   started to outlive its JVM (the CLI's {@code start}); never reaped automatically
 */
record ClusterState(String name, long ownerPid, long ownerStart, boolean detached, Path server, Path basedir,
        String version, Optional<Path> client, ClusterSettings settings, boolean tls, List<NodeState> nodes) {

    static final String FILE = "cluster.properties";

    record NodeState(String name, Role role, int serverId, int port) {
    }

    ClusterState withNodes(List<NodeState> newNodes) {
        return new ClusterState(name, ownerPid, ownerStart, detached, server, basedir, version, client, settings, tls,
                List.copyOf(newNodes));
    }

    ServerBinary binary() {
        return new ServerBinary(server, basedir, ServerVersion.parse(version), client);
    }

    static ClusterState ownedByThisJvm(String name, boolean detached, ServerBinary binary, ClusterSettings settings,
            boolean tls) {
        ProcessHandle me = ProcessHandle.current();
        return new ClusterState(name, me.pid(), startOf(me), detached, binary.server(), binary.basedir(),
                binary.version().toString(), binary.client(), settings, tls, List.of());
    }

    static long startOf(ProcessHandle h) {
        return h.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
    }

    /** Whether the JVM that started this cluster is still running. */
    boolean ownerAlive() {
        return ProcessHandle.of(ownerPid).filter(ProcessHandle::isAlive)
                .map(h -> ownerStart == 0 || startOf(h) == ownerStart).orElse(false);
    }

    void write(Path clusterDir) {
        Properties p = new Properties();
        p.setProperty("name", name);
        p.setProperty("owner.pid", Long.toString(ownerPid));
        p.setProperty("owner.start", Long.toString(ownerStart));
        p.setProperty("detached", Boolean.toString(detached));
        p.setProperty("server", server.toString());
        p.setProperty("basedir", basedir.toString());
        p.setProperty("version", version);
        client.ifPresent(c -> p.setProperty("client", c.toString()));
        put(p, "admin", settings.admin());
        put(p, "app", settings.app());
        put(p, "replication", settings.replication());
        p.setProperty("database", settings.database());
        p.setProperty("semisync", Boolean.toString(settings.semiSync()));
        p.setProperty("semisync.timeout.ms", Long.toString(settings.semiSyncTimeout().toMillis()));
        p.setProperty("tls", Boolean.toString(tls));
        p.setProperty("nodes", Integer.toString(nodes.size()));
        for (int i = 0; i < nodes.size(); i++) {
            NodeState n = nodes.get(i);
            p.setProperty("node." + i + ".name", n.name());
            p.setProperty("node." + i + ".role", n.role().name());
            p.setProperty("node." + i + ".server-id", Integer.toString(n.serverId()));
            p.setProperty("node." + i + ".port", Integer.toString(n.port()));
        }
        Path tmp = clusterDir.resolve(FILE + ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp)) {
                p.store(w, "rwsplit sandbox cluster (holds passwords: sandbox use only)");
            }
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // nothing to tighten
            }
            Files.move(tmp, clusterDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new SandboxException("cannot write " + clusterDir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    static Optional<ClusterState> read(Path clusterDir) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(clusterDir.resolve(FILE))) {
            p.load(r);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new SandboxException("cannot read " + clusterDir.resolve(FILE) + ": " + e.getMessage(), e);
        }
        try {
            List<NodeState> nodes = new ArrayList<>();
            int count = Integer.parseInt(p.getProperty("nodes", "0"));
            for (int i = 0; i < count; i++) {
                nodes.add(new NodeState(p.getProperty("node." + i + ".name"),
                        Role.valueOf(p.getProperty("node." + i + ".role")),
                        Integer.parseInt(p.getProperty("node." + i + ".server-id")),
                        Integer.parseInt(p.getProperty("node." + i + ".port"))));
            }
            ClusterSettings settings = new ClusterSettings(get(p, "admin"), get(p, "app"), get(p, "replication"),
                    p.getProperty("database"), Boolean.parseBoolean(p.getProperty("semisync")),
                    Duration.ofMillis(Long.parseLong(p.getProperty("semisync.timeout.ms"))));
            return Optional.of(new ClusterState(p.getProperty("name"), Long.parseLong(p.getProperty("owner.pid")),
                    Long.parseLong(p.getProperty("owner.start")), Boolean.parseBoolean(p.getProperty("detached")),
                    Path.of(p.getProperty("server")), Path.of(p.getProperty("basedir")), p.getProperty("version"),
                    Optional.ofNullable(p.getProperty("client")).map(Path::of), settings,
                    Boolean.parseBoolean(p.getProperty("tls")), List.copyOf(nodes)));
        } catch (RuntimeException e) {
            throw new SandboxException(clusterDir.resolve(FILE) + " is damaged: " + e, e);
        }
    }

    private static void put(Properties p, String key, Credentials c) {
        p.setProperty(key + ".user", c.user());
        p.setProperty(key + ".password", c.password());
    }

    private static Credentials get(Properties p, String key) {
        return new Credentials(p.getProperty(key + ".user"), p.getProperty(key + ".password"));
    }
}
