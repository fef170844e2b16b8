package io.rwsplit.core.sql;

import java.util.Locale;

/**
 * The words routing looks at. Each carries the case-insensitive hash the lexer computes for every
 * word, so matching a token is an int comparison followed, rarely, by a region compare.
 */
enum Kw {
    ALTER, ANALYZE, AND, AS, BEGIN, BINLOG, CALL, CHAIN, CHANGE, CHARACTER, CHARSET, CHECK, CHECKSUM, CLOSE,
    COLLATE, COMMIT, CONNECTION, CREATE, DEALLOCATE, DELETE, DESC, DESCRIBE, DIAGNOSTICS, DO, DROP, DUMPFILE,
    ERRORS, EXECUTE, EXPLAIN, FLUSH, FOR, FORMAT, FOUND_ROWS, FROM, GET, GET_LOCK, GLOBAL, GRANT, HANDLER, HELP,
    IMPORT, IN, INSERT, INSTALL, INTO, IS_FREE_LOCK, IS_USED_LOCK, ISOLATION, KILL, LAST_INSERT_ID, LASTVAL, LEVEL,
    LOAD, LOCAL, LOCK, LOGS, MASTER, MODE, NAMES, NEXT, NEXTVAL, NO, NOT, OPEN, OPTIMIZE, OR, OUTFILE, PASSWORD,
    PERSIST, PERSIST_ONLY, PREPARE, PREVIOUS, PROCESSLIST, PURGE, READ, RECURSIVE, RELEASE, RELEASE_ALL_LOCKS,
    RELEASE_LOCK, RENAME, REPAIR, REPLACE, REPLICA, RESET, RESIGNAL, RESTART, REVOKE, ROLE, ROLLBACK, ROW_COUNT,
    SAVEPOINT, SELECT, SEQUENCE, SESSION, SET, SETVAL, SHARE, SHOW, SHUTDOWN, SIGNAL, SLAVE, SNAPSHOT, START,
    STATEMENT, STATUS, STOP, TABLE, TABLES, TEMPORARY, TO, TRANSACTION, TRUNCATE, UNINSTALL, UNLOCK, UPDATE, USE,
    VALUE, VALUES, WARNINGS, WITH, WORK, WRITE, XA, BINARY, EVENTS, FULL, COUNT, IF, EXISTS, ONLY, UNCOMMITTED,
    COMMITTED, REPEATABLE, SERIALIZABLE, CONSISTENT, DEFAULT, RESOURCE, CACHE, INDEX, BACKUP, CLONE, INSTANCE, REPLICAS, HOSTS, CURRVAL;

    final String text;
    final int hash;

    Kw() {
        this.text = name().toUpperCase(Locale.ROOT);
        this.hash = hash(text, 0, text.length());
    }

    /** The lexer's word hash: ASCII letters folded to upper case. */
    static int hash(CharSequence s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + upper(s.charAt(i));
        }
        return h;
    }

    static char upper(char c) {
        return c >= 'a' && c <= 'z' ? (char) (c - 32) : c;
    }
}
