package io.rwsplit.core.config;

/** Whether a session's reads see its own earlier writes. */
public enum ReadYourWrites {
    /** Reads may be served by a replica that has not applied the session's writes yet. */
    NONE,
    /** For a window after each write, the session reads from the primary. */
    WINDOW,
    /** After a write, reads go to a replica that has applied the write's GTID, else the primary. */
    CAUSAL
}
