package io.rwsplit.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rwsplit.core.config.PoolConfig;
import io.rwsplit.core.topology.NodeId;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The pool of physical Connector/J connections to one node (HikariCP), and the SQL-level state the
 * driver has set on each of them.
 */
final class NodePool implements AutoCloseable {

    private final NodeId node;
    private final HikariDataSource pool;
    private final Map<Connection, PhysicalState> states = Collections.synchronizedMap(new WeakHashMap<>());

    NodePool(NodeId node, String database, Map<String, String> connectorOptions, String user, String password,
            PoolConfig config, boolean trackGtids) {
        this.node = node;
        HikariConfig h = new HikariConfig();
        h.setPoolName("rwsplit-" + node.name());
        h.setJdbcUrl("jdbc:mysql://" + hostPart(node) + "/" + (database == null ? "" : database));
        h.setUsername(user);
        h.setPassword(password);
        h.setMaximumPoolSize(config.maxSize());
        h.setMinimumIdle(config.minIdle());
        h.setConnectionTimeout(Math.max(250, config.acquireTimeout().toMillis()));
        h.setIdleTimeout(Math.max(10_000, config.idleTimeout().toMillis()));
        h.setMaxLifetime(Math.max(30_000, config.maxLifetime().toMillis()));
        // a node that is down when the application starts must not stop the application starting
        h.setInitializationFailTimeout(-1);
        // the driver's defaults; the application's options below win
        h.addDataSourceProperty("useLocalSessionState", "true");
        h.addDataSourceProperty("cachePrepStmts", "true");
        h.addDataSourceProperty("prepStmtCacheSize", "250");
        h.addDataSourceProperty("prepStmtCacheSqlLimit", "2048");
        h.addDataSourceProperty("connectionAttributes", "program_name:rwsplit-jdbc");
        if (trackGtids) {
            // causal reads learn a MySQL write's GTID from the OK packet's session state
            h.addDataSourceProperty("trackSessionState", "true");
        }
        connectorOptions.forEach((k, v) -> {
            if (!k.equals("user") && !k.equals("password")) {
                h.addDataSourceProperty(k, v);
            }
        });
        this.pool = new HikariDataSource(h);
    }

    private static String hostPart(NodeId node) {
        return node.host().contains(":") ? "[" + node.host() + "]:" + node.port() : node.address();
    }

    NodeId node() {
        return node;
    }

    Lease borrow() throws SQLException {
        Connection c;
        try {
            c = pool.getConnection();
        } catch (SQLTransientConnectionException e) {
            if (e.getCause() instanceof SQLException unreachable) {
                // the pool could not open a connection: the server is down or refusing
                throw new SQLTransientConnectionException("cannot connect to " + node + " (" + node.address() + "): "
                        + Errors.firstLine(unreachable.getMessage()), "08001", Errors.UNAVAILABLE, e);
            }
            // every connection is busy: the server is fine, the pool is too small for the load
            throw new java.sql.SQLTransientException("all " + pool.getMaximumPoolSize() + " connections to " + node
                    + " are busy and none came free within the pool's acquireTimeout ("
                    + pool.getConnectionTimeout() + " ms); raise rwsplit.pool.maxSize or lower the load", "HY000",
                    Errors.POOL_EXHAUSTED, e);
        }
        Connection physical = c.unwrap(Connection.class);
        PhysicalState state = states.computeIfAbsent(physical, k -> new PhysicalState());
        return new Lease(node, this, c, state);
    }

    /** Closes a borrowed connection for good; the pool opens a fresh one when it needs one. */
    void evict(Connection borrowed) {
        pool.evictConnection(borrowed);
    }

    /**
     * Whether the server accepts a TCP connection right now (a quarter second at most): tells a
     * dead server from one lost connection.
     */
    boolean reachable() {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(node.host(), node.port()), 250);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Connections in use and idle, for tests and metrics. */
    int active() {
        return pool.getHikariPoolMXBean() == null ? 0 : pool.getHikariPoolMXBean().getActiveConnections();
    }

    int total() {
        return pool.getHikariPoolMXBean() == null ? 0 : pool.getHikariPoolMXBean().getTotalConnections();
    }

    @Override
    public void close() {
        pool.close();
    }
}
