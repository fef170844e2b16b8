package io.rwsplit.core.sql;

/**
 * Looks through a read statement's tokens for what keeps it off the replicas: locking clauses,
 * {@code INTO}, functions whose state lives on one server, user variables. Only tokens are looked
 * at, so {@code SELECT 'FOR UPDATE'}, {@code SELECT last_insert_id FROM t} (no call) and
 * {@code SELECT * FROM `update`} stay reads. Each finding raises the statement's kind to at least
 * its own; the strictest finding gives the reason.
 */
final class ReadScan {

    private StatementKind kind;
    private String reason;
    private final SessionEffects.Builder effects = SessionEffects.builder();

    private ReadScan(StatementKind kind, String reason) {
        this.kind = kind;
        this.reason = reason;
    }

    static Classification scan(Tokens t, int from, int to, String readReason) {
        ReadScan s = new ReadScan(StatementKind.READ, readReason);
        s.run(t, from, to);
        return Classification.fast(s.kind, s.reason).with(s.effects.build());
    }

    /** Scans a statement already known to be at least {@code kind} (e.g. DO), keeping its reason unless raised. */
    static Classification scan(Tokens t, int from, int to, StatementKind kind, String reason) {
        ReadScan s = new ReadScan(kind, reason);
        s.run(t, from, to);
        return Classification.fast(s.kind, s.reason).with(s.effects.build());
    }

    private void raise(StatementKind k, String why) {
        if (k.strictness() > kind.strictness()) {
            kind = k;
            reason = why;
        }
    }

    private void run(Tokens t, int from, int to) {
        for (int i = from; i < to; i++) {
            switch (t.type(i)) {
                case WORD -> word(t, i);
                case USER_VAR -> {
                    if (t.is(i + 1, TokenType.ASSIGN)) {
                        raise(StatementKind.PRIMARY_ONLY, "assigns a user variable, which lives on the primary");
                        effects.pins.add(Pin.of(PinKind.USER_VARIABLE, t.text(i)));
                    } else {
                        raise(StatementKind.PRIMARY_READ, "reads a user variable, which lives on the primary");
                    }
                }
                case SYS_VAR -> systemVariable(t, i);
                default -> {
                    // punctuation, literals and quoted names never change the route
                }
            }
        }
    }

    private void word(Tokens t, int i) {
        if (t.is(i, Kw.FOR) && t.is(i + 1, Kw.UPDATE)) {
            raise(StatementKind.LOCKING_READ, "locking read (FOR UPDATE)");
        } else if (t.is(i, Kw.FOR) && t.is(i + 1, Kw.SHARE)) {
            raise(StatementKind.LOCKING_READ, "locking read (FOR SHARE)");
        } else if (t.is(i, Kw.LOCK) && t.is(i + 1, Kw.IN) && t.is(i + 2, Kw.SHARE) && t.is(i + 3, Kw.MODE)) {
            raise(StatementKind.LOCKING_READ, "locking read (LOCK IN SHARE MODE)");
        } else if (t.is(i, Kw.INTO)) {
            if (t.is(i + 1, Kw.OUTFILE) || t.is(i + 1, Kw.DUMPFILE)) {
                raise(StatementKind.WRITE, "SELECT ... INTO " + t.text(i + 1).toUpperCase(java.util.Locale.ROOT)
                        + " writes a file on the server");
            } else {
                raise(StatementKind.PRIMARY_ONLY, "SELECT ... INTO assigns variables, which live on the primary");
                for (int j = i + 1; t.is(j, TokenType.USER_VAR); j += 2) {
                    effects.pins.add(Pin.of(PinKind.USER_VARIABLE, t.text(j)));
                    if (!t.is(j + 1, TokenType.COMMA)) {
                        break;
                    }
                }
            }
        } else if (t.is(i + 1, TokenType.LPAREN)) {
            call(t, i);
        } else if (t.is(i - 1, TokenType.DOT) && t.is(i, Kw.NEXTVAL)) {
            raise(StatementKind.WRITE, "takes a sequence value (.NEXTVAL), which changes the sequence");
        } else if (t.is(i - 1, TokenType.DOT) && (t.is(i, Kw.CURRVAL) || t.is(i, Kw.LASTVAL))) {
            raise(StatementKind.PRIMARY_READ, "reads this session's last sequence value");
        } else if (t.is(i, Kw.NEXT) && t.is(i + 1, Kw.VALUE) && t.is(i + 2, Kw.FOR)) {
            raise(StatementKind.WRITE, "takes a sequence value (NEXT VALUE FOR), which changes the sequence");
        } else if (t.is(i, Kw.PREVIOUS) && t.is(i + 1, Kw.VALUE) && t.is(i + 2, Kw.FOR)) {
            raise(StatementKind.PRIMARY_READ, "reads this session's last sequence value (PREVIOUS VALUE FOR)");
        }
    }

