package io.rwsplit.core.config;

/** What a read does when no replica is eligible. */
public enum Fallback {
    /** Run it on the primary (default). */
    PRIMARY,
    /** Fail it with an error. */
    ERROR
}
