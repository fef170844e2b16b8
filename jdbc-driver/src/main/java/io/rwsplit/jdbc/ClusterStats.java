package io.rwsplit.jdbc;

import io.rwsplit.core.sql.StatementKind;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.core.topology.NodeView;
import io.rwsplit.core.topology.TopologySnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * What the driver did with one cluster, and what it sees of it: statements and errors per node,
 * time spent in statements, the topology, pool usage. Read live; the figures JMX
 * ({@link ClusterMXBean}) and the optional Micrometer binder
 * ({@code io.rwsplit.jdbc.micrometer.RwsplitMeterBinder}) publish.
 *
 * <p>Get it from a connection ({@code connection.unwrap(ClusterStats.class)}) or from
 * {@link RwsplitDataSource#clusterStats()}. Counting costs a few uncontended {@link LongAdder}
 * increments per statement and allocates nothing: node and statement kind are array indexes.
 */
public final class ClusterStats {

    private static final StatementKind[] KINDS = StatementKind.values();

    private final String cluster;
    private final List<NodeId> nodes;
    private final Map<NodeId, Integer> index;
    private final LongAdder[][] statements;
    private final LongAdder[] errors;
    private final LongAdder[] nanos;
    private final LongAdder primaryChanges = new LongAdder();
    private final Supplier<TopologySnapshot> topology;
    private final Map<NodeId, NodePool> pools;

    ClusterStats(String cluster, List<NodeId> nodes, Supplier<TopologySnapshot> topology, Map<NodeId, NodePool> pools) {
        this.cluster = cluster;
        this.nodes = List.copyOf(nodes);
        this.topology = topology;
        this.pools = pools;
        Map<NodeId, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < this.nodes.size(); i++) {
            m.put(this.nodes.get(i), i);
        }
        this.index = Collections.unmodifiableMap(m);
        int n = this.nodes.size();
        this.statements = new LongAdder[n][KINDS.length];
        this.errors = new LongAdder[n];
        this.nanos = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < KINDS.length; k++) {
                statements[i][k] = new LongAdder();
            }
            errors[i] = new LongAdder();
            nanos[i] = new LongAdder();
        }
    }

    // ---- recording (the driver) ---------------------------------------------------------------

    void succeeded(NodeId node, StatementKind kind, long elapsedNanos) {
        Integer i = index.get(node);
        if (i != null) {
            statements[i][kind.ordinal()].increment();
            nanos[i].add(elapsedNanos);
        }
    }

    void failed(NodeId node) {
        Integer i = index.get(node);
        if (i != null) {
            errors[i].increment();
        }
    }

    void primaryChanged() {
        primaryChanges.increment();
    }

    // ---- reading ------------------------------------------------------------------------------

    /** The cluster's URL without credentials or options: {@code jdbc:rwsplit:mysql://h1:3306,h2:3306/db}. */
    public String cluster() {
        return cluster;
    }

    /** The configured nodes' names, in configuration order. */
    public List<String> nodes() {
        List<String> names = new ArrayList<>(nodes.size());
        nodes.forEach(n -> names.add(n.name()));
        return names;
    }

    /** Statements that completed without an error on {@code node}, all kinds. */
    public long statements(String node) {
        int i = indexOf(node);
        long sum = 0;
        for (LongAdder a : statements[i]) {
            sum += a.sum();
        }
        return sum;
    }

    /** Statements that completed without an error on {@code node}, by how the classifier saw them. */
    public Map<StatementKind, Long> statementsByKind(String node) {
        int i = indexOf(node);
        Map<StatementKind, Long> m = new EnumMap<>(StatementKind.class);
        for (StatementKind k : KINDS) {
            m.put(k, statements[i][k.ordinal()].sum());
        }
        return m;
    }

    /** Statements of one kind that completed without an error on {@code node}. */
    public long statements(String node, StatementKind kind) {
        return statements[indexOf(node)][kind.ordinal()].sum();
    }

    /** Statements that failed on {@code node}, including those that could not get a connection there. */
    public long errors(String node) {
        return errors[indexOf(node)].sum();
    }

    /** Time the successful statements on {@code node} took, from the call to its return, in nanoseconds. */
    public long statementNanos(String node) {
        return nanos[indexOf(node)].sum();
    }

    /** How many times the driver saw the primary change (failover, switchover, an operator). */
    public long primaryChanges() {
        return primaryChanges.sum();
    }

    /** The primary's name, if the driver knows one now. */
    public Optional<String> primary() {
        return topology.get().primary().map(NodeView::name);
    }

    /** {@code primary}, {@code replica} or {@code unknown}. */
    public String role(String node) {
        return view(node).map(v -> v.role().name().toLowerCase(java.util.Locale.ROOT)).orElse("unknown");
    }

    /** Whether the driver routes to {@code node} now. */
    public boolean up(String node) {
        return view(node).map(NodeView::isUp).orElse(false);
    }

    /** A replica's lag as the monitor last measured it, in seconds; {@code NaN} when not known or not a replica. */
    public double lagSeconds(String node) {
        Duration lag = view(node).map(NodeView::lag).orElse(null);
        return lag == null ? Double.NaN : lag.toNanos() / 1e9;
    }

    /** Physical connections to {@code node} in use by logical connections now. */
    public int poolActive(String node) {
        return pools.get(nodes.get(indexOf(node))).active();
    }

    /** Physical connections to {@code node} open now, in use or idle. */
    public int poolTotal(String node) {
        return pools.get(nodes.get(indexOf(node))).total();
    }

    private Optional<NodeView> view(String node) {
        return topology.get().node(nodes.get(indexOf(node)));
    }

    private int indexOf(String node) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).name().equals(node)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no node named '" + node + "' in " + cluster + "; nodes: " + nodes());
    }

    @Override
    public String toString() {
        return "ClusterStats[" + cluster + "]";
    }
}
