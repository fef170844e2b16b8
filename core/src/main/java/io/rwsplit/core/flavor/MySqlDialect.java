package io.rwsplit.core.flavor;

import static io.rwsplit.core.flavor.SqlText.literal;
import static io.rwsplit.core.flavor.SqlText.port;

import java.util.Map;
import java.util.Objects;

/**
 * MySQL 8.0 and later, written from the MySQL reference manual (no MySQL server to record from
 * here). The replication statements changed names twice: 8.0.22 brought {@code SHOW REPLICA
 * STATUS}, {@code START / STOP / RESET REPLICA} and renamed the status columns; 8.0.23 brought
 * {@code CHANGE REPLICATION SOURCE TO}. 8.4 removed the old forms, so they are only used below
 * those versions.
 */
final class MySqlDialect implements ServerDialect {

    private final boolean replicaStatements;
    private final boolean changeReplicationSource;

    MySqlDialect(ServerVersion version) {
        this.replicaStatements = version.atLeast(8, 0, 22);
        this.changeReplicationSource = version.atLeast(8, 0, 23);
    }

    @Override
    public Flavor flavor() {
        return Flavor.MYSQL;
    }

    @Override
    public String replicaStatusSql() {
        return replicaStatements ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS";
    }

    @Override
    public ReplicaStatus readReplicaStatus(Map<String, String> row) {
        return replicaStatements
                ? StatusColumns.MYSQL_REPLICA.read(row, StatusColumns.MYSQL_SLAVE)
                : StatusColumns.MYSQL_SLAVE.read(row, StatusColumns.MYSQL_REPLICA);
    }

    @Override
    public String gtidExecutedSql() {
        return "SELECT @@GLOBAL.gtid_executed";
    }

    @Override
    public String waitForGtidSql() {
        return "SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?)";
    }

    /** 0 when the set was applied, 1 on timeout. */
    @Override
    public boolean waitReached(long result) {
        return result == 0;
    }

    @Override
    public String lastWriteGtidSql() {
        return null;
    }

    @Override
    public String enableGtidTrackingSql() {
        return "SET SESSION session_track_gtids = OWN_GTID";
    }

    @Override
    public String readOnlySql() {
        return "SELECT @@GLOBAL.read_only";
    }

    /**
     * On: {@code super_read_only}, which also turns {@code read_only} on, in one statement. Plain
     * {@code read_only} lets accounts with {@code SUPER} / {@code CONNECTION_ADMIN} write, and the
     * administrative accounts that failover tooling and operators use have them; one stray write on
     * a demoted primary or a replica is an errant GTID that later breaks auto-positioning against
     * it. The applier threads are not affected. The price: with it on, also DDL, user management
     * and heartbeat writes of such accounts fail on replicas.
     *
     * <p>Off: {@code read_only = OFF}, which also turns {@code super_read_only} off.
     */
    @Override
    public String setReadOnlySql(boolean readOnly) {
        return readOnly ? "SET GLOBAL super_read_only = ON" : "SET GLOBAL read_only = OFF";
    }

    @Override
    public String stopReplicationSql() {
        return replicaStatements ? "STOP REPLICA" : "STOP SLAVE";
    }

    /** {@code STOP REPLICA IO_THREAD} (8.0.22 and later), {@code STOP SLAVE IO_THREAD} before. */
    @Override
    public String stopReceiverSql() {
        return replicaStatements ? "STOP REPLICA IO_THREAD" : "STOP SLAVE IO_THREAD";
    }

    /** MySQL's semi-sync replica plugin has no setting bounding its stop. */
    @Override
    public String semiSyncStopTimeoutSql() {
        return null;
    }

    @Override
    public String setSemiSyncStopTimeoutSql(long seconds) {
        return null;
    }

    @Override
    public String resetReplicationSql() {
        return replicaStatements ? "RESET REPLICA ALL" : "RESET SLAVE ALL";
    }

    @Override
    public String semiSyncReplicaSql() {
        // the plugins are optional and were renamed in 8.0.26: ask without failing when absent
        return "SELECT IF(VARIABLE_VALUE = 'ON', 1, 0) FROM performance_schema.global_variables"
                + " WHERE VARIABLE_NAME IN ('rpl_semi_sync_replica_enabled', 'rpl_semi_sync_slave_enabled')";
    }

    @Override
    public String enableSemiSyncPrimarySql() {
        return replicaStatements ? "SET GLOBAL rpl_semi_sync_source_enabled = ON"
                : "SET GLOBAL rpl_semi_sync_master_enabled = ON";
    }

    @Override
    public String semiSyncPrimarySql() {
        return "SELECT IF(VARIABLE_VALUE = 'ON', 1, 0) FROM performance_schema.global_variables"
                + " WHERE VARIABLE_NAME IN ('rpl_semi_sync_source_enabled', 'rpl_semi_sync_master_enabled')";
    }

    @Override
    public String disableSemiSyncPrimarySql() {
        return replicaStatements ? "SET GLOBAL rpl_semi_sync_source_enabled = OFF"
                : "SET GLOBAL rpl_semi_sync_master_enabled = OFF";
    }

    /** Auto-positioning sends the replica's {@code gtid_executed}, its own writes included. */
    @Override
    public String adoptOwnPositionSql() {
        return null;
    }

    @Override
    public String transactionsSql() {
        return "SELECT @@GLOBAL.gtid_executed";
    }

    @Override
    public String pointToPrimarySql(String host, int port, String user, String password) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        String p = changeReplicationSource ? "SOURCE" : "MASTER";
        return (changeReplicationSource ? "CHANGE REPLICATION SOURCE TO " : "CHANGE MASTER TO ")
                + p + "_HOST=" + literal(host) + ", " + p + "_PORT=" + port(port)
                + ", " + p + "_USER=" + literal(user) + ", " + p + "_PASSWORD=" + literal(password)
                + ", " + p + "_AUTO_POSITION=1";
    }

    /**
     * From the reference manual of CHANGE REPLICATION SOURCE TO: options not named keep their
     * values (the account included); naming a new host or port drops the old file and position,
     * which auto-positioning does not use.
     */
    @Override
    public String pointToPrimarySql(String host, int port) {
        Objects.requireNonNull(host, "host");
        String p = changeReplicationSource ? "SOURCE" : "MASTER";
        return (changeReplicationSource ? "CHANGE REPLICATION SOURCE TO " : "CHANGE MASTER TO ")
                + p + "_HOST=" + literal(host) + ", " + p + "_PORT=" + port(port)
                + ", " + p + "_AUTO_POSITION=1";
    }

    @Override
    public String startReplicationSql() {
        return replicaStatements ? "START REPLICA" : "START SLAVE";
    }

    @Override
    public String toString() {
        return "MySqlDialect[" + replicaStatusSql() + "]";
    }
}
