package io.rwsplit.proxy.protocol;

/**
 * The errors the proxy itself answers with: the server's errno and SQLSTATE for the same
 * condition where there is one, so clients and their connection pools react as they would to the
 * server (a 1040 is retried later, an 08S01 makes a pool drop the connection, a 1045 is not
 * retried). The message is the caller's: it says what happened in the proxy's terms.
 *
 * <p>Never a client-library errno (2000-2999, CR_*): those are for errors a client finds itself, and
 * MariaDB Connector/C (the {@code mariadb} command line, sysbench, Python's mysqlclient...) refuses
 * an ERR packet carrying one, showing "2027 Received malformed packet" instead of the proxy's
 * message. Where a client library would say CR_CONN_HOST_ERROR or CR_SERVER_LOST, the proxy says
 * what a server says when the server behind it fails: the FEDERATED engine's errors.
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
    /** A node cannot be reached (ER_CONNECT_TO_FOREIGN_DATA_SOURCE). */
    CANNOT_CONNECT(1429, "HY000"),
    /** The backend connection broke while a statement ran (ER_QUERY_ON_FOREIGN_DATA_SOURCE). */
    SERVER_LOST(1430, "HY000"),
    /** The backend connection broke inside a transaction: the transaction is gone. */
    TRANSACTION_LOST(1430, "08S01"),
    /** An unknown prepared statement id (ER_UNKNOWN_STMT_HANDLER). */
    UNKNOWN_STATEMENT(1243, "HY000"),
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

    /**
     * An error decided elsewhere (the router's "no primary is available"...) as the proxy sends it:
     * a client-library errno becomes {@link #CANNOT_CONNECT}'s, the SQLSTATE and message stay.
     */
    public static ErrPacket forClient(int errno, String sqlState, String message) {
        return ErrPacket.of(isClientLibraryErrno(errno) ? CANNOT_CONNECT.errno : errno, sqlState, message);
    }

    static boolean isClientLibraryErrno(int errno) {
        return errno >= 2000 && errno < 3000;
    }
}
