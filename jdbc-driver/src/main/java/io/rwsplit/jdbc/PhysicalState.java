package io.rwsplit.jdbc;

import java.util.HashMap;
import java.util.Map;

/**
 * What the driver has set on one physical connection with SQL, across the logical sessions that
 * borrow it: the tracked settings applied, and the values they replaced, to put back when a session
 * without them borrows the connection. (Schema, autocommit and isolation set through JDBC are reset
 * by the pool itself on return.) Guarded by the connection's lease: one user at a time.
 */
final class PhysicalState {

    /** Tracked setting key to the statement that applied it. */
    final Map<String, String> applied = new HashMap<>();
    /** Server variable to the statement that puts back its value from before the driver first changed it. */
    final Map<String, String> originals = new HashMap<>();
    /** The session whose settings are applied, and the version of them. */
    Object owner;
    long ownerVersion = -1;
    /** The server's dialect, learned on first need. */
    io.rwsplit.core.flavor.ServerDialect dialect;
    /** MySQL reports the GTIDs this connection writes (session_track_gtids = OWN_GTID). */
    boolean gtidTracking;
}
