package io.rwsplit.sandbox.flavor;

import static io.rwsplit.sandbox.flavor.ReplicationDialect.quote;

import io.rwsplit.sandbox.Credentials;
import io.rwsplit.sandbox.ReplicationStatus;
import io.rwsplit.sandbox.Role;
import io.rwsplit.sandbox.ServerVersion;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MySQL 8.0.23+ / 8.4 / 9.x, written from the MySQL reference manual: {@code gtid_mode=ON},
 * {@code CHANGE REPLICATION SOURCE TO ... SOURCE_AUTO_POSITION=1}, the {@code semisync_source} /
 * {@code semisync_replica} plugins, and {@code RESET BINARY LOGS AND GTIDS} from 8.2 on
 * ({@code RESET MASTER} is gone in 8.4).
 */
final class MySqlDialect implements ReplicationDialect {

    private final ServerVersion version;

    MySqlDialect(ServerVersion version) {
        this.version = version;
    }

    @Override
    public Map<String, String> serverOptions(Role role, boolean semiSync, Duration semiSyncTimeout) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("log-bin", "binlog");
        o.put("relay-log", "relay");
        o.put("binlog-format", "ROW");
        o.put("gtid-mode", "ON");
        o.put("enforce-gtid-consistency", "ON");
        o.put("log-replica-updates", "ON");
        // a replica killed with -9 rebuilds its relay log from the source instead of trusting it
        o.put("relay-log-recovery", "ON");
        o.put("loose-mysqlx", "OFF");
        o.put("read-only", role == Role.REPLICA ? "ON" : "OFF");
        if (semiSync) {
            o.put("plugin-load-add", "semisync_source.so;semisync_replica.so");
            o.put("loose-rpl-semi-sync-source-enabled", "ON");
            o.put("loose-rpl-semi-sync-replica-enabled", "ON");
            o.put("loose-rpl-semi-sync-source-timeout", Long.toString(semiSyncTimeout.toMillis()));
            o.put("loose-rpl-semi-sync-source-wait-point", "AFTER_SYNC");
            o.put("loose-rpl-semi-sync-source-wait-no-replica", "OFF");
        }
        return o;
    }

    @Override
    public List<String> resetSql() {
        return List.of(version.atLeast(8, 2, 0) ? "RESET BINARY LOGS AND GTIDS" : "RESET MASTER");
    }

    @Override
    public String pointToPrimarySql(String host, int port, Credentials replication, boolean tls) {
        return "CHANGE REPLICATION SOURCE TO SOURCE_HOST=" + quote(host) + ", SOURCE_PORT=" + port
                + ", SOURCE_USER=" + quote(replication.user()) + ", SOURCE_PASSWORD=" + quote(replication.password())
                + ", SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1, SOURCE_CONNECT_RETRY=1"
                + ", SOURCE_RETRY_COUNT=86400, SOURCE_HEARTBEAT_PERIOD=1, SOURCE_SSL=" + (tls ? 1 : 0);
    }

    @Override
    public String startReplicationSql() {
        return "START REPLICA";
    }

    @Override
    public String stopReplicationSql() {
        return "STOP REPLICA";
    }

    @Override
    public String startApplierSql() {
        return "START REPLICA SQL_THREAD";
    }

    @Override
    public String delaySql(long seconds) {
        return "CHANGE REPLICATION SOURCE TO SOURCE_DELAY = " + seconds;
    }

    @Override
    public String stopApplierSql() {
        return "STOP REPLICA SQL_THREAD";
    }

    @Override
    public String replicaStatusSql() {
        return "SHOW REPLICA STATUS";
    }

    @Override
    public ReplicationStatus readStatus(Map<String, String> row) {
        if (row == null || row.isEmpty()) {
            return ReplicationStatus.NOT_A_REPLICA;
        }
        return Rows.status(row, "Replica_IO_Running", "Replica_SQL_Running", "Seconds_Behind_Source");
    }

    @Override
    public String gtidPositionSql() {
        return "SELECT @@GLOBAL.gtid_executed";
    }

    @Override
    public String waitForGtidSql() {
        return "SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?)";
    }

    @Override
    public boolean waitReached(long result) {
        return result == 0;
    }

    @Override
    public String semiSyncStatusVariable() {
        return "Rpl_semi_sync_source_status";
    }

    @Override
    public String semiSyncClientsVariable() {
        return "Rpl_semi_sync_source_clients";
    }
}
