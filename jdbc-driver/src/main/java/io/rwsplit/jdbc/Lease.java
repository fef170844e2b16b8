package io.rwsplit.jdbc;

import io.rwsplit.core.topology.NodeId;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A physical connection a logical connection has borrowed from a node's pool. It goes back to the
 * pool when no open statement uses it and nothing holds it (an open transaction, a pin, metadata,
 * a FOUND_ROWS() that may follow), which is what lets many logical connections share few
 * physical ones. It goes back clean: an unfinished transaction is rolled back first, and a
 * connection whose state cannot be cleaned is evicted instead of reused.
 */
final class Lease {

    final NodeId node;
    private final NodePool pool;
    final Connection connection;
    final PhysicalState state;
    /** Open physical statements on this connection. */
    int statements;
    /** Held by the session: its transaction or pinned state lives on this connection. */
    boolean held;
    /** Kept for the statement after the last one (FOUND_ROWS(), ROW_COUNT(), SHOW WARNINGS). */
    boolean lastUsed;
    /** Kept for metadata or an unwrap until the application's pool takes the connection back. */
    boolean pinnedUntilReturned;
    /** Statements of a transaction not yet committed or rolled back ran here. */
    boolean inTransaction;
    /** A one-transaction setting (SET TRANSACTION ...) was made here and no transaction used it yet. */
    boolean pendingNextTransaction;
    String schema;
    boolean broken;

    Lease(NodeId node, NodePool pool, Connection connection, PhysicalState state) throws SQLException {
        this.node = node;
        this.pool = pool;
        this.connection = connection;
        this.state = state;
        this.schema = connection.getCatalog();
    }

    boolean idle() {
        return statements == 0 && !held && !lastUsed && !pinnedUntilReturned;
    }

    /** Gives the connection back to its pool, cleaned; a broken or uncleanable one is evicted. */
    void release() {
        if (!broken && inTransaction) {
            try (Statement s = connection.createStatement()) {
                s.execute("ROLLBACK");
            } catch (SQLException e) {
                broken = true;
            }
        }
        if (pendingNextTransaction) {
            broken = true;
        }
        if (broken) {
            // evicted through the pool: a connection closed behind its back would be handed out again
            pool.evict(connection);
            return;
        }
        try {
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
