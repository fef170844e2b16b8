package io.rwsplit.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A result set whose {@link #getStatement()} is the application's statement, not the physical one. */
final class LogicalResultSet extends ResultSetDelegate {

    private final Statement statement;

    LogicalResultSet(ResultSet delegate, Statement statement) {
        super(delegate);
        this.statement = statement;
    }

    @Override
    public Statement getStatement() {
        return statement;
    }

    @Override
    public void close() throws SQLException {
        boolean wasOpen = !delegate.isClosed();
        delegate.close();
        if (wasOpen && statement instanceof RoutedStatement rs) {
            rs.resultClosed(this);
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
