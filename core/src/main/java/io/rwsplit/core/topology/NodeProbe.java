package io.rwsplit.core.topology;

import io.rwsplit.core.flavor.GtidSet;
import io.rwsplit.core.flavor.ReplicaStatus;
import io.rwsplit.core.flavor.ServerDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Probes one node over one long-lived connection: version (once per connection), read_only,
 * replica status, executed GTIDs, and the optional heartbeat. Any error closes the connection, so
 * the next probe starts from a fresh one. Used by one monitor thread at a time.
 */
final class NodeProbe implements AutoCloseable {

    private final NodeId node;
    private final ProbeConnector connector;
    private final Heartbeat heartbeat;
    // volatile, with retired: a probe still connecting on its thread when a reload removes the node
    // either sees retired after storing its connection, or retire() sees the connection to close
    private volatile Connection connection;
    private volatile boolean retired;
    private ServerDialect dialect;

    NodeProbe(NodeId node, ProbeConnector connector, Heartbeat heartbeat) {
        this.node = node;
        this.connector = connector;
        this.heartbeat = heartbeat;
    }

    ProbeResult probe() {
        try {
            if (connection == null || connection.isClosed()) {
                connection = connector.connect(node);
                if (retired) {
                    close();
                    return ProbeResult.failed(node, "removed from the configuration");
                }
                dialect = ServerDialect.of(queryString("SELECT VERSION()"));
            }
            boolean readOnly = "1".equals(queryString(dialect.readOnlySql()));
            ReplicaStatus replica = dialect.readReplicaStatus(firstRow(dialect.replicaStatusSql()));
            String executedText = queryString(dialect.gtidExecutedSql());
            GtidSet executed = GtidSet.parse(dialect.flavor(), executedText == null ? "" : executedText);
            Duration heartbeatLag = null;
            if (heartbeat != null) {
                if (!readOnly && !replica.replicating()) {
                    heartbeat.beat(connection);
                } else if (replica.running()) {
                    heartbeatLag = heartbeat.lag(connection);
                }
            }
            return new ProbeResult(node, true, null, dialect.flavor(), readOnly, replica, executed, heartbeatLag);
        } catch (SQLException | RuntimeException e) {
            close();
            return ProbeResult.failed(node, describe(e));
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : m;
    }

    private String queryString(String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private Map<String, String> firstRow(String sql) throws SQLException {
        Map<String, String> row = new LinkedHashMap<>();
        try (PreparedStatement s = connection.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            if (rs.next()) {
                ResultSetMetaData md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getString(i));
                }
            }
        }
        return row;
    }

    /** The node left the configuration: close now, and close whatever a probe still running opens. */
    void retire() {
        retired = true;
        close();
    }

    @Override
    public void close() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the connection is being thrown away because it failed
            }
        }
    }
}
