package io.rwsplit.core.session;

import io.rwsplit.core.flavor.GtidSet;
import io.rwsplit.core.sql.Classification;
import io.rwsplit.core.sql.Pin;
import io.rwsplit.core.sql.PinKind;
import io.rwsplit.core.sql.SessionEffects;
import io.rwsplit.core.sql.StatementKind;
import io.rwsplit.core.topology.NodeId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything about one client session that routing depends on: transaction and autocommit,
 * the JDBC read-only flag, the schema and tracked settings every backend must share, state that
 * pins the session to the primary, where the previous statement ran, and the session's last write.
 *
 * <p>Mutable and owned by one session; not thread-safe. The front end reports each statement's
 * outcome ({@link #succeeded}, {@link #failed}); effects apply only once the server accepted the
 * statement, so {@code USE missing_db} changes nothing. Where a front end learns the server's own
 * view (the status flags of an OK packet), {@link #observeServer} corrects the state, erring
 * towards "in a transaction": believing a transaction is closed while it is open would send its
 * reads to a replica.
 */
public final class SessionState {

    /** Settings that {@code SET NAMES} and {@code SET CHARACTER SET} overwrite. */
    private static final List<String> CHARSET_VARIABLES = List.of("character_set_client", "character_set_results",
            "character_set_connection", "collation_connection");

    private boolean autocommit = true;
    private Transaction transaction = Transaction.NONE;
    private NodeId transactionNode;
    private boolean jdbcReadOnly;
    private Boolean nextTransactionReadOnly;
    private String schema;
    private final LinkedHashMap<String, String> variables = new LinkedHashMap<>();
    private long variablesVersion;
    private final Set<Pin> pins = new LinkedHashSet<>();
    private NodeId previousNode;
    private long lastWriteNanos;
    private boolean wrote;
    /** The open transaction wrote: its writes reach replicas at commit, which restarts the window. */
    private boolean uncommittedWrite;
    private GtidSet lastWriteGtid;
    private boolean gtidUnknown;

    public SessionState() {
    }

    /** A session starting in {@code schema} (the handshake's or the JDBC URL's database). */
    public SessionState(String schema) {
        this.schema = schema;
    }

    // ---- what routing reads -----------------------------------------------------------------

    public boolean autocommit() {
        return autocommit;
    }

    /**
     * The transaction the next statement runs in: an explicit one, or the implicit one autocommit
     * off opens (read-only when the JDBC connection is read-only).
     */
    public Transaction transaction() {
        if (transaction != Transaction.NONE) {
            return transaction;
        }
        if (!autocommit) {
            return jdbcReadOnly ? Transaction.READ_ONLY : Transaction.READ_WRITE;
        }
        return Transaction.NONE;
    }

    /** Whether the transaction was opened explicitly (BEGIN) rather than by autocommit being off. */
    public boolean explicitTransaction() {
        return transaction != Transaction.NONE;
    }

    /** The node the open transaction runs on, once its first statement ran. */
    public NodeId transactionNode() {
        return transactionNode;
    }

    public boolean jdbcReadOnly() {
        return jdbcReadOnly;
    }

    /** Whether a {@code BEGIN} now would open a read-only transaction. */
    public boolean nextTransactionReadOnly() {
        return Boolean.TRUE.equals(nextTransactionReadOnly)
                || (nextTransactionReadOnly == null && jdbcReadOnly);
    }

    public String schema() {
        return schema;
    }

    /**
     * Tracked settings in the order they were last set, as the statements that re-apply them
     * ({@code SET SESSION time_zone = 'UTC'}).
     */
    public Map<String, String> variables() {
        return Collections.unmodifiableMap(variables);
    }

    /** Changes whenever {@link #variables()} or the schema change, so a backend knows to re-apply them. */
    public long variablesVersion() {
        return variablesVersion;
    }

    public Set<Pin> pins() {
        return Collections.unmodifiableSet(pins);
    }

    public boolean pinned() {
        return !pins.isEmpty();
    }

    /** "temporary table tmp_ids, named lock job-7", for reasons. */
    public String pinReason() {
        List<String> parts = new ArrayList<>(pins.size());
        for (Pin p : pins) {
            parts.add(p.toString());
        }
        return String.join(", ", parts);
    }

    public NodeId previousNode() {
        return previousNode;
    }

    /** Whether the session has written anything yet. */
    public boolean wrote() {
        return wrote;
    }

    /** {@link System#nanoTime()}-based time of the last write, if {@link #wrote()}. */
    public long lastWriteNanos() {
        return lastWriteNanos;
    }

    /** The GTID of the session's last write, when the front end learned it. */
    public GtidSet lastWriteGtid() {
        return lastWriteGtid;
    }

    // ---- what the front end reports ----------------------------------------------------------

    /** JDBC {@code Connection.setReadOnly}. */
    public void setJdbcReadOnly(boolean readOnly) {
        this.jdbcReadOnly = readOnly;
    }

    /** JDBC {@code Connection.setAutoCommit}; turning it on commits an open transaction. */
    public void setAutocommit(boolean on, long nowNanos) {
        if (on && !autocommit) {
            endTransaction(nowNanos);
        }
        autocommit = on;
    }

    /** Protocol-level schema change (COM_INIT_DB, {@code Connection.setCatalog}). */
    public void setSchema(String newSchema) {
        if (newSchema != null && !newSchema.equals(schema)) {
            schema = newSchema;
            variablesVersion++;
        }
    }

    /** The statement ran on {@code node} and the server accepted it. */
    public void succeeded(Classification c, NodeId node, long nowNanos) {
        SessionEffects e = c.effects();
        StatementKind kind = c.kind();
        if (e.implicitCommit() && transaction() != Transaction.NONE && e.transaction() == null) {
            endTransaction(nowNanos);
        }
        if (e.nextTransactionReadOnly() != null) {
            nextTransactionReadOnly = e.nextTransactionReadOnly();
        }
        SessionEffects.TransactionChange change = e.transaction();
        if (change == null) {
            if (transaction() != Transaction.NONE && transactionNode == null) {
                transactionNode = node;
            }
        } else {
            switch (change) {
                case BEGIN, BEGIN_READ_ONLY -> {
                    transaction = change == SessionEffects.TransactionChange.BEGIN_READ_ONLY
                            || nextTransactionReadOnly() ? Transaction.READ_ONLY : Transaction.READ_WRITE;
                    transactionNode = node;
                    nextTransactionReadOnly = null;
                    dropNextTransactionSettings();
                }
                case END -> endTransaction(nowNanos);
                case CHAIN -> committed(nowNanos);
            }
        }
        if (e.autocommit() != null) {
            setAutocommit(e.autocommit(), nowNanos);
        }
        if (e.schema() != null) {
            setSchema(e.schema());
        }
        if (!e.variables().isEmpty()) {
            track(e.variables());
        }
        for (Pin p : e.releases()) {
            release(p);
        }
        pins.addAll(e.pins());
        // what nobody could classify went to the primary as a possible write: count it as one
        if (kind == StatementKind.WRITE || kind == StatementKind.UNKNOWN) {
            wrote = true;
            lastWriteNanos = nowNanos;
            uncommittedWrite = transaction() != Transaction.NONE;
        }
        previousNode = node;
    }

    /**
     * The statement ran (or was tried) on {@code node} and failed: nothing it meant to change is
     * recorded, except where it ran and, as the first statement of a transaction, that the
     * transaction lives there now: a failed statement may have done part of its work (a batch, a
     * multi-statement text), which a later ROLLBACK or COMMIT must reach.
     */
    public void failed(Classification c, NodeId node) {
        previousNode = node;
        if (transaction() != Transaction.NONE && transactionNode == null && c.effects().transaction() == null) {
            transactionNode = node;
        }
    }

    /**
     * The GTID a write of this session got (MariaDB {@code @@last_gtid}, MySQL session tracking).
     * Each names only the latest transaction, so they are accumulated: a session that wrote in two
     * MariaDB domains must find both applied.
     */
    public void recordWriteGtid(GtidSet gtid) {
        if (gtid == null) {
            // a write whose GTID could not be learned: no replica can be proven to have it
            this.lastWriteGtid = null;
            this.gtidUnknown = true;
            return;
        }
        this.lastWriteGtid = lastWriteGtid == null || gtidUnknown ? gtid : lastWriteGtid.union(gtid);
        this.gtidUnknown = false;
    }

    /** The session wrote something whose GTID it could not learn (causal reads then use the primary). */
    public boolean lastWriteGtidUnknown() {
        return gtidUnknown;
    }

    /**
     * What the server says after a statement (OK packet status flags). The server is right about
     * autocommit; about the transaction it is trusted when it says one is open, and when it says
     * none is open after the session thought one was (a rollback on deadlock, an implicit commit).
     */
    public void observeServer(boolean serverInTransaction, boolean serverAutocommit, long nowNanos) {
        autocommit = serverAutocommit;
        if (serverInTransaction && transaction == Transaction.NONE && autocommit) {
            transaction = Transaction.READ_WRITE;
        } else if (!serverInTransaction && transaction != Transaction.NONE) {
            endTransaction(nowNanos);
        }
    }

    /** COM_RESET_CONNECTION / COM_CHANGE_USER: back to a fresh session in {@code newSchema}. */
    public void reset(String newSchema) {
        autocommit = true;
        // a reset rolls back: nothing of the open transaction reaches the replicas
        uncommittedWrite = false;
        endTransaction(0);
        nextTransactionReadOnly = null;
        schema = newSchema;
        variables.clear();
        variablesVersion++;
        pins.clear();
        previousNode = null;
    }

    private void endTransaction(long nowNanos) {
        committed(nowNanos);
        transaction = Transaction.NONE;
        transactionNode = null;
        dropNextTransactionSettings();
    }

    /** A transaction that wrote ends: replicas start applying its writes now, so the window starts now. */
    private void committed(long nowNanos) {
        if (uncommittedWrite) {
            uncommittedWrite = false;
            lastWriteNanos = nowNanos;
        }
    }

    private void dropNextTransactionSettings() {
        if (variables.remove("next_transaction_isolation") != null) {
            variablesVersion++;
        }
    }

    private void track(Map<String, String> changed) {
        for (Map.Entry<String, String> v : changed.entrySet()) {
            if (v.getKey().equals("names")) {
                CHARSET_VARIABLES.forEach(variables::remove);
            }
            // re-inserting moves the setting last, so settings re-apply in the order they were made
            variables.remove(v.getKey());
            variables.put(v.getKey(), v.getValue());
        }
        variablesVersion++;
    }

    private void release(Pin p) {
        if (Pin.ANY.equals(p.name())) {
            pins.removeIf(held -> held.kind() == p.kind());
        } else {
            pins.remove(p);
        }
    }

    /** Whether a pin of {@code kind} is held (for tests and diagnostics). */
    public boolean pinnedBy(PinKind kind) {
        for (Pin p : pins) {
            if (p.kind() == kind) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "SessionState[transaction=" + transaction() + ", autocommit=" + autocommit + ", readOnly="
                + jdbcReadOnly + ", schema=" + schema + ", pins=" + pins + ", previous=" + previousNode + "]";
    }
}
