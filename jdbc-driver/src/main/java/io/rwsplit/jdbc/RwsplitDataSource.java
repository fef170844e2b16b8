package io.rwsplit.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} for {@code jdbc:rwsplit:mysql://...} URLs, e.g. HikariCP's
 * {@code dataSourceClassName=io.rwsplit.jdbc.RwsplitDataSource} with {@code dataSource.url},
 * {@code dataSource.user} and {@code dataSource.password}. Closing it stops its monitor and pools.
 */
public final class RwsplitDataSource implements DataSource, AutoCloseable {

    private final Runtimes runtimes = new Runtimes();
    private final Properties properties = new Properties();
    private String url;
    private int loginTimeout;
    private PrintWriter logWriter;

    public void setUrl(String url) {
        this.url = url;
    }

    public String getUrl() {
        return url;
    }

    public void setUser(String user) {
        properties.setProperty("user", user);
    }

    public String getUser() {
        return properties.getProperty("user");
    }

    public void setPassword(String password) {
        properties.setProperty("password", password);
    }

    /** Any Connector/J or {@code rwsplit.} option, as in the URL. */
    public void setProperty(String name, String value) {
        properties.setProperty(name, value);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connect(properties);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        Properties p = new Properties();
        p.putAll(properties);
        p.setProperty("user", username);
        p.setProperty("password", password);
        return connect(p);
    }

    private Connection connect(Properties p) throws SQLException {
        if (url == null) {
            throw new SQLException("RwsplitDataSource has no url: call setUrl(\"jdbc:rwsplit:mysql://...\")", "08001",
                    Errors.CLIENT_ERROR);
        }
        return new LogicalConnection(runtimes.get(JdbcUrl.parse(url, p)));
    }

    /**
     * The figures of every cluster this data source has connected to (one per URL and
     * credentials), for metrics: {@code new RwsplitMeterBinder(stats).bindTo(registry)}.
     */
    public java.util.List<ClusterStats> clusterStats() {
        return runtimes.all().stream().map(r -> r.stats).toList();
    }

    @Override
    public void close() {
        runtimes.close();
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("rwsplit logs through SLF4J");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface.getName(), "S1009", Errors.CLIENT_ERROR);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
