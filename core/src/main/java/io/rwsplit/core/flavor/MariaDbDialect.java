package io.rwsplit.core.flavor;

import static io.rwsplit.core.flavor.SqlText.literal;
import static io.rwsplit.core.flavor.SqlText.port;

import java.util.Map;
import java.util.Objects;

/**
 * MariaDB 10.6 and later. The statements and status columns are the same across these versions
 * ({@code SHOW SLAVE STATUS} with {@code Slave_} / {@code Master_} columns; MariaDB accepts
 * {@code REPLICA} as a synonym in the statements but not in the column names), checked against a
 * MariaDB 11.4.5 sandbox.
 */
final class MariaDbDialect implements ServerDialect {

    @Override
    public Flavor flavor() {
        return Flavor.MARIADB;
    }

    @Override
    public String replicaStatusSql() {
        return "SHOW SLAVE STATUS";
    }

    @Override
    public ReplicaStatus readReplicaStatus(Map<String, String> row) {
        return StatusColumns.MARIADB.read(row, StatusColumns.MARIADB);
    }

    /**
     * {@code gtid_current_pos} rather than {@code gtid_slave_pos}, because only it includes a
     * primary's own writes. On a replica with an errant local write it overstates what was
     * replicated (see {@link MariaDbGtidPosition}); such a replica's applier stops under
     * {@code gtid_strict_mode}, which {@link #readReplicaStatus} reports.
     */
    @Override
    public String gtidExecutedSql() {
        return "SELECT @@GLOBAL.gtid_current_pos";
    }

    @Override
    public String waitForGtidSql() {
        return "SELECT MASTER_GTID_WAIT(?, ?)";
    }

    /** 0 when the position was reached, -1 on timeout (NULL, for a NULL position, is never passed). */
    @Override
    public boolean waitReached(long result) {
        return result == 0;
    }

    /** Session scope: the GTID of this connection's last write, empty before its first. */
    @Override
    public String lastWriteGtidSql() {
        return "SELECT @@SESSION.last_gtid";
    }

    @Override
    public String enableGtidTrackingSql() {
        return null;
    }

    @Override
    public String readOnlySql() {
        return "SELECT @@GLOBAL.read_only";
    }

    /**
     * MariaDB has no {@code super_read_only}; from 10.11 {@code read_only} refuses every account
     * without the {@code READ ONLY ADMIN} privilege (which {@code SUPER} no longer implies), so it
     * is as strong as the grants make it. The applier is not affected.
     */
    @Override
    public String setReadOnlySql(boolean readOnly) {
        return readOnly ? "SET GLOBAL read_only = ON" : "SET GLOBAL read_only = OFF";
    }

    @Override
    public String stopReplicationSql() {
        return "STOP SLAVE";
    }

    @Override
    public String stopReceiverSql() {
        return "STOP SLAVE IO_THREAD";
    }

    /**
     * {@code rpl_semi_sync_slave_kill_conn_timeout} (default 5 s): a semi-synchronous replica's
     * {@code STOP SLAVE} (also {@code IO_THREAD}) first connects to its primary to end the dump
     * thread there, and with the primary frozen the statement waits this long (recorded on 11.4.5:
     * about 5.5 s at the default, 1.2 to 1.6 s at 1). Disabling semi-sync on the replica first does
     * not spare the wait: the receiver's connection stays semi-synchronous until it ends.
     */
    @Override
    public String semiSyncStopTimeoutSql() {
        return "SELECT @@GLOBAL.rpl_semi_sync_slave_kill_conn_timeout";
    }

    @Override
    public String setSemiSyncStopTimeoutSql(long seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("a negative stop timeout: " + seconds + " s");
        }
        return "SET GLOBAL rpl_semi_sync_slave_kill_conn_timeout = " + seconds;
    }

    /**
     * Leaves {@code gtid_slave_pos} alone, on purpose: on a promoted node {@code gtid_current_pos}
     * takes each domain it has not written in yet from {@code gtid_slave_pos}, so clearing it would
     * make those domains vanish from its position (recorded on 11.4.5: a domain whose last binlog
     * GTID carries another server id is absent from {@code gtid_current_pos} when
     * {@code gtid_slave_pos} is empty).
     */
    @Override
    public String resetReplicationSql() {
        return "RESET SLAVE ALL";
    }

    @Override
    public String semiSyncReplicaSql() {
        return "SELECT @@GLOBAL.rpl_semi_sync_slave_enabled";
    }

    @Override
    public String enableSemiSyncPrimarySql() {
        return "SET GLOBAL rpl_semi_sync_master_enabled = ON";
    }

    @Override
    public String semiSyncPrimarySql() {
        return "SELECT @@GLOBAL.rpl_semi_sync_master_enabled";
    }

    @Override
    public String disableSemiSyncPrimarySql() {
        return "SET GLOBAL rpl_semi_sync_master_enabled = OFF";
    }

    /**
     * A node that was a primary has its own writes in {@code gtid_current_pos} but not in
     * {@code gtid_slave_pos} (empty, or where it stood when it last replicated), and
     * {@code MASTER_USE_GTID=slave_pos} would ask the new primary for transactions it already has,
     * which {@code gtid_strict_mode} refuses as duplicates.
     */
    @Override
    public String adoptOwnPositionSql() {
        return "SET GLOBAL gtid_slave_pos = @@GLOBAL.gtid_current_pos";
    }

    @Override
    public String transactionsSql() {
        return "SELECT @@GLOBAL.gtid_binlog_state";
    }

    /**
     * {@code MASTER_USE_GTID=slave_pos}: start from the last transaction replicated, so a replica's
     * own (errant) binlog writes are not taken as its position.
     */
    @Override
    public String pointToPrimarySql(String host, int port, String user, String password) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        return "CHANGE MASTER TO MASTER_HOST=" + literal(host) + ", MASTER_PORT=" + port(port)
                + ", MASTER_USER=" + literal(user) + ", MASTER_PASSWORD=" + literal(password)
                + ", MASTER_USE_GTID=slave_pos";
    }

    /** The unnamed options (account, TLS, connect retry, heartbeat period) keep their values. */
    @Override
    public String pointToPrimarySql(String host, int port) {
        Objects.requireNonNull(host, "host");
        return "CHANGE MASTER TO MASTER_HOST=" + literal(host) + ", MASTER_PORT=" + port(port)
                + ", MASTER_USE_GTID=slave_pos";
    }

    @Override
    public String startReplicationSql() {
        return "START SLAVE";
    }

    @Override
    public String toString() {
        return "MariaDbDialect";
    }
}
