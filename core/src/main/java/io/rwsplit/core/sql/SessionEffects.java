package io.rwsplit.core.sql;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a statement does to session state, for the session to record once the statement succeeded.
 *
 * @param schema          new default schema ({@code USE}), or {@code null}
 * @param variables       tracked settings, key to the statement that re-applies it on another backend
 *                        ({@code time_zone} to {@code SET SESSION time_zone = 'UTC'}); keys are lower
 *                        case, with {@code names} for the connection character set
 * @param autocommit      new autocommit mode, or {@code null}
 * @param nextTransactionReadOnly {@code SET TRANSACTION READ ONLY / READ WRITE} for the next
 *                        transaction only, or {@code null}
 * @param pins            state created on the primary that pins the session there
 * @param releases        state released ({@link Pin#ANY} releases every pin of its kind)
 * @param implicitCommit  the statement ends an open transaction (DDL, LOCK TABLES, BEGIN in a transaction)
 * @param transaction     how the statement leaves the transaction, or {@code null} if it does not
 *                        touch it; for text with several statements, the last one that does
 */
public record SessionEffects(String schema, Map<String, String> variables, Boolean autocommit,
        Boolean nextTransactionReadOnly, List<Pin> pins, List<Pin> releases, boolean implicitCommit,
        TransactionChange transaction) {

    public static final SessionEffects NONE = new SessionEffects(null, Map.of(), null, null, List.of(), List.of(),
            false, null);

    /** What a statement does to the transaction. */
    public enum TransactionChange {
        /** Opens a read-write transaction (or read-only, if the session asked for that next). */
        BEGIN,
        /** Opens a read-only transaction. */
        BEGIN_READ_ONLY,
        /** Commits or rolls back. */
        END,
        /** Commits and at once opens a new transaction like it ({@code COMMIT AND CHAIN}). */
        CHAIN
    }

    public SessionEffects {
        variables = Map.copyOf(Objects.requireNonNull(variables, "variables"));
        pins = List.copyOf(pins);
        releases = List.copyOf(releases);
    }

    public boolean isNone() {
        return this.equals(NONE);
    }

    static Builder builder() {
        return new Builder();
    }

    /** Both statements' effects, {@code next}'s winning where they set the same thing. */
    public SessionEffects then(SessionEffects next) {
        if (isNone()) {
            return next;
        }
        if (next.isNone()) {
            return this;
        }
        Builder b = builder();
        b.schema = next.schema != null ? next.schema : schema;
        b.variables.putAll(variables);
        b.variables.putAll(next.variables);
        b.autocommit = next.autocommit != null ? next.autocommit : autocommit;
        b.nextTransactionReadOnly = next.nextTransactionReadOnly != null ? next.nextTransactionReadOnly
                : nextTransactionReadOnly;
        b.pins.addAll(pins);
        b.pins.addAll(next.pins);
        b.releases.addAll(releases);
        b.releases.addAll(next.releases);
        b.implicitCommit = implicitCommit || next.implicitCommit;
        b.transaction = next.transaction != null ? next.transaction : transaction;
        return b.build();
    }

    /** Collects effects while a statement is scanned. */
    static final class Builder {
        String schema;
        final java.util.LinkedHashMap<String, String> variables = new java.util.LinkedHashMap<>();
        Boolean autocommit;
        Boolean nextTransactionReadOnly;
        final java.util.ArrayList<Pin> pins = new java.util.ArrayList<>(1);
        final java.util.ArrayList<Pin> releases = new java.util.ArrayList<>(1);
        boolean implicitCommit;
        TransactionChange transaction;

        SessionEffects build() {
            if (schema == null && variables.isEmpty() && autocommit == null && nextTransactionReadOnly == null
                    && pins.isEmpty() && releases.isEmpty() && !implicitCommit && transaction == null) {
                return NONE;
            }
            return new SessionEffects(schema, variables, autocommit, nextTransactionReadOnly, pins, releases,
                    implicitCommit, transaction);
        }
    }
}
