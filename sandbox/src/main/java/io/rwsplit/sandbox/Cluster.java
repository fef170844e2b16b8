package io.rwsplit.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running primary + replicas cluster with GTID replication: addresses, accounts and controls.
 * Made by {@code LocalCluster.builder()...start()} (server processes on this machine) or by
 * {@code MySqlContainerCluster.start(...)} (MySQL 8.4 in Docker). Closing it stops every server.
 */
public final class Cluster implements AutoCloseable {

    private final String name;
    private final Node primary;
    private final List<Node> replicas;
    private final List<Node> nodes;
    private final ClusterSettings settings;
    private final Optional<TlsFiles> tls;
    private final AutoCloseable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    public Cluster(String name, Node primary, List<Node> replicas, ClusterSettings settings, Optional<TlsFiles> tls,
            AutoCloseable onClose) {
        this.name = Objects.requireNonNull(name, "name");
        this.primary = Objects.requireNonNull(primary, "primary");
        this.replicas = List.copyOf(replicas);
        this.nodes = java.util.stream.Stream.concat(java.util.stream.Stream.of(primary), this.replicas.stream())
                .toList();
        this.settings = Objects.requireNonNull(settings, "settings");
        this.tls = Objects.requireNonNull(tls, "tls");
        this.onClose = Objects.requireNonNull(onClose, "onClose");
    }

    public String name() {
        return name;
    }

    /** The node set up as primary. */
    public Node primary() {
        return primary;
    }

    public List<Node> replicas() {
        return replicas;
    }

    /** Replica {@code index}, counted from 0. */
    public Node replica(int index) {
        return replicas.get(index);
    }

    /** Primary first, then the replicas. */
    public List<Node> nodes() {
        return nodes;
    }

    public Node node(String nodeName) {
        return nodes.stream().filter(n -> n.name().equals(nodeName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node named " + nodeName + " in " + name));
    }

    public ClusterSettings settings() {
        return settings;
    }

    /** All privileges; for the sandbox's own control and for tests. */
    public Credentials admin() {
        return settings.admin();
    }

    /** An application account: all privileges on {@link #database()} only. */
    public Credentials app() {
        return settings.app();
    }

    public Credentials replication() {
        return settings.replication();
    }

    public String database() {
        return settings.database();
    }

    public ServerVersion version() {
        return primary.version();
    }

    public Flavor flavor() {
        return primary.version().flavor();
    }

    /** The certificate files the nodes serve TLS with, when the sandbox made them. */
    public Optional<TlsFiles> tls() {
        return tls;
    }

    /** Waits until every replica has applied everything the primary has written so far. */
    public void awaitReplicasCaughtUp(Duration timeout) {
        String position = primary.gtidPosition();
        for (Node r : replicas) {
            if (!r.awaitGtid(position, timeout)) {
                throw new SandboxException(r.name() + " did not reach the primary's position " + position + " within "
                        + timeout.toMillis() + " ms; replication: " + r.replicationStatus());
            }
        }
    }

    /**
     * Puts the cluster back into its initial shape after a test's faults: thaws frozen nodes, starts
     * stopped or killed ones, restarts stopped replication threads, and waits until the replicas
     * have caught up. It cannot undo a change of roles; tests that promote use a cluster of their own.
     */
    public void heal(Duration timeout) {
        for (Node n : nodes) {
            if (n.isFrozen()) {
                n.thaw();
            }
            if (!n.isRunning()) {
                n.start();
            }
        }
        for (Node r : replicas) {
            ReplicationStatus s = r.replicationStatus();
            if (!s.configured()) {
                r.replicateFrom(primary, settings.replication(), tls.isPresent());
            } else if (!s.healthy()) {
                r.startReplication();
            }
        }
        awaitReplicasCaughtUp(timeout);
    }

    /** Node names, roles and addresses, one per line. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("cluster ").append(name).append(": ").append(version()).append(", database ").append(database())
                .append(settings.semiSync() ? ", semi-synchronous" : "").append('\n');
        for (Node n : nodes) {
            sb.append(String.format("  %-8s %-8s %-21s server_id=%d pid=%d%n", n.name(),
                    n.role().name().toLowerCase(java.util.Locale.ROOT), n.address(), n.serverId(), n.pid()));
        }
        return sb.toString();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                onClose.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new SandboxException("could not stop cluster " + name + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "Cluster(" + name + ", " + nodes + ")";
    }
}
