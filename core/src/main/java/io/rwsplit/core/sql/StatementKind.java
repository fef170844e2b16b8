package io.rwsplit.core.sql;

/** What a statement is, as far as routing cares. */
public enum StatementKind {
    /** Reads data only; a replica may run it. */
    READ,
    /** Reads state that lives on the primary (LAST_INSERT_ID, user variables, named locks, sequences). */
    PRIMARY_READ,
    /** SELECT ... FOR UPDATE / FOR SHARE / LOCK IN SHARE MODE. */
    LOCKING_READ,
    /** Changes data, schema, accounts or server state. */
    WRITE,
    /** Must run where nothing is written but only the primary can run it (SET @var, SAVEPOINT, SET sql_log_bin). */
    PRIMARY_ONLY,
    /** Reads the outcome of the previous statement (FOUND_ROWS, ROW_COUNT, SHOW WARNINGS). */
    PREVIOUS,
    /** Opens a read-write transaction. */
    BEGIN,
    /** Opens a read-only transaction. */
    BEGIN_READ_ONLY,
    /** Ends the transaction (COMMIT, ROLLBACK). */
    END,
    /** Changes session state every backend must share (SET NAMES, SET time_zone, USE). */
    SESSION,
    /** Could not be classified; goes to the primary. */
    UNKNOWN;

    /** Whether any node but the primary may run it, ignoring session state. */
    public boolean replicaEligible() {
        return this == READ;
    }

    /**
     * Orders kinds by how much they constrain routing, for multi-statement text (the strictest
     * part decides).
     */
    int strictness() {
        return switch (this) {
            case READ -> 0;
            case SESSION -> 1;
            case PREVIOUS -> 2;
            case BEGIN_READ_ONLY, END -> 3;
            case PRIMARY_READ, PRIMARY_ONLY -> 4;
            case LOCKING_READ -> 5;
            case BEGIN -> 6;
            case WRITE -> 7;
            case UNKNOWN -> 8;
        };
    }
}
