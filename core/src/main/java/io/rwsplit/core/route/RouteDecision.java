package io.rwsplit.core.route;

import io.rwsplit.core.flavor.GtidSet;
import io.rwsplit.core.topology.NodeView;
import java.time.Duration;
import java.util.Objects;

/**
 * Where one statement goes and why: a value tests assert on, the admin API shows and logs print.
 *
 * @param node        the node to run it on; {@code null} when {@link #error()} is set
 * @param reason      why, for a person ("locking read (FOR UPDATE)", "pinned: temporary table t")
 * @param sessionWide the statement changes session state: run it on {@code node} now and re-apply
 *                    it on every other backend the session uses
 * @param causalWait  for causal reads: wait on {@code node} for the session's last write before
 *                    reading, and go to the fallback if it does not arrive in time; else {@code null}
 * @param error       the statement cannot be routed; the client gets this error
 * @param cause       the rule that decided, from a small fixed set: what metrics count by, where
 *                    {@code reason} (which names tables, locks and milliseconds) would make a new
 *                    series for every statement
 */
public record RouteDecision(NodeView node, String reason, boolean sessionWide, CausalWait causalWait,
        RouteError error, Cause cause) {

    /**
     * Which of the router's rules decided, in the order it applies them. {@link #label()} is the
     * spelling metrics and the admin API use.
     */
    public enum Cause {
        /** BEGIN, COMMIT, ROLLBACK, or any statement inside a read-write transaction (or autocommit off). */
        TRANSACTION,
        /** A read-only transaction, started on or kept on its replica. */
        READ_ONLY_TRANSACTION,
        /** The session is pinned to the primary (temporary table, lock, user variable, text PREPARE). */
        PINNED,
        /** A write (or anything else only the primary may run). */
        WRITE,
        /** SELECT ... FOR UPDATE / FOR SHARE. */
        LOCKING_READ,
        /** A read of state that lives on the primary (LAST_INSERT_ID, user variables, named locks). */
        PRIMARY_READ,
        /** Must run on the primary although it writes nothing (SAVEPOINT, SET sql_log_bin...). */
        PRIMARY_ONLY,
        /** Could not be classified, so the primary. */
        UNCLASSIFIED,
        /** A read balanced over the eligible replicas (and the primary, with a primary read weight). */
        READ,
        /** A {@code rwsplit:primary} hint. */
        HINT,
        /** Read-your-writes sent the read to the primary, waited for, or chose a replica that has the write. */
        READ_YOUR_WRITES,
        /** No replica could take the read: the fallback (primary) took it. */
        FALLBACK,
        /** FOUND_ROWS(), SHOW WARNINGS...: where the previous statement ran. */
        PREVIOUS,
        /** A session setting, run where the session last ran. */
        SESSION,
        /** Decided outside the router. */
        OTHER;

        private final String label = name().toLowerCase(java.util.Locale.ROOT);

        public String label() {
            return label;
        }

        /** The rule for a statement routed by its kind alone. */
        static Cause of(io.rwsplit.core.sql.StatementKind kind) {
            return switch (kind) {
                case READ -> READ;
                case PRIMARY_READ -> PRIMARY_READ;
                case LOCKING_READ -> LOCKING_READ;
                case WRITE -> WRITE;
                case PRIMARY_ONLY -> PRIMARY_ONLY;
                case PREVIOUS -> PREVIOUS;
                case BEGIN, END -> TRANSACTION;
                case BEGIN_READ_ONLY -> READ_ONLY_TRANSACTION;
                case SESSION -> SESSION;
                case UNKNOWN -> UNCLASSIFIED;
            };
        }
    }

    /** A decision made outside the router (cause {@link Cause#OTHER}). */
    public RouteDecision(NodeView node, String reason, boolean sessionWide, CausalWait causalWait, RouteError error) {
        this(node, reason, sessionWide, causalWait, error, Cause.OTHER);
    }

    /** Wait up to {@code timeout} for {@code gtid} on the chosen replica, else run on {@code fallback}. */
    public record CausalWait(GtidSet gtid, Duration timeout, NodeView fallback) {
    }

    public RouteDecision {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(cause, "cause");
        if ((node == null) == (error == null)) {
            throw new IllegalArgumentException("a decision has a node or an error, not both or neither");
        }
    }

    static RouteDecision to(NodeView node, String reason, Cause cause) {
        return new RouteDecision(node, reason, false, null, null, cause);
    }

    static RouteDecision session(NodeView node, String reason, Cause cause) {
        return new RouteDecision(node, reason, true, null, null, cause);
    }

    static RouteDecision fail(RouteError error, Cause cause) {
        return new RouteDecision(null, error.message(), false, null, error, cause);
    }

    public boolean failed() {
        return error != null;
    }

    @Override
    public String toString() {
        return failed() ? "error " + error.errno() + ": " + reason : node.name() + ": " + reason;
    }
}
