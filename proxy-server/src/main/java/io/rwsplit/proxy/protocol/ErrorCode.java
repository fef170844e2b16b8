package io.rwsplit.proxy.protocol;

/**
 * The errors the proxy itself answers with: the server's errno and SQLSTATE for the same
 * condition where there is one, so clients and their connection pools react as they would to the
 * server (a 1040 is retried later, an 08S01 makes a pool drop the connection, a 1045 is not
 * retried). The message is the caller's: it says what happened in the proxy's terms.
 */
public enum ErrorCode {
    /** Wrong password or unknown user (ER_ACCESS_DENIED_ERROR). */
    ACCESS_DENIED(1045, "28000"),
    /** The client's address may not log in as this user (ER_HOST_NOT_PRIVILEGED). */
    HOST_NOT_ALLOWED(1130, "HY000"),
    /** The proxy's or the user's connection limit (ER_CON_COUNT_ERROR). */
    TOO_MANY_CONNECTIONS(1040, "08004"),
    /** A user's own limit (ER_TOO_MANY_USER_CONNECTIONS). */
    TOO_MANY_USER_CONNECTIONS(1203, "42000"),
    /** Every backend connection of a node is busy and none came free in time. */
    POOL_EXHAUSTED(1040, "HY000"),
    /** The handshake response could not be understood (ER_HANDSHAKE_ERROR). */
    BAD_HANDSHAKE(1043, "08S01"),
    /** A command the proxy does not relay (ER_UNKNOWN_COM_ERROR). */
    UNKNOWN_COMMAND(1047, "08S01"),
    /** A packet that does not parse (ER_MALFORMED_PACKET). */
    MALFORMED_PACKET(1835, "HY000"),
    /** Packets out of order (ER_NET_PACKETS_OUT_OF_ORDER). */
    PACKETS_OUT_OF_ORDER(1156, "08S01"),
    /** A message over the size limit (ER_NET_PACKET_TOO_LARGE). */
    PACKET_TOO_LARGE(1153, "08S01"),
    /** The client took too long to log in (ER_NET_READ_INTERRUPTED). */
    READ_TIMEOUT(1159, "08S01"),
    /** TLS is required for this connection (ER_SECURE_TRANSPORT_REQUIRED). */
    SECURE_TRANSPORT_REQUIRED(3159, "HY000"),
    /*
     * Conditions no server reports have the proxy's own numbers, 9001 and up, as other MySQL
     * proxies do: numbers in the client library's range (2000-2999, e.g. 2003 CR_CONN_HOST_ERROR,
     * 2013 CR_SERVER_LOST) are what a client reports about its own socket, and libmariadb (the C
     * client under PHP, Python and sysbench) takes an ERR packet carrying one for a malformed
     * packet (2027) and loses the message.
     */
    /** No server can run the statement: the node cannot be reached, or none has the needed role. */
    CANNOT_CONNECT(9001, "HY000"),
    /** The backend connection broke while a statement ran; it may or may not have run. */
    SERVER_LOST(9002, "HY000"),
    /** The backend connection broke inside a transaction: the server rolled it back (SQLSTATE class 40). */
    TRANSACTION_LOST(9003, "40000"),
    /** A statement for the primary waited longer than allowed for a switchover to end; it did not run. */
    SWITCHOVER_TIMEOUT(9004, "HY000"),
    /** An unknown prepared statement id (ER_UNKNOWN_STMT_HANDLER). */
    UNKNOWN_STATEMENT(1243, "HY000"),
    /** A session holds as many prepared statements as it may (ER_MAX_PREPARED_STMT_COUNT_REACHED). */
    TOO_MANY_PREPARED(1461, "42000"),
    /** COM_STMT_EXECUTE without the parameters its statement needs (ER_WRONG_ARGUMENTS). */
    WRONG_ARGUMENTS(1210, "HY000"),
    /** COM_STMT_FETCH for a statement without an open cursor (ER_STMT_HAS_NO_OPEN_CURSOR). */
    NO_OPEN_CURSOR(1421, "HY000"),
    /**
     * A statement's COM_STMT_SEND_LONG_DATA over the size limit, reported by its next execute until
     * it is reset: MySQL and MariaDB answer this with ER_UNKNOWN_ERROR.
     */
    LONG_DATA_TOO_LARGE(1105, "HY000"),
    /** KILL of a connection id that is not the client's to kill (ER_NO_SUCH_THREAD). */
    NO_SUCH_THREAD(1094, "HY000"),
    /** The proxy is shutting down (ER_SERVER_SHUTDOWN). */
    SHUTDOWN(1053, "08S01"),
    /** A statement the proxy refuses, with the reason in the message (ER_NOT_SUPPORTED_YET). */
    NOT_SUPPORTED(1235, "42000"),
    /** Anything else inside the proxy (ER_UNKNOWN_ERROR). */
    INTERNAL(1105, "HY000");

    private final int errno;
    private final String sqlState;

    ErrorCode(int errno, String sqlState) {
        this.errno = errno;
        this.sqlState = sqlState;
    }

    public int errno() {
        return errno;
    }

    public String sqlState() {
        return sqlState;
    }

    public ErrPacket packet(String message) {
        return ErrPacket.of(errno, sqlState, message);
    }

    /** The answer to a statement the router could not place, with a number a client library accepts. */
    public static ErrPacket packet(io.rwsplit.core.route.RouteError e) {
        int errno = e.errno() >= 2000 && e.errno() < 3000 ? CANNOT_CONNECT.errno : e.errno();
        return ErrPacket.of(errno, e.sqlState(), e.message());
    }
}
