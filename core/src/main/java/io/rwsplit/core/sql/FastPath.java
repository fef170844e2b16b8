package io.rwsplit.core.sql;

import java.util.Locale;

/**
 * Classifies one statement from its tokens when its first keyword settles the shape: reads are
 * then scanned for what keeps them on the primary ({@link ReadScan}), {@code SET} lists item by
 * item ({@link SetScan}), and everything that writes is named by its keyword. Returns
 * {@code null} for what it does not model (CTEs, unknown keywords, parenthesised non-queries),
 * which the parser then decides.
 */
final class FastPath {

    private FastPath() {
    }

    static Classification classify(Tokens t, int from, int to) {
        if (from >= to) {
            return Classification.fast(StatementKind.UNKNOWN, "empty statement");
        }
        int i = from;
        while (t.is(i, TokenType.LPAREN)) {
            i++;
        }
        if (i > from) {
            if (t.is(i, Kw.SELECT) || t.is(i, Kw.VALUES) || t.is(i, Kw.TABLE)) {
                return ReadScan.scan(t, from, to, "read");
            }
            return null;
        }
        if (t.is(i, TokenType.OTHER) && t.sql.charAt(t.start(i)) == '{') {
            return escape(t, i);
        }
        Kw kw = Keywords.at(t, i);
        if (kw == null) {
            return null;
        }
        return switch (kw) {
            case SELECT -> ReadScan.scan(t, i, to, "read");
            case TABLE, VALUES -> ReadScan.scan(t, i, to, "read (" + kw.text + " statement)");
            case HELP -> Classification.fast(StatementKind.READ, "read (HELP)");
            case SHOW -> show(t, i, to);
            case EXPLAIN, DESCRIBE, DESC -> explain(t, i, to);
            case INSERT, UPDATE, DELETE, REPLACE -> write(kw.text);
            case LOAD -> write("LOAD");
            case CALL -> Classification.fast(StatementKind.WRITE, "stored procedure call (may write)");
            case DO -> ReadScan.scan(t, i, to, StatementKind.PRIMARY_ONLY, "DO evaluates on the primary");
            case CREATE -> create(t, i, to);
            case DROP -> drop(t, i, to);
            case ALTER, RENAME, TRUNCATE -> ddl(kw.text);
            case GRANT, REVOKE -> ddl(kw.text);
            case ANALYZE -> analyze(t, i, to);
            case FLUSH -> flush(t, i, to);
            case OPTIMIZE, REPAIR, CHECK, CHECKSUM, KILL, RESET, PURGE, INSTALL, UNINSTALL, CHANGE, BINLOG, SHUTDOWN,
                    RESTART, CLONE, IMPORT, BACKUP, SIGNAL, RESIGNAL, CACHE, STOP ->
                    Classification.fast(StatementKind.WRITE, "administrative statement (" + kw.text + ")");
            case LOCK -> lock(t, i);
            case UNLOCK -> unlock(t, i);
            case PREPARE -> prepare(t, i);
            case EXECUTE -> Classification.fast(StatementKind.WRITE, "text EXECUTE runs a statement prepared on the primary");
            case DEALLOCATE -> deallocate(t, i, i + 1);
            case HANDLER -> handler(t, i, to);
            case BEGIN -> t.is(i + 1, Kw.NOT)
                    ? Classification.fast(StatementKind.WRITE, "compound statement (BEGIN NOT ATOMIC)")
                    : begin(false, "begin");
            case START -> start(t, i, to);
            case COMMIT -> end(t, i, to, "commit");
            case ROLLBACK -> rollback(t, i, to);
            case SAVEPOINT -> Classification.fast(StatementKind.PRIMARY_ONLY, "savepoint of the transaction");
            case RELEASE -> Classification.fast(StatementKind.PRIMARY_ONLY, "releases a savepoint of the transaction");
            case XA -> xa(t, i);
            case SET -> SetScan.scan(t, i, to);
            case USE -> use(t, i, to);
            case GET -> Classification.fast(StatementKind.PREVIOUS, "reads the previous statement's diagnostics");
            default -> null;
        };
    }

    /** JDBC's call escape, {@code {call p(?)}} or {@code {? = call f(?)}}: a stored routine may write. */
    private static Classification escape(Tokens t, int i) {
        for (int j = i + 1; j < Math.min(t.count, i + 4); j++) {
            if (t.is(j, Kw.CALL)) {
                return Classification.fast(StatementKind.WRITE, "stored procedure call (may write)");
            }
        }
        return null;
    }

    private static Classification write(String keyword) {
        return Classification.fast(StatementKind.WRITE, "write (" + keyword + ")");
    }