    private void call(Tokens t, int i) {
        if (t.is(i, Kw.GET_LOCK)) {
            raise(StatementKind.PRIMARY_READ, "takes a named lock (GET_LOCK), which lives on the primary");
            effects.pins.add(lockName(t, i));
        } else if (t.is(i, Kw.RELEASE_LOCK)) {
            raise(StatementKind.PRIMARY_READ, "releases a named lock (RELEASE_LOCK) held on the primary");
            effects.releases.add(lockName(t, i));
        } else if (t.is(i, Kw.RELEASE_ALL_LOCKS)) {
            raise(StatementKind.PRIMARY_READ, "releases named locks (RELEASE_ALL_LOCKS) held on the primary");
            effects.releases.add(Pin.any(PinKind.NAMED_LOCK));
        } else if (t.is(i, Kw.IS_FREE_LOCK) || t.is(i, Kw.IS_USED_LOCK)) {
            raise(StatementKind.PRIMARY_READ, "asks about a named lock, which lives on the primary");
        } else if (t.is(i, Kw.LAST_INSERT_ID)) {
            raise(StatementKind.PRIMARY_READ, "reads LAST_INSERT_ID(), which this session set on the primary");
        } else if (t.is(i, Kw.NEXTVAL) || t.is(i, Kw.SETVAL)) {
            raise(StatementKind.WRITE, "changes a sequence (" + t.text(i).toUpperCase(java.util.Locale.ROOT) + ")");
        } else if (t.is(i, Kw.LASTVAL)) {
            raise(StatementKind.PRIMARY_READ, "reads this session's last sequence value (LASTVAL)");
        } else if (t.is(i, Kw.FOUND_ROWS) || t.is(i, Kw.ROW_COUNT)) {
            raise(StatementKind.PREVIOUS, "reads the previous statement's outcome ("
                    + t.text(i).toUpperCase(java.util.Locale.ROOT) + "())");
        }
    }

    /** The lock a GET_LOCK / RELEASE_LOCK call names, when it is a string literal. */
    private static Pin lockName(Tokens t, int call) {
        int arg = call + 2;
        if (t.is(arg, TokenType.STRING) && (t.is(arg + 1, TokenType.COMMA) || t.is(arg + 1, TokenType.RPAREN))) {
            return Pin.of(PinKind.NAMED_LOCK, t.stringValue(arg));
        }
        return Pin.any(PinKind.NAMED_LOCK);
    }

    private void systemVariable(Tokens t, int i) {
        String name = SetScan.systemVariableName(t.text(i));
        switch (name) {
            case "identity", "last_insert_id", "insert_id" ->
                    raise(StatementKind.PRIMARY_READ, "reads @@" + name + ", which this session set on the primary");
            case "warning_count", "error_count" ->
                    raise(StatementKind.PREVIOUS, "reads the previous statement's @@" + name);
            default -> {
                // other system variables are tracked session state or the same everywhere
            }
        }
    }
}
