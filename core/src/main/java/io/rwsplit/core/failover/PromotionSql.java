package io.rwsplit.core.failover;

import io.rwsplit.core.flavor.ServerDialect;
import java.util.List;

/**
 * The statements of a promotion, per step, in each server's dialect. Pure text, so both flavors
 * are tested without a server; {@link Promoter} runs them.
 */
final class PromotionSql {

    /** The failover lock's name, the same for every rwsplit instance watching a cluster. */
    static final String LOCK_NAME = "rwsplit.failover";

    /** One row, one column: 1 when this session got the lock, 0 when another session holds it. */
    static final String TAKE_LOCK = "SELECT GET_LOCK('" + LOCK_NAME + "', 0)";

    static final String RELEASE_LOCK = "SELECT RELEASE_LOCK('" + LOCK_NAME + "')";

    /**
     * The ids of the client connections to end when fencing a node: everything but this session,
     * the server's own threads, and the binlog dump threads its replicas may still be reading the
     * last transactions through.
     */
    static final String CLIENT_CONNECTIONS = "SELECT ID FROM information_schema.PROCESSLIST"
            + " WHERE ID <> CONNECTION_ID() AND COMMAND NOT IN ('Binlog Dump', 'Binlog Dump GTID', 'Daemon')"
            + " AND USER NOT IN ('system user', 'event_scheduler')";

    private PromotionSql() {
    }

    static String kill(long connectionId) {
        return "KILL CONNECTION " + connectionId;
    }

    /** Makes the old primary refuse writes (its client connections are killed next). */
    static List<String> fence(ServerDialect d) {
        return List.of(d.setReadOnlySql(true));
    }

    /**
     * Ends another replica's receiving from the old primary while the candidate is promoted, so
     * that repointing it later does not wait on a receiver stuck on a frozen primary; its applier
     * goes on with what it received.
     */
    static List<String> stopReceiving(ServerDialect d) {
        return List.of(d.stopReceiverSql());
    }

    /** Turns the candidate, its relay log applied, into a primary. */
    static List<String> promote(ServerDialect d) {
        return List.of(d.stopReplicationSql(), d.resetReplicationSql(), d.setReadOnlySql(false));
    }

    /** Makes another replica replicate from the new primary, by GTID, with the account it already has. */
    static List<String> repoint(ServerDialect d, String host, int port) {
        return List.of(d.stopReplicationSql(), d.pointToPrimarySql(host, port), d.startReplicationSql());
    }
}
