package io.rwsplit.core.sql;

import java.util.Locale;

/**
 * Classifies {@code SET} statements item by item: session settings are tracked (and re-applied on
 * every backend the session uses), anything global or primary-bound sends the statement to the
 * primary. The strictest item decides the kind; every session item is still tracked.
 */
final class SetScan {

    private static final java.util.List<String> SCOPES = java.util.List.of("session.", "local.", "global.", "persist.",
            "persist_only.");

    private StatementKind kind = StatementKind.SESSION;
    private String reason = "session setting, applied on every backend";
    private final SessionEffects.Builder effects = SessionEffects.builder();

    private SetScan() {
    }

    /** {@code from} is the SET keyword. */
    static Classification scan(Tokens t, int from, int to) {
        SetScan s = new SetScan();
        s.run(t, from + 1, to);
        return Classification.fast(s.kind, s.reason).with(s.effects.build());
    }

    private void raise(StatementKind k, String why) {
        if (k.strictness() > kind.strictness()) {
            kind = k;
            reason = why;
        }
    }

    private void run(Tokens t, int i, int to) {
        if (i >= to) {
            raise(StatementKind.UNKNOWN, "incomplete SET statement");
            return;
        }
        if (t.is(i, Kw.STATEMENT)) {
            statement(t, i, to);
            return;
        }
        if (t.is(i, Kw.PASSWORD) || (t.is(i, Kw.DEFAULT) && t.is(i + 1, Kw.ROLE)) || t.is(i, Kw.RESOURCE)) {
            raise(StatementKind.WRITE, "SET " + t.text(i).toUpperCase(Locale.ROOT) + " changes accounts or the server");
            return;
        }
        if (t.is(i, Kw.ROLE)) {
            effects.variables.put("role", "SET " + t.text(i, to));
            return;
        }
        if (t.is(i, Kw.TRANSACTION)) {
            transaction(t, i + 1, to, false);
            return;
        }
        if ((t.is(i, Kw.SESSION) || t.is(i, Kw.LOCAL)) && t.is(i + 1, Kw.TRANSACTION)) {
            transaction(t, i + 2, to, true);
            return;
        }
        if (t.is(i, Kw.GLOBAL) && t.is(i + 1, Kw.TRANSACTION)) {
            raise(StatementKind.WRITE, "SET GLOBAL changes the server");
            return;
        }
        int itemStart = i;
        int depth = t.depth(i);
        for (int j = i; j <= to; j++) {
            if (j == to || (t.is(j, TokenType.COMMA) && t.depth(j) == depth)) {
                item(t, itemStart, j);
                itemStart = j + 1;
            }
        }
    }

    private void item(Tokens t, int from, int to) {
        if (from >= to) {
            raise(StatementKind.UNKNOWN, "empty item in a SET list");
            return;
        }
        int i = from;
        String name;
        if (t.is(i, Kw.GLOBAL) || t.is(i, Kw.PERSIST) || t.is(i, Kw.PERSIST_ONLY)) {
            raise(StatementKind.WRITE, "SET GLOBAL changes the server");
            return;
        }
        if (t.is(i, TokenType.USER_VAR)) {
            raise(StatementKind.PRIMARY_ONLY, "assigns a user variable, which lives on the primary");
            effects.pins.add(Pin.of(PinKind.USER_VARIABLE, t.text(i)));
            return;
        }
        if (t.is(i, Kw.NAMES) || t.is(i, Kw.CHARSET) || (t.is(i, Kw.CHARACTER) && t.is(i + 1, Kw.SET))) {
            effects.variables.put("names", "SET " + t.text(from, to));
            return;
        }
        if (t.is(i, TokenType.SYS_VAR)) {
            String raw = t.text(i).toLowerCase(Locale.ROOT);
            if (raw.startsWith("@@global.") || raw.startsWith("@@persist.") || raw.startsWith("@@persist_only.")) {
                raise(StatementKind.WRITE, "SET GLOBAL changes the server");
                return;
            }
            name = systemVariableName(raw);
        } else {
            if (t.is(i, Kw.SESSION) || t.is(i, Kw.LOCAL)) {
                i++;
            }
            if (!(t.is(i, TokenType.WORD) || t.is(i, TokenType.QUOTED_ID))) {
                raise(StatementKind.UNKNOWN, "unrecognised SET item: " + t.text(from, to));
                return;
            }
            name = t.identifier(i).toLowerCase(Locale.ROOT);
            // structured variables (keycache.key_buffer_size) are global
            if (t.is(i + 1, TokenType.DOT)) {
                raise(StatementKind.WRITE, "SET of a structured (global) variable");
                return;
            }
        }
        int eq = i + 1;
        if (!(t.is(eq, TokenType.EQ) || t.is(eq, TokenType.ASSIGN)) || eq + 1 >= to) {
            raise(StatementKind.UNKNOWN, "unrecognised SET item: " + t.text(from, to));
            return;
        }
        for (int v = eq + 1; v < to; v++) {
            if (t.is(v, TokenType.USER_VAR) || t.is(v, Kw.SELECT)) {
                // the value only exists on the primary: it cannot be re-applied elsewhere
                raise(StatementKind.PRIMARY_ONLY, "sets " + name + " from a user variable or query on the primary");
                effects.pins.add(Pin.any(PinKind.USER_VARIABLE));
                return;
            }
        }
        String value = t.text(eq + 1, to);
        switch (name) {
            case "autocommit" -> effects.autocommit = autocommitValue(t, eq + 1, to);
            case "sql_log_bin" -> raise(StatementKind.PRIMARY_ONLY, "sql_log_bin only matters where writes happen");
            case "tx_isolation", "transaction_isolation" ->
                    effects.variables.put("transaction_isolation", "SET SESSION " + name + " = " + value);
            case "tx_read_only", "transaction_read_only" ->
                    effects.variables.put("transaction_read_only", "SET SESSION " + name + " = " + value);
            default -> effects.variables.put(name, "SET SESSION " + name + " = " + value);
        }
    }

