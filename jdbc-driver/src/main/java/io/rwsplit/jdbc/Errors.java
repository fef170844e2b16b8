package io.rwsplit.jdbc;

import io.rwsplit.core.route.RouteError;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/**
 * The driver's own errors, each with a MySQL error number and an SQLSTATE, in the JDBC exception
 * class a pool or framework expects ({@code 08xxx} as a connection exception).
 */
final class Errors {

    /** CR_UNKNOWN_ERROR, for the driver's own usage errors. */
    static final int CLIENT_ERROR = 2000;
    /** CR_CONN_HOST_ERROR. */
    static final int UNAVAILABLE = 2003;
    /** ER_CON_COUNT_ERROR, "Too many connections": the driver's pool for a node is exhausted. */
    static final int POOL_EXHAUSTED = 1040;
    /** CR_SERVER_LOST: the server went away during the statement. */
    static final int SERVER_LOST = 2013;

    private Errors() {
    }

    static SQLException badUrl(String url, String why) {
        // the options may hold a password: the message shows the URL without them
        String shown = url == null ? "null" : url.replaceFirst("\\?.*", "?...");
        return new SQLNonTransientConnectionException("invalid rwsplit URL " + shown + ": " + why, "08001",
                CLIENT_ERROR);
    }

    static SQLException closed(String what) {
        return new SQLNonTransientConnectionException(what + " is closed", "08003", CLIENT_ERROR);
    }

    /** A closed statement: not a connection error, so pools do not retire the connection for it. */
    static SQLException statementClosed() {
        return new SQLException("No operations allowed after statement closed.", "S1009", CLIENT_ERROR);
    }

    static SQLException route(RouteError e) {
        if (e.sqlState().startsWith("08")) {
            return new SQLTransientConnectionException(e.message(), e.sqlState(), e.errno());
        }
        return new SQLException(e.message(), e.sqlState(), e.errno());
    }

    static SQLException readOnlyConnection() {
        return new SQLException("Connection is read-only. Queries leading to data modification are not allowed.",
                "S1009", CLIENT_ERROR);
    }

    static SQLException transactionLost(String node, SQLException cause) {
        return new SQLTransientConnectionException("the connection to " + node + ", which ran this transaction, "
                + "failed (" + firstLine(cause.getMessage()) + "); the transaction is rolled back: retry it", "08S01",
                SERVER_LOST, cause);
    }

    static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl).strip();
    }

    static SQLException unsupported(String what) {
        return new java.sql.SQLFeatureNotSupportedException(what + " is not supported by rwsplit", "0A000",
                CLIENT_ERROR);
    }

    static SQLException config(RuntimeException e) {
        return new SQLNonTransientConnectionException("rwsplit configuration: " + e.getMessage(), "08001",
                CLIENT_ERROR, e);
    }

    /** Whether the error means the physical connection is gone (it must not be used again). */
    static boolean connectionLost(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("08");
    }
}
