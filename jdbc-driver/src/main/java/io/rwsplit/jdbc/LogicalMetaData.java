package io.rwsplit.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;

/**
 * The primary's metadata, answering for the logical connection: {@link #getConnection()} is the
 * application's connection, and the URL the one it connected with.
 */
final class LogicalMetaData extends DatabaseMetaDataDelegate {

    private final LogicalConnection connection;

    LogicalMetaData(LogicalConnection connection, DatabaseMetaData delegate) {
        super(delegate);
        this.connection = connection;
    }

    @Override
    public Connection getConnection() {
        return connection;
    }

    @Override
    public String getURL() {
        return connection.runtime().url.toString();
    }

    @Override
    public String getDriverName() {
        return "rwsplit (MySQL Connector/J underneath)";
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }
}
