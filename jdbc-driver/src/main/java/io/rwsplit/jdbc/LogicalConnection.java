package io.rwsplit.jdbc;

import io.rwsplit.core.route.RouteDecision;
import io.rwsplit.core.session.SessionState;
import io.rwsplit.core.session.Transaction;
import io.rwsplit.core.sql.Classification;
import io.rwsplit.core.sql.SessionEffects;
import io.rwsplit.core.sql.StatementKind;
import io.rwsplit.core.topology.Health;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.core.topology.NodeView;
import io.rwsplit.core.topology.TopologySnapshot;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The connection an application holds. It has no server of its own: every statement is routed
 * through core's router and runs on a physical connection borrowed from that node's pool.
 *
 * <p>A borrowed connection ({@link Lease}) is kept while a statement on it is open or while the
 * session's state lives there (an open transaction, a pin), and otherwise goes back to its pool,
 * so many logical connections share a few physical ones. Before a statement runs on a lease, the
 * session's schema, autocommit and tracked settings are made current there ({@link SessionSync}).
 *
 * <p>Failures: an autocommit read whose server is lost is routed again without that server and
 * run once more; a statement in a transaction whose server is lost fails with an
 * {@code SQLTransientConnectionException} (08S01); nothing that might have written is ever sent
 * twice. Not thread-safe, as JDBC connections are used; {@link RoutedStatement#cancel()} may come
 * from another thread.
 */
final class LogicalConnection implements Connection {

    /** Runs one statement on a lease. */
    @FunctionalInterface
    interface PhysicalCall<T> {
        T run(Lease lease) throws SQLException;
    }

    private final ClusterRuntime runtime;
    private final SessionState session;
    private final CausalReads causal;
    private final Map<NodeId, Lease> leases = new LinkedHashMap<>();
    private final Set<RoutedStatement> statements = new LinkedHashSet<>();
    private final Set<RoutedCallableStatement> callables = new LinkedHashSet<>();
    private final long affinityKey;
    private NodeId pinNode;
    /** The lease of the last statement, kept while a FOUND_ROWS() or ROW_COUNT() may follow. */
    private Lease lastLease;
    /** A transaction's connection was lost and the application has not ended the transaction yet. */
    private NodeId lostTransaction;
    private boolean closed;
    private Properties clientInfo = new Properties();
    private Map<String, Class<?>> typeMap = new HashMap<>();
    private int holdability = ResultSet.HOLD_CURSORS_OVER_COMMIT;
    private int networkTimeout;
    private Executor networkTimeoutExecutor;
    private LogicalMetaData metaData;

    LogicalConnection(ClusterRuntime runtime) {
        this.runtime = runtime;
        this.session = new SessionState(runtime.url.database().isEmpty() ? null : runtime.url.database());
        this.causal = new CausalReads(runtime.config.readYourWrites());
        this.affinityKey = System.identityHashCode(this);
    }

    ClusterRuntime runtime() {
        return runtime;
    }

    SessionState session() {
        return session;
    }

    Classification classify(String sql) {
        return runtime.classifier.classify(sql);
    }

    // ---- running statements ------------------------------------------------------------------

    /** Routes {@code c}, runs {@code call} where it goes, records the outcome in the session. */
    <T> T execute(Classification c, String sql, PhysicalCall<T> call, boolean replayable) throws SQLException {
        checkOpen();
        if (session.jdbcReadOnly() && mayWrite(c) && session.transaction() == Transaction.NONE) {
            throw Errors.readOnlyConnection();
        }
        Lease previous = lastLease;
        if (previous != null && c.kind() != StatementKind.PREVIOUS) {
            // only FOUND_ROWS(), ROW_COUNT() and SHOW WARNINGS need the last statement's connection
            lastLease = null;
            previous.lastUsed = false;
            releaseIfIdle(previous);
        }
        if (c.kind() == StatementKind.PREVIOUS && previous != null && leases.get(previous.node) == previous) {
            NodeView node = runtime.topology().node(previous.node).orElse(null);
            if (node != null) {
                return run(c, keepsConnection(c, sql), new RouteDecision(node, c.reason(), false, null, null), call,
                        runtime.topology(), false);
            }
        }
        TopologySnapshot topology = runtime.topology();
        RouteDecision d = runtime.router.route(c, session, topology, affinityKey, System.nanoTime());
        if (d.failed()) {
            throw Errors.route(d.error());
        }
        return run(c, keepsConnection(c, sql), d, call, topology, replayable);
    }

    /** What may change data: refused on a read-only connection, as Connector/J refuses it. */
    private static boolean mayWrite(Classification c) {
        return c.kind() == StatementKind.WRITE || c.kind() == StatementKind.UNKNOWN;
    }

    /**
     * Whether the next statement may need this one's physical connection: ROW_COUNT() after a
     * write, FOUND_ROWS() after SQL_CALC_FOUND_ROWS. Such a connection is kept until the next
     * statement or until the application's pool takes the connection back ({@link #clearWarnings}).
     */
    private static boolean keepsConnection(Classification c, String sql) {
        return mayWrite(c) || c.kind() == StatementKind.PRIMARY_ONLY
                || (sql != null && containsIgnoreCase(sql, "SQL_CALC_FOUND_ROWS"));
    }

    private static boolean containsIgnoreCase(String text, String word) {
        for (int i = 0; i + word.length() <= text.length(); i++) {
            if (text.regionMatches(true, i, word, 0, word.length())) {
                return true;
            }
        }
        return false;
    }

    private <T> T run(Classification c, boolean keep, RouteDecision d, PhysicalCall<T> call,
            TopologySnapshot topology, boolean mayRetry) throws SQLException {
        NodeView node = d.node();
        Lease lease = null;
        try {
            lease = lease(node.id());
            prepare(c, lease);
            if (d.causalWait() != null && !causal.await(lease, d.causalWait())) {
                releaseIfIdle(lease);
                node = d.causalWait().fallback();
                lease = lease(node.id());
                prepare(c, lease);
            }
        } catch (SQLException e) {
            runtime.stats.failed(node.id());
            if (Errors.connectionLost(e)) {
                if (lease != null) {
                    lease.broken = true;
                    drop(lease);
                }
                suspectIfUnreachable(node.id(), e);
                if (mayRetry && retryable(c)) {
                    return retryElsewhere(c, keep, node, call, topology);
                }
                if (session.transaction() != Transaction.NONE && session.transactionNode() != null) {
                    throw lostTransaction(node.id(), e);
                }
            }
            throw e;
        }
        long now = System.nanoTime();
        boolean startsTransaction = startsTransaction(c);
        try {
            T result = call.run(lease);
            runtime.stats.succeeded(lease.node, c.kind(), System.nanoTime() - now);
            session.succeeded(c, lease.node, now);
            recordOn(lease, c, startsTransaction);
            causal.afterSuccess(c, lease, session);
            remember(lease, keep);
            updateHolds();
            return result;
        } catch (SQLException e) {
            runtime.stats.failed(lease.node);
            session.failed(c, lease.node);
            if (session.transaction() != Transaction.NONE) {
                lease.inTransaction = true;
            }
            if (Errors.connectionLost(e)) {
                lease.broken = true;
                drop(lease);
                suspectIfUnreachable(lease.node, e);
                if (mayRetry && retryable(c)) {
                    return retryElsewhere(c, keep, node, call, topology);
                }
                if (session.transaction() != Transaction.NONE || session.pinned()) {
                    throw lostTransaction(lease.node, e);
                }
            } else {
                // SHOW WARNINGS / SHOW ERRORS after a failure read them where it failed
                remember(lease, true);
                updateHolds();
            }
            throw e;
        }
    }

    /** Makes {@code lease} ready for {@code c}: the session's state, a pending next-transaction setting, GTID tracking. */
    private void prepare(Classification c, Lease lease) throws SQLException {
        SessionSync.apply(session, this, lease, session.autocommit(), startsTransaction(c),
                session.transaction() == Transaction.READ_ONLY);
        if (c.kind() != StatementKind.READ) {
            causal.prepare(lease);
        }
        if (!c.effects().variables().isEmpty()) {
            SessionSync.rememberOriginals(lease, c.effects().variables().keySet());
        }
    }

    /** Whether {@code c} opens a transaction on the connection it runs on. */
    private boolean startsTransaction(Classification c) {
        SessionEffects.TransactionChange t = c.effects().transaction();
        return t == SessionEffects.TransactionChange.BEGIN || t == SessionEffects.TransactionChange.BEGIN_READ_ONLY
                || (session.transaction() != Transaction.NONE && session.transactionNode() == null);
    }

    /** What a statement that succeeded on {@code lease} left there, for the lease's next user. */
    private void recordOn(Lease lease, Classification c, boolean startedTransaction) throws SQLException {
        SessionEffects e = c.effects();
        lease.inTransaction = session.transaction() != Transaction.NONE && lease.node.equals(session.transactionNode());
        if (startedTransaction) {
            lease.pendingNextTransaction = false;
        } else if (e.nextTransactionReadOnly() != null || e.variables().containsKey("next_transaction_isolation")) {
            lease.pendingNextTransaction = true;
        }
        if (!e.variables().isEmpty()) {
            SessionSync.applied(session, this, lease, e.variables());
        }
        if (e.schema() != null) {
            // tell Connector/J and the pool, so that the schema is reset when the connection goes back
            lease.connection.setCatalog(e.schema());
            lease.schema = e.schema();
        }
    }

    private void remember(Lease lease, boolean keep) {
        if (keep && leases.get(lease.node) == lease) {
            lastLease = lease;
            lease.lastUsed = true;
        }
    }

    /**
     * A connection failed. The node is treated as down for everyone only if it also refuses a new
     * TCP connection: one killed session or a server-side timeout must not take a healthy node out.
     */
    private void suspectIfUnreachable(NodeId node, SQLException e) {
        if ("08001".equals(e.getSQLState()) || !runtime.pool(node).reachable()) {
            runtime.suspect(node);
        }
    }

    /**
     * A lease where {@code c} would run now, with the session's state applied, counted as used by
     * one open statement; for statements prepared once and run on the same server (callable
     * statements). Nothing is recorded in the session until they run.
     */
    Lease acquire(Classification c) throws SQLException {
        checkOpen();
        RouteDecision d = runtime.router.route(c, session, runtime.topology(), affinityKey, System.nanoTime());
        if (d.failed()) {
            throw Errors.route(d.error());
        }
        Lease lease = lease(d.node().id());
        opened(lease);
        try {
            prepare(c, lease);
        } catch (SQLException e) {
            closed(lease);
            throw e;
        }
        return lease;
    }

    /**
     * Before each execution of a statement prepared on {@code lease} (a callable statement): the
     * session must still run there, and the lease must carry the session's current state.
     */
    void beforeRunningOn(Classification c, Lease lease) throws SQLException {
        checkOpen();
        if (session.jdbcReadOnly() && mayWrite(c) && session.transaction() == Transaction.NONE) {
            throw Errors.readOnlyConnection();
        }
        RouteDecision d = runtime.router.route(c, session, runtime.topology(), affinityKey, System.nanoTime());
        if (d.failed()) {
            throw Errors.route(d.error());
        }
        if (!d.node().id().equals(lease.node)) {
            throw new SQLException("this call was prepared on " + lease.node.name() + " but the session now runs on "
                    + d.node().name() + " (" + d.reason() + "); prepare the call again", "HY000", Errors.CLIENT_ERROR);
        }
        prepare(c, lease);
    }

    /** A statement that was prepared on {@code lease} ran there ({@link #acquire}); records it like a routed one. */
    void ranOn(Classification c, Lease lease, boolean succeeded) throws SQLException {
        long now = System.nanoTime();
        if (!succeeded) {
            session.failed(c, lease.node);
            if (session.transaction() != Transaction.NONE) {
                lease.inTransaction = true;
            }
            return;
        }
        boolean started = startsTransaction(c);
        session.succeeded(c, lease.node, now);
        recordOn(lease, c, started);
        causal.afterSuccess(c, lease, session);
        updateHolds();
    }

    /** An autocommit read only reads: running it again on another server cannot write twice. */
    private boolean retryable(Classification c) {
        return c.kind() == StatementKind.READ && session.transaction() == Transaction.NONE && !session.pinned();
    }

    private <T> T retryElsewhere(Classification c, boolean keep, NodeView failed, PhysicalCall<T> call,
            TopologySnapshot topology) throws SQLException {
        TopologySnapshot without = topology.with(failed.withHealth(Health.DOWN));
        RouteDecision d = runtime.router.route(c, session, without, affinityKey, System.nanoTime());
        if (d.failed()) {
            throw Errors.route(d.error());
        }
        return run(c, keep, d, call, without, false);
    }

    /** The lease on {@code node}: the one this connection holds, else a new one from the pool. */
    private Lease lease(NodeId node) throws SQLException {
        Lease l = leases.get(node);
        if (l != null) {
            return l;
        }
        l = runtime.pool(node).borrow();
        if (networkTimeout > 0) {
            l.connection.setNetworkTimeout(networkTimeoutExecutor, networkTimeout);
        }
        leases.put(node, l);
        return l;
    }

    /**
     * After a statement: a lease is held where the transaction runs and, while the session is
     * pinned, where the pinned state was made; idle leases go back to their pools.
     */
    private void updateHolds() {
        NodeId txNode = session.transaction() != Transaction.NONE ? session.transactionNode() : null;
        if (session.pinned()) {
            if (pinNode == null) {
                pinNode = session.previousNode();
            }
        } else {
            pinNode = null;
        }
        List<Lease> idle = new ArrayList<>();
        for (Lease l : leases.values()) {
            l.held = l.node.equals(txNode) || l.node.equals(pinNode);
            if (l.idle()) {
                idle.add(l);
            }
        }
        for (Lease l : idle) {
            leases.remove(l.node);
            l.release();
        }
    }

    void opened(Lease lease) {
        lease.statements++;
    }

    /** A physical statement on {@code lease} was closed. */
    void closed(Lease lease) {
        lease.statements = Math.max(0, lease.statements - 1);
        releaseIfIdle(lease);
    }

    private void releaseIfIdle(Lease lease) {
        if (lease.idle() && leases.get(lease.node) == lease) {
            leases.remove(lease.node);
            lease.release();
        }
    }

    private void drop(Lease lease) {
        if (leases.get(lease.node) == lease) {
            leases.remove(lease.node);
        }
        if (lastLease == lease) {
            lastLease = null;
        }
        lease.release();
    }

    /**
     * A lease on the primary kept until the application's pool takes this connection back
     * ({@link #clearWarnings}) or it closes: for metadata and unwraps to Connector/J's types.
     */
    private Lease primaryUntilReturned() throws SQLException {
        checkOpen();
        NodeView p = runtime.topology().primary().orElseThrow(() -> Errors.route(
                io.rwsplit.core.route.RouteError.noPrimary("the monitor sees none")));
        Lease l = lease(p.id());
        l.pinnedUntilReturned = true;
        return l;
    }

    void forget(RoutedStatement s) {
        statements.remove(s);
    }

    void checkOpen() throws SQLException {
        if (closed) {
            throw Errors.closed("connection");
        }
    }

    // ---- statements --------------------------------------------------------------------------

    private <S extends RoutedStatement> S track(S s) {
        statements.add(s);
        return s;
    }

    private RoutedCallableStatement track(RoutedCallableStatement s) {
        callables.add(s);
        return s;
    }

    void forget(RoutedCallableStatement s) {
        callables.remove(s);
    }

    @Override
    public Statement createStatement() throws SQLException {
        checkOpen();
        return track(new RoutedStatement(this, StatementOptions.defaults()));
    }

    @Override
    public Statement createStatement(int type, int concurrency) throws SQLException {
        checkOpen();
        return track(new RoutedStatement(this, new StatementOptions(type, concurrency, holdability)));
    }

    @Override
    public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
        checkOpen();
        return track(new RoutedStatement(this, new StatementOptions(type, concurrency, holdability)));
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        return prepare(sql, StatementOptions.defaults());
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        StatementOptions o = StatementOptions.defaults();
        o.autoGeneratedKeys = autoGeneratedKeys;
        return prepare(sql, o);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        StatementOptions o = StatementOptions.defaults();
        o.columnIndexes = columnIndexes.clone();
        return prepare(sql, o);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        StatementOptions o = StatementOptions.defaults();
        o.columnNames = columnNames.clone();
        return prepare(sql, o);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency) throws SQLException {
        return prepare(sql, new StatementOptions(type, concurrency, holdability));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
            throws SQLException {
        return prepare(sql, new StatementOptions(type, concurrency, holdability));
    }

    private PreparedStatement prepare(String sql, StatementOptions options) throws SQLException {
        checkOpen();
        if (sql == null) {
            throw new SQLException("SQL string can not be NULL", "S1009", Errors.CLIENT_ERROR);
        }
        return track(new RoutedPreparedStatement(this, sql, classify(sql), options));
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        return prepareCall(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, holdability);
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency) throws SQLException {
        return prepareCall(sql, type, concurrency, holdability);
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency, int holdability)
            throws SQLException {
        checkOpen();
        Classification c = classify(sql);
        Lease lease = acquire(c);
        try {
            CallableStatement physical = lease.connection.prepareCall(sql, type, concurrency, holdability);
            return track(new RoutedCallableStatement(this, physical, lease, c));
        } catch (SQLException e) {
            closed(lease);
            throw e;
        }
    }

    @Override
    public String nativeSQL(String sql) throws SQLException {
        checkOpen();
        return sql;
    }

    // ---- transactions and session settings ---------------------------------------------------

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        checkOpen();
        if (autoCommit == session.autocommit()) {
            return;
        }
        if (autoCommit) {
            // JDBC: switching autocommit on commits the open transaction
            end(true);
        }
        session.setAutocommit(autoCommit, System.nanoTime());
        updateHolds();
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        checkOpen();
        return session.autocommit();
    }

    @Override
    public void commit() throws SQLException {
        checkOpen();
        if (session.autocommit() && !session.explicitTransaction()) {
            throw new SQLException("Can't call commit when autocommit=true", "25000", Errors.CLIENT_ERROR);
        }
        end(true);
    }

    @Override
    public void rollback() throws SQLException {
        checkOpen();
        if (session.autocommit() && !session.explicitTransaction()) {
            throw new SQLException("Can't call rollback when autocommit=true", "25000", Errors.CLIENT_ERROR);
        }
        end(false);
    }

    /**
     * Commits or rolls back where the transaction runs. A transaction opened by BEGIN runs with
     * autocommit on, so the statement is sent as SQL; one opened by autocommit off uses JDBC's
     * commit(). If the transaction's connection was lost, a commit fails rather than pretending.
     */
    private void end(boolean commit) throws SQLException {
        Classification c = classify(commit ? "COMMIT" : "ROLLBACK");
        if (lostTransaction != null) {
            NodeId lost = lostTransaction;
            lostTransaction = null;
            if (commit) {
                // the server rolled the transaction back when its connection went: say so again
                throw Errors.transactionLost(lost.name(), new SQLException(
                        "its connection was lost before COMMIT", "08S01", Errors.SERVER_LOST));
            }
        }
        NodeId node = session.transactionNode();
        Lease tx = node == null ? null : leases.get(node);
        long now = System.nanoTime();
        if (tx == null) {
            session.succeeded(c, node != null ? node : session.previousNode(), now);
            updateHolds();
            if (node != null && commit) {
                throw Errors.transactionLost(node.name(), new SQLException(
                        "its connection was lost before COMMIT", "08S01", Errors.SERVER_LOST));
            }
            return;
        }
        try {
            if (tx.connection.getAutoCommit()) {
                try (Statement s = tx.connection.createStatement()) {
                    s.execute(commit ? "COMMIT" : "ROLLBACK");
                }
            } else if (commit) {
                tx.connection.commit();
            } else {
                tx.connection.rollback();
            }
        } catch (SQLException e) {
            if (Errors.connectionLost(e)) {
                throw lostTransaction(tx.node, e);
            }
            throw e;
        }
        session.succeeded(c, tx.node, now);
        tx.inTransaction = false;
        if (commit) {
            causal.afterSuccess(c, tx, session);
        }
        // after COMMIT or ROLLBACK no FOUND_ROWS() or ROW_COUNT() refers to an earlier statement
        if (lastLease != null) {
            lastLease.lastUsed = false;
            lastLease = null;
        }
        updateHolds();
    }

    /** The transaction's connection is gone: the server rolled it back; the session learns it has none. */
    private SQLException lostTransaction(NodeId node, SQLException e) {
        Lease l = leases.get(node);
        if (l != null) {
            l.broken = true;
            drop(l);
        }
        session.observeServer(false, session.autocommit(), System.nanoTime());
        pinNode = null;
        lostTransaction = node;
        return Errors.transactionLost(node.name(), e);
    }

    /** The lease the open transaction runs on, if it ran anything yet. */
    private Lease transactionLease() {
        NodeId node = session.transactionNode();
        return node == null ? null : leases.get(node);
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return savepoint(null);
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        return savepoint(name);
    }

    private Savepoint savepoint(String name) throws SQLException {
        checkOpen();
        if (session.autocommit() && !session.explicitTransaction()) {
            throw new SQLException("Can't set savepoint when autocommit=true", "S1009", Errors.CLIENT_ERROR);
        }
        return execute(classify("SAVEPOINT rwsplit"), null, lease -> name == null ? lease.connection.setSavepoint()
                : lease.connection.setSavepoint(name), false);
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        checkOpen();
        Lease tx = transactionLease();
        if (tx == null) {
            throw new SQLException("no transaction holds this savepoint", "3B001", 1305);
        }
        tx.connection.rollback(savepoint);
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        checkOpen();
        Lease tx = transactionLease();
        if (tx == null) {
            throw new SQLException("no transaction holds this savepoint", "3B001", 1305);
        }
        tx.connection.releaseSavepoint(savepoint);
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        checkOpen();
        session.setJdbcReadOnly(readOnly);
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        checkOpen();
        return session.jdbcReadOnly();
    }

    /** Switches schema at once on a connection, as Connector/J does, so a missing one fails here. */
    @Override
    public void setCatalog(String catalog) throws SQLException {
        checkOpen();
        if (catalog == null || catalog.equals(session.schema())) {
            return;
        }
        onAnyConnection(l -> {
            l.connection.setCatalog(catalog);
            l.schema = catalog;
            return null;
        });
        session.setSchema(catalog);
    }

    @Override
    public String getCatalog() throws SQLException {
        checkOpen();
        return session.schema();
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        checkOpen();
        // Connector/J's default databaseTerm=CATALOG ignores JDBC schemas; so does this connection
    }

    @Override
    public String getSchema() throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        checkOpen();
        String name = switch (level) {
            case TRANSACTION_READ_UNCOMMITTED -> "READ UNCOMMITTED";
            case TRANSACTION_READ_COMMITTED -> "READ COMMITTED";
            case TRANSACTION_REPEATABLE_READ -> "REPEATABLE READ";
            case TRANSACTION_SERIALIZABLE -> "SERIALIZABLE";
            default -> throw new SQLException("unsupported transaction isolation level " + level, "S1009",
                    Errors.CLIENT_ERROR);
        };
        // tracked like the SQL statement, so every backend the session uses gets it
        session.succeeded(classify("SET SESSION TRANSACTION ISOLATION LEVEL " + name), session.previousNode(),
                System.nanoTime());
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        checkOpen();
        String set = session.variables().get("transaction_isolation");
        if (set == null) {
            return runtime.defaultIsolation(() -> onAnyConnection(l -> l.connection.getTransactionIsolation()));
        }
        String s = set.toUpperCase(java.util.Locale.ROOT).replace('-', ' ');
        if (s.contains("READ UNCOMMITTED")) {
            return TRANSACTION_READ_UNCOMMITTED;
        }
        if (s.contains("READ COMMITTED")) {
            return TRANSACTION_READ_COMMITTED;
        }
        if (s.contains("SERIALIZABLE")) {
            return TRANSACTION_SERIALIZABLE;
        }
        return TRANSACTION_REPEATABLE_READ;
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        return null;
    }

    /**
     * Also the moment an application's pool takes the connection back (HikariCP calls it on
     * return): the connection kept for a following FOUND_ROWS() and the one kept for metadata go
     * back to their pools.
     */
    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
        if (lastLease != null) {
            Lease l = lastLease;
            lastLease = null;
            l.lastUsed = false;
            releaseIfIdle(l);
        }
        for (Lease l : new ArrayList<>(leases.values())) {
            if (l.pinnedUntilReturned) {
                l.pinnedUntilReturned = false;
                releaseIfIdle(l);
            }
        }
        metaData = null;
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        checkOpen();
        return typeMap;
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        checkOpen();
        this.typeMap = map == null ? new HashMap<>() : map;
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        checkOpen();
        this.holdability = holdability;
    }

    @Override
    public int getHoldability() throws SQLException {
        checkOpen();
        return holdability;
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        checkOpen();
        if (metaData == null) {
            metaData = new LogicalMetaData(this, primaryUntilReturned().connection.getMetaData());
        }
        return metaData;
    }

    // ---- objects, validity, client info, timeouts ----------------------------------------------

    private <T> T onAnyConnection(PhysicalCall<T> call) throws SQLException {
        checkOpen();
        if (!leases.isEmpty()) {
            return call.run(leases.values().iterator().next());
        }
        NodeView p = runtime.topology().primary().orElseThrow(() -> Errors.route(
                io.rwsplit.core.route.RouteError.noPrimary("the monitor sees none")));
        Lease l = lease(p.id());
        try {
            return call.run(l);
        } finally {
            releaseIfIdle(l);
        }
    }

    @Override
    public Clob createClob() throws SQLException {
        return onAnyConnection(l -> l.connection.createClob());
    }

    @Override
    public Blob createBlob() throws SQLException {
        return onAnyConnection(l -> l.connection.createBlob());
    }

    @Override
    public NClob createNClob() throws SQLException {
        return onAnyConnection(l -> l.connection.createNClob());
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return onAnyConnection(l -> l.connection.createSQLXML());
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        return onAnyConnection(l -> l.connection.createArrayOf(typeName, elements));
    }

    @Override
    public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        return onAnyConnection(l -> l.connection.createStruct(typeName, attributes));
    }

    /** Valid while open and the primary answers within {@code timeout} seconds. */
    @Override
    public boolean isValid(int timeout) throws SQLException {
        if (timeout < 0) {
            throw new SQLException("timeout must be 0 or more", "S1009", Errors.CLIENT_ERROR);
        }
        if (closed) {
            return false;
        }
        for (Lease l : new ArrayList<>(leases.values())) {
            if (!l.connection.isValid(timeout)) {
                return false;
            }
        }
        // without a held connection to test, valid while the monitor sees a node up: nothing is borrowed
        return runtime.topology().nodes().stream().anyMatch(NodeView::isUp);
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        if (value == null) {
            clientInfo.remove(name);
        } else {
            clientInfo.setProperty(name, value);
        }
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        Properties copy = new Properties();
        if (properties != null) {
            copy.putAll(properties);
        }
        clientInfo = copy;
    }

    @Override
    public String getClientInfo(String name) throws SQLException {
        checkOpen();
        return clientInfo.getProperty(name);
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        checkOpen();
        Properties copy = new Properties();
        copy.putAll(clientInfo);
        return copy;
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        checkOpen();
        if (milliseconds < 0) {
            throw new SQLException("network timeout must be 0 or more", "S1009", Errors.CLIENT_ERROR);
        }
        this.networkTimeout = milliseconds;
        this.networkTimeoutExecutor = executor;
        for (Lease l : leases.values()) {
            l.connection.setNetworkTimeout(executor, milliseconds);
        }
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        checkOpen();
        return networkTimeout;
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        if (executor == null) {
            throw new SQLException("abort needs an executor", "S1009", Errors.CLIENT_ERROR);
        }
        List<Lease> held;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            held = new ArrayList<>(leases.values());
        }
        executor.execute(() -> {
            for (Lease l : held) {
                l.broken = true;
                l.release();
            }
        });
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        for (RoutedStatement s : new ArrayList<>(statements)) {
            s.closeQuietly();
        }
        for (RoutedCallableStatement s : new ArrayList<>(callables)) {
            s.closeQuietly();
        }
        statements.clear();
        callables.clear();
        closed = true;
        // a lease carrying a transaction is rolled back, one carrying pinned state (temporary
        // tables, locks, variables) is not reused: the next session must not inherit either
        boolean pinned = session.pinned();
        for (Lease l : leases.values()) {
            if (pinned && l.node.equals(pinNode)) {
                l.broken = true;
            }
            l.release();
        }
        leases.clear();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        if (iface == ClusterStats.class) {
            return iface.cast(runtime.stats);
        }
        return primaryUntilReturned().connection.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        // answered without borrowing a connection: what Connector/J's connections implement
        return iface.isInstance(this) || iface == ClusterStats.class
                || iface.isAssignableFrom(com.mysql.cj.jdbc.JdbcConnection.class);
    }

    /** Physical connections this logical connection holds now, for tests and diagnostics. */
    int heldConnections() {
        return leases.size();
    }

    @Override
    public String toString() {
        return "rwsplit connection to " + runtime.url + " " + session;
    }
}
