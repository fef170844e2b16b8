package io.rwsplit.sandbox.flavor;

import static io.rwsplit.sandbox.flavor.ReplicationDialect.quote;

import io.rwsplit.sandbox.Credentials;
import io.rwsplit.sandbox.ReplicationStatus;
import io.rwsplit.sandbox.Role;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** MariaDB 10.6+: domain-server-sequence GTIDs, {@code MASTER_USE_GTID=slave_pos}, built-in semi-sync. */
final class MariaDbDialect implements ReplicationDialect {

    @Override
    public Map<String, String> serverOptions(Role role, boolean semiSync, Duration semiSyncTimeout) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("log-bin", "binlog");
        o.put("relay-log", "relay");
        o.put("binlog-format", "ROW");
        o.put("log-slave-updates", "ON");
        // errant transactions break replication loudly instead of diverging silently
        o.put("gtid-strict-mode", "ON");
        o.put("read-only", role == Role.REPLICA ? "ON" : "OFF");
        if (semiSync) {
            // the primary side on the primary only: a replica with it on keeps each applied transaction
            // as awaiting an acknowledgement, holding a pointer to the applier thread that never gets
            // cleared (no replica of its own); promoted, its first acknowledgement wakes those long gone
            // threads and can hang every commit (MariaDB 11.4.5). A promotion turns it on.
            o.put("rpl-semi-sync-master-enabled", role == Role.PRIMARY ? "ON" : "OFF");
            o.put("rpl-semi-sync-slave-enabled", "ON");
            o.put("rpl-semi-sync-master-timeout", Long.toString(semiSyncTimeout.toMillis()));
            // lossless: the commit becomes visible only after a replica has the event
            o.put("rpl-semi-sync-master-wait-point", "AFTER_SYNC");
            // with no replica connected (cluster start, all replicas down) do not stall every commit
            o.put("rpl-semi-sync-master-wait-no-slave", "OFF");
        }
        return o;
    }

    @Override
    public List<String> resetSql() {
        return List.of("RESET MASTER", "SET GLOBAL gtid_slave_pos = ''");
    }

    @Override
    public String pointToPrimarySql(String host, int port, Credentials replication, boolean tls) {
        // MariaDB 11 replicas ask for TLS by default: say what the primary offers either way
        return "CHANGE MASTER TO MASTER_HOST=" + quote(host) + ", MASTER_PORT=" + port
                + ", MASTER_USER=" + quote(replication.user()) + ", MASTER_PASSWORD=" + quote(replication.password())
                + ", MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1, MASTER_HEARTBEAT_PERIOD=1"
                + (tls ? ", MASTER_SSL=1, MASTER_SSL_VERIFY_SERVER_CERT=0" : ", MASTER_SSL=0");
    }

    @Override
    public String startReplicationSql() {
        return "START SLAVE";
    }

    @Override
    public String stopReplicationSql() {
        return "STOP SLAVE";
    }

    @Override
    public String startApplierSql() {
        return "START SLAVE SQL_THREAD";
    }

    @Override
    public String delaySql(long seconds) {
        return "CHANGE MASTER TO MASTER_DELAY = " + seconds;
    }

    @Override
    public String stopApplierSql() {
        return "STOP SLAVE SQL_THREAD";
    }

    @Override
    public String replicaStatusSql() {
        return "SHOW SLAVE STATUS";
    }

    @Override
    public ReplicationStatus readStatus(Map<String, String> row) {
        if (row == null || row.isEmpty()) {
            return ReplicationStatus.NOT_A_REPLICA;
        }
        return Rows.status(row, "Slave_IO_Running", "Slave_SQL_Running", "Seconds_Behind_Master");
    }

    @Override
    public String gtidPositionSql() {
        return "SELECT @@GLOBAL.gtid_binlog_pos";
    }

    @Override
    public String waitForGtidSql() {
        return "SELECT MASTER_GTID_WAIT(?, ?)";
    }

    @Override
    public boolean waitReached(long result) {
        return result == 0;
    }

    @Override
    public String semiSyncStatusVariable() {
        return "Rpl_semi_sync_master_status";
    }

    @Override
    public String semiSyncClientsVariable() {
        return "Rpl_semi_sync_master_clients";
    }
}
