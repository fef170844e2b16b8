package io.rwsplit.jdbc;

import io.rwsplit.core.sql.Classification;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A stored-procedure call: prepared on the backend its statement routes to when it is created (the
 * primary: a procedure may write) and kept there until it is closed. Each execution is recorded in
 * the session like any routed statement.
 */
final class RoutedCallableStatement extends CallableStatementDelegate {

    private final LogicalConnection connection;
    private final Lease lease;
    private final Classification classification;
    private boolean closed;

    RoutedCallableStatement(LogicalConnection connection, CallableStatement physical, Lease lease,
            Classification classification) {
        super(physical);
        this.connection = connection;
        this.lease = lease;
        this.classification = classification;
    }

    private <T> T ran(T result) {
        connection.ranOn(classification, lease);
        return result;
    }

    @Override
    public boolean execute() throws SQLException {
        return ran(delegate.execute());
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        return ran(wrap(delegate.executeQuery()));
    }

    @Override
    public int executeUpdate() throws SQLException {
        return ran(delegate.executeUpdate());
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        return ran(delegate.executeLargeUpdate());
    }

    @Override
    public int[] executeBatch() throws SQLException {
        return ran(delegate.executeBatch());
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        return ran(delegate.executeLargeBatch());
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        return wrap(delegate.getResultSet());
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        return wrap(delegate.getGeneratedKeys());
    }

    private ResultSet wrap(ResultSet rs) {
        return rs == null ? null : new LogicalResultSet(rs, this);
    }

    @Override
    public Connection getConnection() {
        return connection;
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            delegate.close();
        } finally {
            connection.closed(lease);
            connection.forget(this);
        }
    }

    void closeQuietly() {
        if (!closed) {
            closed = true;
            try {
                delegate.close();
            } catch (SQLException ignored) {
                // closing with its connection
            }
            connection.closed(lease);
        }
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