    private static Classification ddl(String keyword) {
        SessionEffects.Builder b = SessionEffects.builder();
        b.implicitCommit = true;
        return Classification.fast(StatementKind.WRITE, "DDL (" + keyword + ")").with(b.build());
    }

    private static Classification show(Tokens t, int i, int to) {
        int j = i + 1;
        if (t.is(j, Kw.WARNINGS) || t.is(j, Kw.ERRORS)
                || (t.is(j, Kw.COUNT) && (t.is(j + 4, Kw.WARNINGS) || t.is(j + 4, Kw.ERRORS)))) {
            return Classification.fast(StatementKind.PREVIOUS, "reads the previous statement's warnings");
        }
        if (t.is(j, Kw.FULL)) {
            j++;
        }
        if (t.is(j, Kw.MASTER) || t.is(j, Kw.BINARY) || t.is(j, Kw.BINLOG) || t.is(j, Kw.PROCESSLIST)
                || t.is(j, Kw.REPLICAS) || (t.is(j, Kw.SLAVE) && t.is(j + 1, Kw.HOSTS))) {
            return Classification.fast(StatementKind.PRIMARY_READ,
                    "SHOW " + t.text(j).toUpperCase(Locale.ROOT) + " describes the primary");
        }
        return Classification.fast(StatementKind.READ, "read (SHOW)");
    }

    private static Classification explain(Tokens t, int i, int to) {
        int j = i + 1;
        boolean analyze = false;
        for (;;) {
            if (t.is(j, Kw.ANALYZE)) {
                analyze = true;
                j++;
            } else if (t.is(j, Kw.FORMAT) && t.is(j + 1, TokenType.EQ)) {
                j += 3;
            } else if (t.is(j, TokenType.WORD) && (t.text(j).equalsIgnoreCase("EXTENDED")
                    || t.text(j).equalsIgnoreCase("PARTITIONS"))) {
                j++;
            } else {
                break;
            }
        }
        if (t.is(j, Kw.FOR) && t.is(j + 1, Kw.CONNECTION)) {
            return Classification.fast(StatementKind.PRIMARY_READ, "EXPLAIN FOR CONNECTION names a connection");
        }
        return explained(t, j, to, analyze, t.text(i).toUpperCase(Locale.ROOT));
    }

    /** The statement after EXPLAIN or MariaDB's ANALYZE: executed only with ANALYZE. */
    private static Classification explained(Tokens t, int j, int to, boolean executes, String what) {
        if (t.is(j, Kw.INSERT) || t.is(j, Kw.UPDATE) || t.is(j, Kw.DELETE) || t.is(j, Kw.REPLACE)) {
            return executes ? Classification.fast(StatementKind.WRITE, what + " ANALYZE executes the write")
                    : Classification.fast(StatementKind.READ, "read (" + what + " of a write only plans it)");
        }
        if (executes && (t.is(j, Kw.SELECT) || t.is(j, Kw.WITH) || t.is(j, TokenType.LPAREN) || t.is(j, Kw.TABLE))) {
            return ReadScan.scan(t, j, to, "read (" + what + " ANALYZE runs the query)");
        }
        return Classification.fast(StatementKind.READ, "read (" + what + ")");
    }

    private static Classification analyze(Tokens t, int i, int to) {
        int j = i + 1;
        if (t.is(j, Kw.FORMAT) && t.is(j + 1, TokenType.EQ)) {
            j += 3;
        }
        if (t.is(j, Kw.SELECT) || t.is(j, Kw.WITH) || t.is(j, TokenType.LPAREN) || t.is(j, Kw.INSERT)
                || t.is(j, Kw.UPDATE) || t.is(j, Kw.DELETE) || t.is(j, Kw.REPLACE)) {
            return explained(t, j, to, true, "ANALYZE");
        }
        return Classification.fast(StatementKind.WRITE, "administrative statement (ANALYZE TABLE)");
    }

    private static Classification flush(Tokens t, int i, int to) {
        for (int j = i + 1; j + 2 < to; j++) {
            if (t.is(j, Kw.WITH) && t.is(j + 1, Kw.READ) && t.is(j + 2, Kw.LOCK)) {
                SessionEffects.Builder b = SessionEffects.builder();
                b.pins.add(Pin.any(PinKind.TABLE_LOCK));
                return Classification.fast(StatementKind.PRIMARY_ONLY, "FLUSH TABLES WITH READ LOCK locks on the primary")
                        .with(b.build());
            }
        }
        return Classification.fast(StatementKind.WRITE, "administrative statement (FLUSH)");
    }

