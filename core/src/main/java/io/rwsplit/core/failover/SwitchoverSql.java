package io.rwsplit.core.failover;

import io.rwsplit.core.flavor.ServerDialect;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements of a switchover and of a rejoin that differ from a promotion's, per step, in each
 * server's dialect. Pure text, tested without a server; {@link Switchover} and
 * {@link FailoverCoordinator} run them.
 */
final class SwitchoverSql {

    private SwitchoverSql() {
    }

    /** Stops client writes on the primary being replaced (MySQL: {@code super_read_only}). */
    static List<String> demote(ServerDialect d) {
        return List.of(d.setReadOnlySql(true));
    }

    /** Undoes {@link #demote} when the switchover gives up before anything else changed. */
    static List<String> undoDemote(ServerDialect d) {
        return List.of(d.setReadOnlySql(false));
    }

    /**
     * Makes a node that was a primary (and is read-only by now) a replica of the new primary, by
     * GTID, with the replication account: it never had one configured, or lost it when it was
     * promoted. The primary side of semi-sync goes off first when it was on (see
     * {@link Promoter#keepSemiSync} on why replicas run without it).
     *
     * @param semiSyncPrimaryOn whether the node has the primary side of semi-sync on
     */
    static List<String> rejoin(ServerDialect d, String host, int port, String user, String password,
            boolean semiSyncPrimaryOn) {
        List<String> sql = new ArrayList<>(5);
        sql.add(d.setReadOnlySql(true));
        if (semiSyncPrimaryOn) {
            sql.add(d.disableSemiSyncPrimarySql());
        }
        String position = d.adoptOwnPositionSql();
        if (position != null) {
            sql.add(position);
        }
        sql.add(user == null ? d.pointToPrimarySql(host, port) : d.pointToPrimarySql(host, port, user, password));
        sql.add(d.startReplicationSql());
        return sql;
    }
}
