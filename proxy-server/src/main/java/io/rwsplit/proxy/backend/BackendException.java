package io.rwsplit.proxy.backend;

import io.rwsplit.proxy.protocol.ErrPacket;
import io.rwsplit.proxy.protocol.ErrorCode;

/**
 * A backend connection or one of its commands failed: the server answered with an error, or the
 * connection could not be made or broke. Carries what the client is to be told.
 */
public final class BackendException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int errno;
    private final String sqlState;
    private final boolean connectionLost;

    private BackendException(int errno, String sqlState, String message, boolean connectionLost, Throwable cause) {
        super(message, cause, false, false);
        this.errno = errno;
        this.sqlState = sqlState;
        this.connectionLost = connectionLost;
    }

    /** The server refused: its own error, to be passed on as it is. */
    public static BackendException server(int errno, String sqlState, String message) {
        return new BackendException(errno, sqlState, message, false, null);
    }

    /** The connection is gone (or never came up); nothing more can be done on it. */
    public static BackendException lost(ErrorCode code, String message, Throwable cause) {
        return new BackendException(code.errno(), code.sqlState(), message, true, cause);
    }

    public int errno() {
        return errno;
    }

    public String sqlState() {
        return sqlState;
    }

    /** Whether the connection is unusable after this (as opposed to one command refused). */
    public boolean connectionLost() {
        return connectionLost;
    }

    public ErrPacket packet() {
        return ErrPacket.of(errno, sqlState, getMessage());
    }
}
