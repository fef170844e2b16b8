package io.rwsplit.jdbc;

import io.rwsplit.core.topology.NodeId;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A physical connection a logical connection has borrowed from a node's pool. It goes back to the
 * pool when no open statement uses it and nothing holds it (an open transaction, a pin, metadata),
 * which is what lets many logical connections share few physical ones.
 */
final class Lease {

    final NodeId node;
    final Connection connection;
    final PhysicalState state;
    /** Open physical statements on this connection. */
    int statements;
    /** Held by the session: its transaction or pinned state lives on this connection. */
    boolean held;
    /** Held for metadata or an unwrap to the driver's own types, until the logical connection closes. */
    boolean pinnedForever;
    String schema;
    boolean broken;

    Lease(NodeId node, Connection connection, PhysicalState state) throws SQLException {
        this.node = node;
        this.connection = connection;
        this.state = state;
        this.schema = connection.getCatalog();
    }

    boolean idle() {
        return statements == 0 && !held && !pinnedForever;
    }

    /** Gives the connection back to its pool; a broken one is evicted instead of reused. */
    void close() {
        try {
            if (broken) {
                connection.abort(Runnable::run);
            }
            connection.close();
        } catch (SQLException ignored) {
            // the pool evicts connections that fail to close
        }
    }

    @Override
    public String toString() {
        return "Lease(" + node + ", statements=" + statements + ", held=" + held + ")";
    }
}
