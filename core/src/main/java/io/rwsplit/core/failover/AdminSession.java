package io.rwsplit.core.failover;

import io.rwsplit.core.flavor.GtidSet;
import io.rwsplit.core.flavor.ReplicaStatus;
import io.rwsplit.core.flavor.ServerDialect;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.core.topology.ProbeConnector;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One administrative connection to one node for the length of a promotion, switchover or rejoin;
 * holds its share of the failover lock. Not thread-safe: one operation uses it on one thread.
 */
final class AdminSession {

    private static final Logger log = LoggerFactory.getLogger(AdminSession.class);

    /** The semi-sync stop timeout during a promotion: the least above "none" (0). */
    static final long STOP_TIMEOUT_SECONDS = 1;

    final NodeId node;
    final Connection connection;
    final ServerDialect dialect;
    boolean locked;

    private AdminSession(NodeId node, Connection connection, ServerDialect dialect) {
        this.node = node;
        this.connection = connection;
        this.dialect = dialect;
    }

    /** A session, or {@code null} when the node does not answer. */
    static AdminSession open(ProbeConnector connector, NodeId node, Duration statementTimeout) {
        Connection c = null;
        try {
            c = connector.connect(node);
            c.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, statementTimeout.toMillis()));
            AdminSession s = new AdminSession(node, c, null);
            return new AdminSession(node, c, ServerDialect.of(s.string("SELECT VERSION()")));
        } catch (SQLException | RuntimeException e) {
            log.info("failover: {} does not answer: {}", node.name(), Promoter.describe(e));
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // it failed already
                }
            }
            return null;
        }
    }

    /**
     * Opens a session to each node that answers, in configuration order, and takes the failover lock
     * on them in that order until a majority of {@code nodes} is held. Returns {@code null} when it
     * is held, else why not; either way the sessions opened are in {@code into}, to be closed by the
     * caller (closing releases the lock).
     */
    static String lockMajority(ProbeConnector connector, List<NodeState> nodes, Duration statementTimeout,
            Map<NodeId, AdminSession> into) throws SQLException {
        for (NodeState n : nodes) {
            AdminSession s = open(connector, n.id(), statementTimeout);
            if (s != null) {
                into.put(n.id(), s);
            }
        }
        return lockInOrder(into.values(), nodes.size());
    }

    /**
     * Starts opening a session to every node at once, so that nodes that do not answer cost their
     * connect timeout once together rather than one after the other. Each future holds the
     * session, or {@code null} when the node does not answer.
     */
    static Map<NodeId, CompletableFuture<AdminSession>> openAll(ProbeConnector connector, List<NodeState> nodes,
            Duration statementTimeout, Executor executor) {
        Map<NodeId, CompletableFuture<AdminSession>> opening = new LinkedHashMap<>();
        for (NodeState n : nodes) {
            opening.put(n.id(), CompletableFuture.supplyAsync(() -> open(connector, n.id(), statementTimeout), executor));
        }
        return opening;
    }

    /**
     * {@link #lockMajority(ProbeConnector, List, Duration, Map)} over sessions being opened by
     * {@link #openAll}, waiting for each in configuration order, except that the session to
     * {@code notWaitedFor} (the failed primary, usually frozen or gone) is used only if it is open
     * already. Leaving a node out can only make the lock harder to get, never let two instances
     * hold a majority each.
     */
    static String lockMajority(Map<NodeId, CompletableFuture<AdminSession>> opening, List<NodeState> nodes,
            NodeId notWaitedFor, Map<NodeId, AdminSession> into) throws SQLException {
        for (NodeState n : nodes) {
            CompletableFuture<AdminSession> f = opening.get(n.id());
            if (n.id().equals(notWaitedFor) && !f.isDone()) {
                continue;
            }
            AdminSession s = f.join();
            if (s != null) {
                into.put(n.id(), s);
            }
        }
        return lockInOrder(into.values(), nodes.size());
    }

    private static String lockInOrder(java.util.Collection<AdminSession> sessions, int configured)
            throws SQLException {
        int majority = configured / 2 + 1;
        int held = 0;
        for (AdminSession s : sessions) {
            if (!s.takeLock()) {
                return "another instance holds the failover lock on " + s.node.name();
            }
            if (++held >= majority) {
                log.info("failover: took the failover lock on {} of {} servers", held, configured);
                return null;
            }
        }
        return "only " + held + " of " + configured + " servers answered; the failover lock needs " + majority;
    }

    /**
     * Waits on the server until this replica has applied {@code position}, at most {@code timeout};
     * whether it did. The connection's read timeout is stretched for the wait.
     */
    boolean awaitApplied(GtidSet position, Duration timeout, Duration statementTimeout) throws SQLException {
        if (position.isEmpty()) {
            return true;
        }
        int readTimeout = (int) Math.min(Integer.MAX_VALUE, timeout.plus(statementTimeout).toMillis());
        connection.setNetworkTimeout(Runnable::run, readTimeout);
        try (PreparedStatement st = connection.prepareStatement(dialect.waitForGtidSql())) {
            st.setString(1, position.text());
            st.setBigDecimal(2, ServerDialect.waitTimeout(timeout));
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && !rs.wasNull() && dialect.waitReached(rs.getLong(1));
            }
        } finally {
            connection.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, statementTimeout.toMillis()));
        }
    }

    /** Every node read afresh where a session is open; a node without one is unreachable. */
    static List<NodeState> readAll(List<NodeState> nodes, Map<NodeId, AdminSession> sessions) {
        List<NodeState> fresh = new ArrayList<>(nodes.size());
        for (NodeState n : nodes) {
            AdminSession s = sessions.get(n.id());
            NodeState f = s == null ? null : s.read(n);
            fresh.add(f != null ? f : new NodeState(n.id(), n.settings(), false, false, true, null, null));
        }
        return fresh;
    }

    boolean takeLock() throws SQLException {
        locked = "1".equals(string(PromotionSql.TAKE_LOCK));
        return locked;
    }

    NodeState read(NodeState configured) {
        try {
            boolean readOnly = "1".equals(string(dialect.readOnlySql()));
            ReplicaStatus replica = dialect.readReplicaStatus(row(dialect.replicaStatusSql()));
            return new NodeState(node, configured.settings(), true, true, readOnly, replica, executed());
        } catch (SQLException | RuntimeException e) {
            log.info("failover: {} does not answer: {}", node.name(), Promoter.describe(e));
            return null;
        }
    }

    GtidSet executed() throws SQLException {
        String text = string(dialect.gtidExecutedSql());
        return GtidSet.parse(dialect.flavor(), text == null ? "" : text);
    }

    /**
     * Runs {@code statements}, which stop this replica's replication, with the stop's wait on a
     * frozen primary bounded: a semi-synchronous replica's stop spends up to the flavor's stop
     * timeout (MariaDB: 5 s by default) connecting to its primary, so that is lowered to
     * {@value #STOP_TIMEOUT_SECONDS} s for these statements and put back afterwards.
     */
    void runStopping(List<String> statements) throws SQLException {
        String before = null;
        if (dialect.semiSyncStopTimeoutSql() != null) {
            try {
                before = string(dialect.semiSyncStopTimeoutSql());
            } catch (SQLException e) {
                // no such setting on this build: nothing to bound
            }
        }
        boolean lowered = before != null && !before.equals(Long.toString(STOP_TIMEOUT_SECONDS));
        if (lowered) {
            run(List.of(dialect.setSemiSyncStopTimeoutSql(STOP_TIMEOUT_SECONDS)));
        }
        try {
            run(statements);
        } finally {
            if (lowered) {
                restoreStopTimeout(before);
            }
        }
    }

    private void restoreStopTimeout(String before) {
        try {
            run(List.of(dialect.setSemiSyncStopTimeoutSql(Long.parseLong(before.trim()))));
        } catch (SQLException | RuntimeException e) {
            log.warn("failover: could not restore the semi-sync stop timeout of {} to {}: {}", node.name(), before,
                    Promoter.describe(e));
        }
    }

    void run(List<String> statements) throws SQLException {
        try (Statement st = connection.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    int killClients() throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(PromotionSql.CLIENT_CONNECTIONS)) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        int killed = 0;
        try (Statement st = connection.createStatement()) {
            for (long id : ids) {
                try {
                    st.execute(PromotionSql.kill(id));
                    killed++;
                } catch (SQLException e) {
                    // gone by itself meanwhile (unknown thread id): nothing to kill
                }
            }
        }
        return killed;
    }

    String string(String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    Map<String, String> row(String sql) throws SQLException {
        Map<String, String> row = new LinkedHashMap<>();
        try (PreparedStatement st = connection.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            if (rs.next()) {
                ResultSetMetaData md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getString(i));
                }
            }
        }
        return row;
    }

    void close() {
        try {
            if (locked) {
                try (Statement st = connection.createStatement()) {
                    st.execute(PromotionSql.RELEASE_LOCK);
                }
            }
        } catch (SQLException ignored) {
            // closing the connection releases the lock too
        } finally {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing more to release
            }
        }
    }
}
