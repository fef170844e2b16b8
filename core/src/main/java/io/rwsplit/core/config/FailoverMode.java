package io.rwsplit.core.config;

/** What a front end does when the primary fails. */
public enum FailoverMode {
    /** Nothing: writes fail until the primary is back. */
    OFF,
    /** Follow a new primary that something else promoted (seen through {@code read_only}). */
    FOLLOW,
    /** Promote the best replica itself. */
    PROMOTE
}
