package io.rwsplit.core.failover;

import io.rwsplit.core.flavor.ErrantTransactions;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.core.topology.ProbeConnector;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code autoRejoin}: makes a fenced old primary that is back (thawed, restarted after a kill) a
 * replica of the new primary, when that loses nothing.
 *
 * <p>Under the failover lock (so that two instances do not both repoint it), the node's
 * transactions are compared with the primary's by {@link ErrantTransactions}. When the node has
 * none the primary lacks, it is made a read-only replica of the primary by GTID with the
 * replication account ({@link SwitchoverSql#rejoin}); once it replicates the monitor takes it for a
 * replica, and it takes reads when its lag allows. Otherwise (it committed transactions no replica
 * received before it died: asynchronous replication, or a primary cut off from its replicas) it
 * stays out, read-only, and the difference is reported: replicating from the primary would either
 * fail or keep data nobody else has, and only an operator can decide what to do with it.
 *
 * <p>Not thread-safe: the monitor's thread runs it.
 */
final class Rejoin {

    private static final Logger log = LoggerFactory.getLogger(Rejoin.class);

    /** What one attempt did: rejoined, refused (with the errant GTIDs), or not tried yet (lock, unreachable). */
    record Outcome(Kind kind, String detail) {
        enum Kind { REJOINED, ERRANT, NOT_NOW }
    }

    private final ProbeConnector connector;
    private final Duration statementTimeout;
    private final FailoverSettings settings;

    Rejoin(ProbeConnector connector, Duration statementTimeout, FailoverSettings settings) {
        this.connector = connector;
        this.statementTimeout = statementTimeout;
        this.settings = settings;
    }

    /**
     * @param node    the fenced node, reachable and not replicating
     * @param primary the current primary
     * @param nodes   every configured node, for the lock
     */
    Outcome run(NodeId node, NodeId primary, List<NodeState> nodes) {
        Map<NodeId, AdminSession> sessions = new LinkedHashMap<>();
        try {
            String notLocked = AdminSession.lockMajority(connector, nodes, statementTimeout, sessions);
            if (notLocked != null) {
                return new Outcome(Outcome.Kind.NOT_NOW, notLocked);
            }
            AdminSession n = sessions.get(node);
            AdminSession p = sessions.get(primary);
            if (n == null || p == null) {
                return new Outcome(Outcome.Kind.NOT_NOW, (n == null ? node : primary).name() + " does not answer");
            }
            String errant = ErrantTransactions.between(n.dialect.flavor(), n.string(n.dialect.transactionsSql()),
                    p.string(p.dialect.transactionsSql()));
            if (!errant.isEmpty()) {
                n.run(PromotionSql.fence(n.dialect));
                return new Outcome(Outcome.Kind.ERRANT, errant);
            }
            boolean semiSync = "1".equals(n.string(n.dialect.semiSyncPrimarySql()));
            n.run(SwitchoverSql.rejoin(n.dialect, primary.host(), primary.port(), settings.replicationUser(),
                    settings.replicationPassword(), semiSync));
            log.info("failover: {} rejoined as a replica of {} by GTID (it had no transaction {} lacks)", node.name(),
                    primary.name(), primary.name());
            return new Outcome(Outcome.Kind.REJOINED, "");
        } catch (SQLException | RuntimeException e) {
            log.warn("failover: could not rejoin {} to {}: {}", node.name(), primary.name(), Promoter.describe(e));
            return new Outcome(Outcome.Kind.NOT_NOW, Promoter.describe(e));
        } finally {
            for (AdminSession s : sessions.values()) {
                s.close();
            }
        }
    }
}
