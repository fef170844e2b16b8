package io.rwsplit.jdbc;

import io.rwsplit.core.balance.LoadBalancers;
import io.rwsplit.core.config.ConfigException;
import io.rwsplit.core.config.ConfigLoader;
import io.rwsplit.core.config.FailoverMode;
import io.rwsplit.core.config.NodeConfig;
import io.rwsplit.core.config.RwsplitConfig;
import io.rwsplit.core.route.Router;
import io.rwsplit.core.route.RoutingPolicy;
import io.rwsplit.core.sql.StatementClassifier;
import io.rwsplit.core.topology.JdbcProbeConnector;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.core.topology.TopologyMonitor;
import io.rwsplit.core.topology.Suspects;
import io.rwsplit.core.topology.TopologySnapshot;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything logical connections to one cluster share: configuration, classifier, router, the
 * topology monitor and one pool per node. Made on the first connection to a URL and kept until
 * the driver or data source that made it is closed.
 */
final class ClusterRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterRuntime.class);

    final JdbcUrl url;
    final RwsplitConfig config;
    final StatementClassifier classifier;
    final Router router;
    private final TopologyMonitor monitor;
    private final Map<NodeId, NodePool> pools = new LinkedHashMap<>();
    private final Suspects suspects;
    final ClusterStats stats;
    private final javax.management.ObjectName jmxName;
    private volatile Integer defaultIsolation;

    private ClusterRuntime(JdbcUrl url, RwsplitConfig config, boolean jmx) {
        this.url = url;
        this.config = config;
        this.suspects = new Suspects(config.monitor().failCount());
        this.classifier = new StatementClassifier(config.classifier());
        this.router = new Router(RoutingPolicy.from(config), LoadBalancers.create(config.balance(),
                RandomGenerator.of("L64X128MixRandom")));
        String monitorUser = config.monitor().user() != null ? config.monitor().user() : url.user();
        String monitorPassword = config.monitor().user() != null ? config.monitor().password() : url.password();
        this.monitor = new TopologyMonitor(config.nodes(), config.monitor(), config.failover(),
                io.rwsplit.core.failover.FailoverSettings.from(config, monitorUser, monitorPassword),
                new JdbcProbeConnector(monitorUser,
                monitorPassword, config.monitor().connectTimeout(), config.monitor().readTimeout()),
                this::topologyChanged);
        for (NodeConfig n : config.nodes()) {
            pools.put(n.id(), new NodePool(n.id(), url.database(), url.connectorOptions(), url.user(), url.password(),
                    config.pool(), config.readYourWrites() == io.rwsplit.core.config.ReadYourWrites.CAUSAL));
        }
        this.stats = new ClusterStats(url.toString(), config.nodes().stream().map(NodeConfig::id).toList(),
                this::topology, pools);
        this.jmxName = jmx ? ClusterBean.register(stats) : null;
    }

    /** On the monitor's thread: one log line per change an operator would want to see, and the failover count. */
    private void topologyChanged(TopologySnapshot before, TopologySnapshot after) {
        String was = before.primary().map(n -> n.name()).orElse(null);
        String now = after.primary().map(n -> n.name()).orElse(null);
        if (now != null && was != null && !now.equals(was)) {
            stats.primaryChanged();
            log.info("rwsplit: primary changed from {} to {} ({})", was, now, url);
        }
    }

    static ClusterRuntime start(JdbcUrl url) throws SQLException {
        RwsplitConfig config;
        Map<String, String> options = new LinkedHashMap<>(url.rwsplitOptions());
        boolean jmx = jmxOption(url, options.remove(JMX_OPTION));
        try {
            config = ConfigLoader.create().withDefaultFailover(FailoverMode.FOLLOW).loadProperties(options,
                    url.nodes());
        } catch (ConfigException e) {
            throw Errors.config(e);
        }
        ClusterRuntime r = new ClusterRuntime(url, config, jmx);
        TopologySnapshot first = r.monitor.start();
        log.info("rwsplit: {} nodes, primary {}, {} replica(s) ({})", first.nodes().size(),
                first.primary().map(n -> n.name()).orElse("not found yet"), first.replicas().size(), url);
        return r;
    }

    /** The driver's own option, beside core's routing keys: publish the cluster's figures in JMX. */
    static final String JMX_OPTION = "rwsplit.jmx";

    private static boolean jmxOption(JdbcUrl url, String value) throws SQLException {
        if (value == null || value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw Errors.badUrl(url.toString(), JMX_OPTION + "=" + value + " must be true or false");
    }

    /**
     * The monitor's topology, with the nodes this runtime saw fail treated as down until the
     * monitor can tell (see {@link Suspects}).
     */
    TopologySnapshot topology() {
        return suspects.apply(monitor.current(), monitor.passes());
    }

    /** A statement or connection attempt on {@code node} just failed for want of the server. */
    void suspect(NodeId node) {
        suspects.suspect(node, monitor.passes());
    }

    /** The servers' isolation level when a session sets none, read once from a server. */
    int defaultIsolation(IsolationReader reader) throws SQLException {
        Integer known = defaultIsolation;
        if (known == null) {
            known = reader.read();
            defaultIsolation = known;
        }
        return known;
    }

    @FunctionalInterface
    interface IsolationReader {
        int read() throws SQLException;
    }

    TopologyMonitor monitor() {
        return monitor;
    }

    NodePool pool(NodeId node) {
        NodePool p = pools.get(node);
        if (p == null) {
            throw new IllegalStateException("no pool for " + node);
        }
        return p;
    }

    Map<NodeId, NodePool> pools() {
        return pools;
    }

    @Override
    public void close() {
        ClusterBean.unregister(jmxName);
        monitor.close();
        pools.values().forEach(NodePool::close);
        classifier.close();
    }
}
