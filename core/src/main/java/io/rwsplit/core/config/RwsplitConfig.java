package io.rwsplit.core.config;

import java.time.Duration;
import java.util.List;

/**
 * The one configuration model both front ends use, from a YAML file or JDBC URL properties
 * (see {@link ConfigLoader}). Immutable; a front end seals it at start.
 *
 * @param nodes             the servers; the first is the primary until the monitor says otherwise
 * @param balance           how reads are spread over replicas
 * @param primaryReadWeight the primary's weight among read candidates (active-active); 0 keeps
 *                          reads off the primary unless no replica is eligible
 * @param maxLag            a replica lagging more leaves the read set
 * @param fallback          what a read does when no replica is eligible
 * @param readYourWrites    whether a session's reads see its earlier writes
 * @param readYourWritesWindow for {@code window}: how long after a write reads stay on the primary
 * @param causalWait        for {@code causal}: how long a read may wait for a replica to apply the
 *                          session's last write before going to the primary
 * @param failover          what happens when the primary fails
 * @param pool              per-node backend connection pools
 * @param switchover        planned switchovers
 * @param autoRejoin        make a fenced old primary that comes back a replica of the new primary when
 *                          it has no transaction the new primary lacks
 * @param replication       the account a former primary replicates with
 */
public record RwsplitConfig(List<NodeConfig> nodes, BalanceStrategy balance, int primaryReadWeight, Duration maxLag,
        Fallback fallback, ReadYourWrites readYourWrites, Duration readYourWritesWindow, Duration causalWait,
        FailoverMode failover, MonitorConfig monitor, ClassifierConfig classifier, PoolConfig pool,
        SwitchoverConfig switchover, boolean autoRejoin, ReplicationConfig replication) {

    public RwsplitConfig {
        nodes = List.copyOf(nodes);
    }
}
