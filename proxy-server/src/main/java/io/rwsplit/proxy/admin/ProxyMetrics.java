package io.rwsplit.proxy.admin;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.rwsplit.core.route.RouteDecision;
import io.rwsplit.proxy.frontend.Refusal;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.core.topology.NodeView;
import io.rwsplit.core.topology.Role;
import io.rwsplit.core.topology.TopologySnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The proxy's Prometheus metrics, in a registry of its own (two proxies in one JVM count apart).
 *
 * <p>The statement path only increments: every series it touches is resolved once, here, per node
 * and per {@link RouteDecision.Cause}, so counting a statement is a map lookup by node and an
 * atomic add, with no label strings built. Everything that describes state (node health, role,
 * lag, pools, sessions, failovers) is read from the live objects when Prometheus scrapes, through
 * {@link Sources}; nothing polls.
 *
 * <p>Series (all prefixed {@code rwsplit_}): {@code statements_routed_total{node,reason}},
 * {@code statement_errors_total{errno}}, {@code statement_duration_seconds{node}} (histogram),
 * {@code replica_lag_seconds{node}} (absent while a replica's lag is unknown), {@code node_up{node}},
 * {@code node_role{node,role}} (1 for the current role), {@code node_drained{node}},
 * {@code pool_connections{node,state}} (state {@code in_use} or {@code idle}),
 * {@code client_sessions}, {@code client_sessions_opened_total}, {@code clients_refused_total{reason}},
 * {@code failovers_total}.
 */
public final class ProxyMetrics {

    /** Statement latency buckets, 0.1 ms to 10 s. */
    static final double[] LATENCY_BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
        0.25, 0.5, 1, 2.5, 5, 10};

    /** Backend connections of one node, over all event loops. */
    public record PoolUsage(int inUse, int idle) {
        public static final PoolUsage NONE = new PoolUsage(0, 0);
    }

    /** The live state the gauges read at scrape time. */
    public interface Sources {
        TopologySnapshot topology();

        /** By node; may miss nodes (their pools could not be read in time). */
        Map<NodeId, PoolUsage> pools();

        int sessions();

        long failovers();
    }

    private static final RouteDecision.Cause[] CAUSES = RouteDecision.Cause.values();
    private static final Refusal[] REFUSALS = Refusal.values();

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Map<NodeId, NodeSeries> nodes = new ConcurrentHashMap<>();
    private final Counter routed;
    private final Histogram latency;
    private final CounterDataPoint[] refused = new CounterDataPoint[REFUSALS.length];
    private final Counter errors;
    private final Map<Integer, CounterDataPoint> errorsByErrno = new ConcurrentHashMap<>();
    private final CounterDataPoint sessionsOpened;
    private final CounterDataPoint switchovers;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    /** The pre-resolved series of one node. */
    private static final class NodeSeries {
        final CounterDataPoint[] routed = new CounterDataPoint[CAUSES.length];
        final DistributionDataPoint latency;

        NodeSeries(String node, Counter routedCounter, Histogram latencyHistogram) {
            for (RouteDecision.Cause c : CAUSES) {
                routed[c.ordinal()] = routedCounter.labelValues(node, c.label());
            }
            latency = latencyHistogram.labelValues(node);
        }
    }

    public ProxyMetrics(List<NodeId> configured, Sources sources) {
        routed = Counter.builder().name("rwsplit_statements_routed")
                .help("Statements routed, by the node chosen and the routing rule that chose it")
                .labelNames("node", "reason").withoutExemplars().register(registry);
        latency = Histogram.builder().name("rwsplit_statement_duration_seconds")
                .help("Time from sending a statement to a node until its answer was relayed")
                .labelNames("node").classicOnly().classicUpperBounds(LATENCY_BUCKETS).withoutExemplars()
                .register(registry);
        configured.forEach(this::addNode);
        errors = Counter.builder().name("rwsplit_statement_errors")
                .help("Error answers to client commands (the servers' and the proxy's own), by MySQL errno")
                .labelNames("errno").withoutExemplars().register(registry);
        Counter refusals = Counter.builder().name("rwsplit_clients_refused")
                .help("Client connections refused before or at login, by reason")
                .labelNames("reason").withoutExemplars().register(registry);
        for (Refusal r : REFUSALS) {
            refused[r.ordinal()] = refusals.labelValues(r.label());
        }
        Counter opened = Counter.builder().name("rwsplit_client_sessions_opened")
                .help("Client sessions that logged in").withoutExemplars().register(registry);
        sessionsOpened = opened.labelValues();
        switchovers = Counter.builder().name("rwsplit_switchovers")
                .help("Planned switchovers this proxy carried out").withoutExemplars().register(registry).labelValues();
        registerGauges(sources);
    }

    private void registerGauges(Sources sources) {
        GaugeWithCallback.builder().name("rwsplit_node_up").help("1 when the monitor sees the node up, else 0")
                .labelNames("node").callback(cb -> {
                    for (NodeView n : sources.topology().nodes()) {
                        cb.call(n.isUp() ? 1 : 0, n.name());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("rwsplit_node_role").help("1 for the node's current role, 0 for the others")
                .labelNames("node", "role").callback(cb -> {
                    for (NodeView n : sources.topology().nodes()) {
                        for (Role r : Role.values()) {
                            cb.call(n.role() == r ? 1 : 0, n.name(), r.name().toLowerCase(Locale.ROOT));
                        }
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("rwsplit_node_drained")
                .help("1 when an operator drained the node (it gets no new reads)").labelNames("node").callback(cb -> {
                    for (NodeView n : sources.topology().nodes()) {
                        cb.call(n.draining() ? 1 : 0, n.name());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("rwsplit_replica_lag_seconds")
                .help("Replication lag of each replica; absent while it is unknown (replication not running)")
                .labelNames("node").callback(cb -> {
                    for (NodeView n : sources.topology().nodes()) {
                        if (n.role() == Role.REPLICA && n.lag() != null) {
                            cb.call(n.lag().toNanos() / 1e9, n.name());
                        }
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("rwsplit_pool_connections")
                .help("Backend connections, borrowed by a session (in_use) or idle in the pool")
                .labelNames("node", "state").callback(cb -> {
                    for (Map.Entry<NodeId, PoolUsage> e : sources.pools().entrySet()) {
                        cb.call(e.getValue().inUse(), e.getKey().name(), "in_use");
                        cb.call(e.getValue().idle(), e.getKey().name(), "idle");
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("rwsplit_client_sessions").help("Client sessions open now")
                .callback(cb -> cb.call(sources.sessions())).register(registry);
        CounterWithCallback.builder().name("rwsplit_failovers")
                .help("Promotions of a replica to primary carried out by this proxy")
                .callback(cb -> cb.call(sources.failovers())).register(registry);
    }

    /** Series for a node (one a reload added); a node's series stay when it leaves. */
    public void addNode(NodeId node) {
        nodes.computeIfAbsent(node, n -> new NodeSeries(n.name(), routed, latency));
    }

    /** A statement was routed to {@code node} by rule {@code cause}. */
    public void routed(NodeId node, RouteDecision.Cause cause) {
        NodeSeries s = nodes.get(node);
        if (s != null) {
            s.routed[cause.ordinal()].inc();
        }
    }

    /** A statement on {@code node} ended after {@code nanos}. */
    public void statementTime(NodeId node, long nanos) {
        NodeSeries s = nodes.get(node);
        if (s != null) {
            s.latency.observe(nanos / 1e9);
        }
    }

    /** A client command was answered with error {@code errno}. */
    public void error(int errno) {
        errorsByErrno.computeIfAbsent(errno, e -> errors.labelValues(Integer.toString(e))).inc();
    }

    public void refused(Refusal why) {
        refused[why.ordinal()].inc();
    }

    public void switchedOver() {
        switchovers.inc();
    }

    public void sessionOpened() {
        sessionsOpened.inc();
    }

    /** Statements routed to {@code node} so far, by any rule. */
    public long routedTotal(NodeId node) {
        NodeSeries s = nodes.get(node);
        long sum = 0;
        if (s != null) {
            for (CounterDataPoint p : s.routed) {
                sum += p.getLongValue();
            }
        }
        return sum;
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** The Content-Type of {@link #write}. */
    public String contentType() {
        return writer.getContentType();
    }

    /** Scrapes every metric and writes them in Prometheus text format. */
    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }
}