    private static Classification create(Tokens t, int i, int to) {
        int j = i + 1;
        if (t.is(j, Kw.OR) && t.is(j + 1, Kw.REPLACE)) {
            j += 2;
        }
        if (t.is(j, Kw.TEMPORARY) && t.is(j + 1, Kw.TABLE)) {
            int name = j + 2;
            if (t.is(name, Kw.IF) && t.is(name + 1, Kw.NOT) && t.is(name + 2, Kw.EXISTS)) {
                name += 3;
            }
            SessionEffects.Builder b = SessionEffects.builder();
            b.pins.add(Pin.of(PinKind.TEMPORARY_TABLE, tableName(t, name, to)));
            return Classification.fast(StatementKind.PRIMARY_ONLY, "creates a temporary table on the primary")
                    .with(b.build());
        }
        String what = t.is(j, TokenType.WORD) ? t.text(j).toUpperCase(Locale.ROOT) : "";
        return ddl("CREATE" + (what.isEmpty() ? "" : " " + what));
    }

    private static Classification drop(Tokens t, int i, int to) {
        int j = i + 1;
        if (t.is(j, Kw.PREPARE)) {
            return deallocate(t, i, j);
        }
        boolean temporary = t.is(j, Kw.TEMPORARY);
        if (temporary) {
            j++;
        }
        if (!t.is(j, Kw.TABLE) && !t.is(j, Kw.TABLES)) {
            return ddl("DROP");
        }
        j++;
        if (t.is(j, Kw.IF) && t.is(j + 1, Kw.EXISTS)) {
            j += 2;
        }
        SessionEffects.Builder b = SessionEffects.builder();
        // a dropped name may have been a temporary table: releasing an unknown name is harmless
        int k = j;
        while (k < to && (t.is(k, TokenType.WORD) || t.is(k, TokenType.QUOTED_ID))) {
            int last = k;
            while (last + 2 < to && t.is(last + 1, TokenType.DOT)) {
                last += 2;
            }
            b.releases.add(Pin.of(PinKind.TEMPORARY_TABLE, t.identifier(last)));
            k = last + 1;
            if (!t.is(k, TokenType.COMMA)) {
                break;
            }
            k++;
        }
        if (temporary) {
            return Classification.fast(StatementKind.PRIMARY_ONLY, "drops a temporary table on the primary")
                    .with(b.build());
        }
        b.implicitCommit = true;
        return Classification.fast(StatementKind.WRITE, "DDL (DROP TABLE)").with(b.build());
    }

    /** The last part of a possibly qualified table name ({@code db.t} → {@code t}). */
    private static String tableName(Tokens t, int i, int to) {
        int k = i;
        while (k + 2 < to && t.is(k + 1, TokenType.DOT)) {
            k += 2;
        }
        return k < to ? t.identifier(k) : Pin.ANY;
    }

    private static Classification lock(Tokens t, int i) {
        if (t.is(i + 1, Kw.TABLE) || t.is(i + 1, Kw.TABLES)) {
            SessionEffects.Builder b = SessionEffects.builder();
            b.pins.add(Pin.any(PinKind.TABLE_LOCK));
            b.implicitCommit = true;
            return Classification.fast(StatementKind.PRIMARY_ONLY, "LOCK TABLES locks on the primary").with(b.build());
        }
        return Classification.fast(StatementKind.WRITE, "administrative statement (LOCK)");
    }

    private static Classification unlock(Tokens t, int i) {
        if (t.is(i + 1, Kw.TABLE) || t.is(i + 1, Kw.TABLES)) {
            SessionEffects.Builder b = SessionEffects.builder();
            b.releases.add(Pin.any(PinKind.TABLE_LOCK));
            return Classification.fast(StatementKind.PRIMARY_ONLY, "UNLOCK TABLES releases locks held on the primary")
                    .with(b.build());
        }
        return Classification.fast(StatementKind.WRITE, "administrative statement (UNLOCK)");
    }

    private static Classification prepare(Tokens t, int i) {
        SessionEffects.Builder b = SessionEffects.builder();
        b.pins.add(t.is(i + 1, TokenType.WORD) || t.is(i + 1, TokenType.QUOTED_ID)
                ? Pin.of(PinKind.PREPARED_STATEMENT, t.identifier(i + 1)) : Pin.any(PinKind.PREPARED_STATEMENT));
        return Classification.fast(StatementKind.PRIMARY_ONLY, "text PREPARE keeps the statement on the primary")
                .with(b.build());
    }

    /** {@code DEALLOCATE PREPARE s} / {@code DROP PREPARE s}; {@code i} is the first keyword, {@code j} PREPARE. */
    private static Classification deallocate(Tokens t, int i, int j) {
        if (!t.is(j, Kw.PREPARE)) {
            return Classification.fast(StatementKind.UNKNOWN, "unrecognised " + t.text(i).toUpperCase(Locale.ROOT));
        }
        SessionEffects.Builder b = SessionEffects.builder();
        b.releases.add(t.is(j + 1, TokenType.WORD) || t.is(j + 1, TokenType.QUOTED_ID)
                ? Pin.of(PinKind.PREPARED_STATEMENT, t.identifier(j + 1)) : Pin.any(PinKind.PREPARED_STATEMENT));
        return Classification.fast(StatementKind.PRIMARY_ONLY, "deallocates a statement prepared on the primary")
                .with(b.build());
    }

