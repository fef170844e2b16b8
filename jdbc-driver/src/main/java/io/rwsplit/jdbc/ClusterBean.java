package io.rwsplit.jdbc;

import io.rwsplit.core.sql.StatementKind;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link ClusterMXBean} over a {@link ClusterStats}, and its registration in the platform MBean server. */
final class ClusterBean implements ClusterMXBean {

    private static final Logger log = LoggerFactory.getLogger(ClusterBean.class);

    private final ClusterStats stats;

    ClusterBean(ClusterStats stats) {
        this.stats = stats;
    }

    /**
     * Registers the bean under the cluster's URL; a second runtime for the same URL (other
     * credentials, another data source) gets {@code ,instance=2} and so on. Returns the name to
     * unregister, or {@code null} when JMX refused (logged: metrics must never stop connections).
     */
    static ObjectName register(ClusterStats stats) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        String base = "io.rwsplit:type=Cluster,name=" + ObjectName.quote(stats.cluster());
        for (int instance = 1; instance < 1000; instance++) {
            try {
                ObjectName name = new ObjectName(instance == 1 ? base : base + ",instance=" + instance);
                server.registerMBean(new ClusterBean(stats), name);
                return name;
            } catch (InstanceAlreadyExistsException e) {
                // another runtime for the same URL: try the next instance number
            } catch (JMException | RuntimeException e) {
                log.warn("rwsplit: could not register the JMX bean for {}: {}", stats.cluster(), e.toString());
                return null;
            }
        }
        return null;
    }

    static void unregister(ObjectName name) {
        if (name == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (JMException e) {
            log.debug("rwsplit: JMX bean {} was already gone: {}", name, e.toString());
        }
    }

    @Override
    public String getCluster() {
        return stats.cluster();
    }

    @Override
    public String getPrimary() {
        return stats.primary().orElse("");
    }

    @Override
    public Map<String, String> getNodeStates() {
        return perNode(n -> stats.role(n) + (stats.up(n) ? " up" : " down"));
    }

    @Override
    public Map<String, Double> getReplicaLagSeconds() {
        return perNode(n -> {
            double lag = stats.lagSeconds(n);
            return Double.isNaN(lag) ? -1.0 : lag;
        });
    }

    @Override
    public Map<String, Long> getStatements() {
        return perNode(n -> stats.statements(n));
    }

    @Override
    public Map<String, Long> getReads() {
        return perNode(n -> stats.statements(n, StatementKind.READ));
    }

    @Override
    public Map<String, Long> getErrors() {
        return perNode(n -> stats.errors(n));
    }

    @Override
    public Map<String, Double> getMeanStatementMillis() {
        return perNode(n -> {
            long count = stats.statements(n);
            return count == 0 ? 0.0 : stats.statementNanos(n) / 1e6 / count;
        });
    }

    @Override
    public Map<String, Integer> getPoolActive() {
        return perNode(n -> stats.poolActive(n));
    }

    @Override
    public Map<String, Integer> getPoolTotal() {
        return perNode(n -> stats.poolTotal(n));
    }

    @Override
    public long getPrimaryChanges() {
        return stats.primaryChanges();
    }

    /** One value per node, by name, in configuration order. */
    private <T> Map<String, T> perNode(Function<String, T> f) {
        Map<String, T> m = new LinkedHashMap<>();
        stats.nodes().forEach(n -> m.put(n, f.apply(n)));
        return m;
    }
}
