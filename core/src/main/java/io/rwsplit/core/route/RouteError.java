package io.rwsplit.core.route;

/**
 * A statement that cannot be routed, with what a client gets: a MySQL error number, an SQLSTATE
 * and a message saying what happened. Connection-class states ({@code 08xxx}) tell pools the
 * session's server is gone.
 */
public record RouteError(int errno, String sqlState, String message) {

    /** CR_CONN_HOST_ERROR: the server the statement needs cannot be reached. */
    public static final int UNAVAILABLE = 2003;
    /** ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION. */
    public static final int READ_ONLY_TRANSACTION = 1792;

    public static RouteError noPrimary(String detail) {
        return new RouteError(UNAVAILABLE, "08S01", "no primary is available for this statement (" + detail + ")");
    }

    public static RouteError noReplica(String detail) {
        return new RouteError(UNAVAILABLE, "08S01",
                "no replica can serve this read and fallback is 'error' (" + detail + ")");
    }

    public static RouteError transactionNodeGone(String node) {
        return new RouteError(UNAVAILABLE, "08S01",
                "the server running this transaction (" + node + ") is no longer available; roll back and retry");
    }

    public static RouteError writeInReadOnlyTransaction() {
        return new RouteError(READ_ONLY_TRANSACTION, "25006", "Cannot execute statement in a READ ONLY transaction.");
    }
}
