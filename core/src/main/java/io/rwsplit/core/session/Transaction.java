package io.rwsplit.core.session;

/** The transaction a session has open, as far as routing is concerned. */
public enum Transaction {
    NONE,
    /** On the primary. */
    READ_WRITE,
    /** On one replica for its whole length. */
    READ_ONLY
}