    private static Classification handler(Tokens t, int i, int to) {
        int name = i + 1;
        int verb = name + 1;
        while (t.is(verb, TokenType.DOT)) {
            name = verb + 1;
            verb += 2;
        }
        SessionEffects.Builder b = SessionEffects.builder();
        if (t.is(verb, Kw.OPEN)) {
            b.pins.add(Pin.of(PinKind.HANDLER, t.identifier(name)));
            return Classification.fast(StatementKind.PRIMARY_READ, "opens a HANDLER on the primary").with(b.build());
        }
        if (t.is(verb, Kw.CLOSE)) {
            b.releases.add(Pin.of(PinKind.HANDLER, t.identifier(name)));
            return Classification.fast(StatementKind.PRIMARY_READ, "closes a HANDLER on the primary").with(b.build());
        }
        return Classification.fast(StatementKind.PRIMARY_READ, "reads through a HANDLER open on the primary");
    }

    private static Classification begin(boolean readOnly, String reason) {
        SessionEffects.Builder b = SessionEffects.builder();
        b.implicitCommit = true;
        b.transaction = readOnly ? SessionEffects.TransactionChange.BEGIN_READ_ONLY
                : SessionEffects.TransactionChange.BEGIN;
        return Classification.fast(readOnly ? StatementKind.BEGIN_READ_ONLY : StatementKind.BEGIN, reason)
                .with(b.build());
    }

    private static Classification start(Tokens t, int i, int to) {
        if (!t.is(i + 1, Kw.TRANSACTION)) {
            return Classification.fast(StatementKind.WRITE, "administrative statement (START)");
        }
        for (int j = i + 2; j + 1 < to; j++) {
            if (t.is(j, Kw.READ) && t.is(j + 1, Kw.ONLY)) {
                return begin(true, "begins a read-only transaction");
            }
            if (t.is(j, Kw.READ) && t.is(j + 1, Kw.WRITE)) {
                // read-write, whatever JDBC read-only or SET TRANSACTION READ ONLY made the default
                SessionEffects.Builder b = SessionEffects.builder();
                b.implicitCommit = true;
                b.transaction = SessionEffects.TransactionChange.BEGIN;
                b.nextTransactionReadOnly = Boolean.FALSE;
                return Classification.fast(StatementKind.BEGIN, "begin").with(b.build());
            }
        }
        return begin(false, "begin");
    }

    private static Classification end(Tokens t, int i, int to, String reason) {
        SessionEffects.Builder b = SessionEffects.builder();
        b.transaction = SessionEffects.TransactionChange.END;
        for (int j = i + 1; j + 1 < to; j++) {
            if (t.is(j, Kw.AND) && t.is(j + 1, Kw.CHAIN)) {
                b.transaction = SessionEffects.TransactionChange.CHAIN;
            }
        }
        boolean chain = b.transaction == SessionEffects.TransactionChange.CHAIN;
        return Classification.fast(StatementKind.END, chain ? reason + " and chain a new transaction" : reason)
                .with(b.build());
    }

    private static Classification rollback(Tokens t, int i, int to) {
        for (int j = i + 1; j < to; j++) {
            if (t.is(j, Kw.TO)) {
                return Classification.fast(StatementKind.PRIMARY_ONLY, "rolls back to a savepoint of the transaction");
            }
        }
        return end(t, i, to, "rollback");
    }

    private static Classification xa(Tokens t, int i) {
        if (t.is(i + 1, Kw.START) || t.is(i + 1, Kw.BEGIN)) {
            return begin(false, "begins an XA transaction");
        }
        if (t.is(i + 1, Kw.COMMIT) || t.is(i + 1, Kw.ROLLBACK)) {
            return end(t, i, i, "ends an XA transaction");
        }
        return Classification.fast(StatementKind.PRIMARY_ONLY, "XA transaction control");
    }

    private static Classification use(Tokens t, int i, int to) {
        if (i + 2 != to || !(t.is(i + 1, TokenType.WORD) || t.is(i + 1, TokenType.QUOTED_ID))) {
            return Classification.fast(StatementKind.UNKNOWN, "unrecognised USE statement");
        }
        SessionEffects.Builder b = SessionEffects.builder();
        b.schema = t.identifier(i + 1);
        return Classification.fast(StatementKind.SESSION, "changes the default schema, on every backend")
                .with(b.build());
    }
}
