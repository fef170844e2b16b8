package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * A cursor (Connector/J useCursorFetch) inside a transaction: running the cursor statement again
 * makes the proxy reset the cursor on the transaction's connection, and the transaction must stay
 * on that connection and commit whole.
 */
@SandboxCluster(replicas = 2)
class CursorInTransactionIT {

    private final Cluster cluster;

    CursorInTransactionIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void reExecutingACursorKeepsTheTransaction() throws SQLException {
        try (RunningProxy proxy = RunningProxy.start(cluster);
                Connection c = proxy.connect("useCursorFetch=true&useServerPrepStmts=true")) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS px_cursor_tx (id INT PRIMARY KEY, note VARCHAR(20))");
                s.execute("DELETE FROM px_cursor_tx");
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO px_cursor_tx VALUES (1, 'kept'), (2, 'kept'), (3, 'kept')");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM px_cursor_tx WHERE id >= ?")) {
                ps.setFetchSize(1);
                for (int round = 0; round < 5; round++) {
                    ps.setInt(1, 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue(); // leaves the cursor open: the next execute resets it
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO px_cursor_tx VALUES (4, 'kept')");
            }
            c.commit();
        }
        try (Connection direct = cluster.primary().connect(cluster.app()); Statement s = direct.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM px_cursor_tx")) {
            rs.next();
            assertThat(rs.getInt(1)).as("every row of the committed transaction").isEqualTo(4);
        }
    }
}
