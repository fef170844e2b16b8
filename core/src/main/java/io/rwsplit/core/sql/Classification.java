package io.rwsplit.core.sql;

import java.util.Objects;

/**
 * What the classifier decided about one statement text: a value, cached and shared between
 * sessions, that the router turns into a destination.
 *
 * @param kind      what the statement is
 * @param reason    why, in words a person reads in logs and in {@code explain}
 * @param effects   what it does to session state
 * @param hint      routing hints from its comments
 * @param decidedBy whether the token-level fast path or the SQL parser decided
 */
public record Classification(StatementKind kind, String reason, SessionEffects effects, Hint hint,
        DecidedBy decidedBy) {

    public enum DecidedBy {
        FAST_PATH,
        PARSER
    }

    public Classification {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(effects, "effects");
        Objects.requireNonNull(hint, "hint");
        Objects.requireNonNull(decidedBy, "decidedBy");
    }

    static Classification fast(StatementKind kind, String reason) {
        return new Classification(kind, reason, SessionEffects.NONE, Hint.NONE, DecidedBy.FAST_PATH);
    }

    Classification with(SessionEffects newEffects) {
        return new Classification(kind, reason, newEffects, hint, decidedBy);
    }

    Classification with(Hint newHint) {
        return new Classification(kind, reason, effects, newHint, decidedBy);
    }

    Classification by(DecidedBy how) {
        return new Classification(kind, reason, effects, hint, how);
    }
}
