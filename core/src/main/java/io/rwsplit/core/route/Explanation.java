package io.rwsplit.core.route;

import io.rwsplit.core.sql.Classification;
import io.rwsplit.core.sql.StatementKind;
import io.rwsplit.core.topology.Role;

/**
 * What a statement would do in a fresh autocommit session: the route label, the reason, and the
 * classification and decision behind them.
 *
 * <p>Labels: {@code replica}, {@code primary}, {@code previous} (the backend the previous
 * statement used), {@code session} (tracked and applied on every backend), {@code begin},
 * {@code begin-ro} (a read-only transaction on a replica) and {@code end}.
 */
public record Explanation(String label, String reason, Classification classification, RouteDecision decision) {

    public static Explanation of(Classification c, RouteDecision d) {
        return new Explanation(label(c, d), d.reason(), c, d);
    }

    static String label(Classification c, RouteDecision d) {
        StatementKind kind = c.kind();
        return switch (kind) {
            case BEGIN -> "begin";
            case BEGIN_READ_ONLY -> "begin-ro";
            case END -> "end";
            case SESSION -> "session";
            case PREVIOUS -> "previous";
            default -> d.failed() ? "error" : d.node().role() == Role.PRIMARY ? "primary" : "replica";
        };
    }

    /** {@code label<TAB>reason}, the explain command's output line. */
    public String line() {
        return label + "\t" + reason;
    }
}
