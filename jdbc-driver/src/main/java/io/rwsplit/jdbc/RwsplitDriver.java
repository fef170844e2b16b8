package io.rwsplit.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * {@code jdbc:rwsplit:mysql://primary,replica1,replica2/db}: Connector/J underneath, reads on the
 * replicas. Connections to the same URL and credentials share one {@link ClusterRuntime} (monitor,
 * pools, classifier), made on the first connection and kept while the JVM runs.
 */
public final class RwsplitDriver implements Driver {

    static {
        try {
            // JDBC's DriverManager only knows drivers that register themselves when their class loads
            DriverManager.registerDriver(new RwsplitDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Runtimes runtimes = new Runtimes();

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        JdbcUrl parsed = JdbcUrl.parse(url, info);
        return new LogicalConnection(runtimes.get(parsed));
    }

    @Override
    public boolean acceptsURL(String url) {
        return JdbcUrl.accepts(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[] {
            info("rwsplit.balance", "round-robin", "how reads are spread: round-robin, weighted, random, "
                    + "least-connections, least-response-time, observed, p2c, hash"),
            info("rwsplit.maxLag", "10s", "a replica lagging more is not read from"),
            info("rwsplit.readYourWrites", "none", "none, window or causal"),
            info("rwsplit.failover", "follow", "off, follow or promote"),
            info("rwsplit.config", "", "a YAML file with the same settings"),
            info("rwsplit.pool.maxSize", "10", "physical connections per node"),
        };
    }

    private static DriverPropertyInfo info(String name, String value, String description) {
        DriverPropertyInfo p = new DriverPropertyInfo(name, value);
        p.description = description;
        return p;
    }

    @Override
    public int getMajorVersion() {
        return 0;
    }

    @Override
    public int getMinorVersion() {
        return 1;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("rwsplit logs through SLF4J");
    }
}
