package io.rwsplit.core.topology;

/** What the monitor last saw a node being. */
public enum Role {
    /** Writable ({@code read_only=OFF}) and not replicating. */
    PRIMARY,
    /** Replicating from the primary. */
    REPLICA,
    /** Not yet probed, unreachable, or in a shape rwsplit does not route to. */
    UNKNOWN
}
