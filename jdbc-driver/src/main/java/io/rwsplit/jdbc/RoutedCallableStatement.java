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

    @FunctionalInterface
    private interface Execution<T> {
        T run() throws SQLException;
    }

    /** Each execution: the session must still run where the call was prepared, with its state applied. */
    private <T> T run(Execution<T> execution) throws SQLException {
        if (closed) {
            throw Errors.statementClosed();
        }
        connection.beforeRunningOn(classification, lease);
        T result;
        try {
            result = execution.run();
        } catch (SQLException e) {
            connection.ranOn(classification, lease, false);
            throw e;
        }
        connection.ranOn(classification, lease, true);
        return result;
    }

    @Override
    public boolean execute() throws SQLException {
        return run(delegate::execute);
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        return run(() -> wrap(delegate.executeQuery()));
    }

    @Override
    public int executeUpdate() throws SQLException {
        return run(delegate::executeUpdate);
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        return run(delegate::executeLargeUpdate);
    }

    @Override
    public int[] executeBatch() throws SQLException {
        return run(delegate::executeBatch);
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        return run(delegate::executeLargeBatch);
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