    /**
     * Reads the autocommit value. Anything not recognisably "on" counts as off: believing
     * autocommit is on while the server has it off would send reads of an open transaction to a
     * replica.
     */
    private static Boolean autocommitValue(Tokens t, int from, int to) {
        if (to - from == 1) {
            String v = t.stringValue(from).toLowerCase(Locale.ROOT);
            if (v.equals("1") || v.equals("on") || v.equals("true") || v.equals("default")) {
                return Boolean.TRUE;
            }
        }
        return Boolean.FALSE;
    }

    /**
     * MariaDB's {@code SET STATEMENT var = value, ... FOR statement}: the settings last for that
     * one statement, so nothing is tracked and the inner statement decides the route.
     */
    private void statement(Tokens t, int i, int to) {
        for (int j = i + 1; j < to; j++) {
            if (t.is(j, Kw.FOR) && t.depth(j) == t.depth(i)) {
                Classification inner = FastPath.classify(t, j + 1, to);
                if (inner == null) {
                    raise(StatementKind.UNKNOWN, "SET STATEMENT ... FOR a statement the fast path cannot read");
                } else {
                    kind = inner.kind();
                    reason = inner.reason() + " (SET STATEMENT ... FOR)";
                    effects.pins.addAll(inner.effects().pins());
                    effects.releases.addAll(inner.effects().releases());
                    effects.transaction = inner.effects().transaction();
                }
                return;
            }
        }
        raise(StatementKind.UNKNOWN, "SET STATEMENT without FOR");
    }

    /** {@code SET [SESSION] TRANSACTION characteristic, ...}: {@code session} false means the next transaction only. */
    private void transaction(Tokens t, int i, int to, boolean session) {
        String text = t.text(i, to);
        for (int j = i; j < to; j++) {
            if (t.is(j, Kw.READ) && t.is(j + 1, Kw.ONLY)) {
                if (session) {
                    effects.variables.put("transaction_read_only", "SET SESSION TRANSACTION READ ONLY");
                } else {
                    effects.nextTransactionReadOnly = Boolean.TRUE;
                }
            } else if (t.is(j, Kw.READ) && t.is(j + 1, Kw.WRITE)) {
                if (session) {
                    effects.variables.put("transaction_read_only", "SET SESSION TRANSACTION READ WRITE");
                } else {
                    effects.nextTransactionReadOnly = Boolean.FALSE;
                }
            } else if (t.is(j, Kw.ISOLATION) && t.is(j + 1, Kw.LEVEL)) {
                int end = j + 2;
                while (end < to && !t.is(end, TokenType.COMMA)) {
                    end++;
                }
                String level = t.text(j + 2, end).toUpperCase(Locale.ROOT);
                if (session) {
                    effects.variables.put("transaction_isolation", "SET SESSION TRANSACTION ISOLATION LEVEL " + level);
                } else {
                    effects.variables.put("next_transaction_isolation", "SET TRANSACTION ISOLATION LEVEL " + level);
                }
            }
        }
        if (text.isEmpty()) {
            raise(StatementKind.UNKNOWN, "incomplete SET TRANSACTION");
        } else {
            reason = session ? "session transaction characteristics, applied on every backend"
                    : "characteristics of the next transaction";
        }
    }

    /** {@code @@session.sql_mode} → {@code sql_mode}; {@code @@`x`} → {@code x}. */
    static String systemVariableName(String text) {
        String n = text.toLowerCase(Locale.ROOT);
        n = n.startsWith("@@") ? n.substring(2) : n;
        for (String scope : SCOPES) {
            if (n.startsWith(scope)) {
                n = n.substring(scope.length());
                break;
            }
        }
        if (n.length() >= 2 && n.startsWith("`") && n.endsWith("`")) {
            n = n.substring(1, n.length() - 1);
        }
        return n;
    }
}
