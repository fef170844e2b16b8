package io.rwsplit.sandbox.flavor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rwsplit.sandbox.Credentials;
import io.rwsplit.sandbox.ReplicationStatus;
import io.rwsplit.sandbox.Role;
import io.rwsplit.sandbox.SandboxException;
import io.rwsplit.sandbox.ServerVersion;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicationDialectTest {

    private static final Credentials REPL = new Credentials("repl", "it's\\secret");
    private final ReplicationDialect mariadb = ReplicationDialect.of(ServerVersion.parse("11.4.5-MariaDB"));
    private final ReplicationDialect mysql84 = ReplicationDialect.of(ServerVersion.parse("8.4.3"));
    private final ReplicationDialect mysql80 = ReplicationDialect.of(ServerVersion.parse("8.0.39"));

    @Test
    void mariadbReplicatesBySlavePosition() {
        assertThat(mariadb.pointToPrimarySql("127.0.0.1", 3307, REPL, true)).isEqualTo(
                "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=3307, MASTER_USER='repl', "
                        + "MASTER_PASSWORD='it''s\\\\secret', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1, "
                        + "MASTER_HEARTBEAT_PERIOD=1, MASTER_SSL=1, MASTER_SSL_VERIFY_SERVER_CERT=0");
        // MariaDB 11 replicas default to TLS: a primary without it must be named explicitly
        assertThat(mariadb.pointToPrimarySql("127.0.0.1", 3307, REPL, false)).endsWith(", MASTER_SSL=0");
        assertThat(mariadb.resetSql()).containsExactly("RESET MASTER", "SET GLOBAL gtid_slave_pos = ''");
        assertThat(mariadb.waitForGtidSql()).isEqualTo("SELECT MASTER_GTID_WAIT(?, ?)");
        assertThat(mariadb.stopApplierSql()).isEqualTo("STOP SLAVE SQL_THREAD");
    }

    @Test
    void mysqlReplicatesWithAutoPositioning() {
        assertThat(mysql84.pointToPrimarySql("n1", 3306, REPL, false)).isEqualTo(
                "CHANGE REPLICATION SOURCE TO SOURCE_HOST='n1', SOURCE_PORT=3306, SOURCE_USER='repl', "
                        + "SOURCE_PASSWORD='it''s\\\\secret', SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1, "
                        + "SOURCE_CONNECT_RETRY=1, SOURCE_RETRY_COUNT=86400, SOURCE_HEARTBEAT_PERIOD=1, SOURCE_SSL=0");
        assertThat(mysql84.pointToPrimarySql("n1", 3306, REPL, true)).endsWith(", SOURCE_SSL=1");
        assertThat(mysql84.waitForGtidSql()).isEqualTo("SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?)");
        assertThat(mysql84.replicaStatusSql()).isEqualTo("SHOW REPLICA STATUS");
    }

    @Test
    void resetMasterIsGoneFromMysql84() {
        assertThat(mysql84.resetSql()).containsExactly("RESET BINARY LOGS AND GTIDS");
        assertThat(mysql80.resetSql()).containsExactly("RESET MASTER");
    }

    @Test
    void serverOptionsTurnOnGtidsTheWayEachFlavorWants() {
        Map<String, String> my = mysql84.serverOptions(Role.REPLICA, false, Duration.ofSeconds(5));
        assertThat(my).containsEntry("gtid-mode", "ON").containsEntry("enforce-gtid-consistency", "ON")
                .containsEntry("read-only", "ON").containsEntry("log-replica-updates", "ON")
                .doesNotContainKey("plugin-load-add");
        Map<String, String> maria = mariadb.serverOptions(Role.PRIMARY, false, Duration.ofSeconds(5));
        assertThat(maria).containsEntry("read-only", "OFF").containsEntry("log-slave-updates", "ON")
                .doesNotContainKey("gtid-mode").doesNotContainKey("rpl-semi-sync-master-enabled");
    }

    @Test
    void semiSyncIsLosslessAndDoesNotStallWithoutReplicas() {
        assertThat(mariadb.serverOptions(Role.PRIMARY, true, Duration.ofMillis(2500)))
                .containsEntry("rpl-semi-sync-master-enabled", "ON")
                .containsEntry("rpl-semi-sync-slave-enabled", "ON")
                .containsEntry("rpl-semi-sync-master-wait-point", "AFTER_SYNC")
                .containsEntry("rpl-semi-sync-master-timeout", "2500")
                .containsEntry("rpl-semi-sync-master-wait-no-slave", "OFF");
        assertThat(mariadb.serverOptions(Role.REPLICA, true, Duration.ofMillis(2500)))
                .as("the primary side only on the primary; a promotion turns it on")
                .containsEntry("rpl-semi-sync-master-enabled", "OFF")
                .containsEntry("rpl-semi-sync-slave-enabled", "ON");
        assertThat(mysql84.serverOptions(Role.PRIMARY, true, Duration.ofMillis(2500)))
                .containsEntry("plugin-load-add", "semisync_source.so;semisync_replica.so")
                .containsEntry("loose-rpl-semi-sync-source-enabled", "ON")
                .containsEntry("loose-rpl-semi-sync-source-wait-point", "AFTER_SYNC");
        assertThat(mariadb.semiSyncClientsVariable()).isEqualTo("Rpl_semi_sync_master_clients");
        assertThat(mysql84.semiSyncClientsVariable()).isEqualTo("Rpl_semi_sync_source_clients");
    }

    @Test
    void readsRecordedMariaDbReplicaStatus() {
        // the columns that matter of SHOW SLAVE STATUS on MariaDB 11.4, applier stopped
        Map<String, String> row = new LinkedHashMap<>();
        row.put("Slave_IO_State", "Waiting for master to send event");
        row.put("Slave_IO_Running", "Yes");
        row.put("Slave_SQL_Running", "No");
        row.put("Last_SQL_Error", "");
        row.put("Last_IO_Error", "");
        row.put("Seconds_Behind_Master", null);
        assertThat(mariadb.readStatus(row)).isEqualTo(new ReplicationStatus(true, true, false, null, ""));
    }

    @Test
    void readsRecordedMySqlReplicaStatus() {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("Replica_IO_Running", "Connecting");
        row.put("Replica_SQL_Running", "Yes");
        row.put("Seconds_Behind_Source", "7");
        row.put("Last_IO_Error", "error connecting to master 'repl@n1:3306' - retry-time: 1 retries: 3");
        row.put("Last_SQL_Error", "");
        ReplicationStatus s = mysql84.readStatus(row);
        assertThat(s.ioRunning()).isFalse();
        assertThat(s.sqlRunning()).isTrue();
        assertThat(s.secondsBehind()).isEqualTo(7L);
        assertThat(s.lastError()).contains("error connecting");
        assertThat(s.healthy()).isFalse();
    }

    @Test
    void noStatusRowMeansNotAReplica() {
        assertThat(mariadb.readStatus(Map.of())).isEqualTo(ReplicationStatus.NOT_A_REPLICA);
        assertThat(mysql84.readStatus(Map.of()).configured()).isFalse();
    }

    @Test
    void tooOldServersAreRejectedWithTheReason() {
        assertThatThrownBy(() -> ReplicationDialect.of(ServerVersion.parse("8.0.21")))
                .isInstanceOf(SandboxException.class).hasMessageContaining("8.0.23");
        assertThatThrownBy(() -> ReplicationDialect.of(ServerVersion.parse("10.5.1-MariaDB")))
                .isInstanceOf(SandboxException.class).hasMessageContaining("10.6");
    }

    @Test
    void quotingEscapesQuotesBackslashesAndNul() {
        assertThat(ReplicationDialect.quote("a'b\\c\0")).isEqualTo("'a''b\\\\c\\0'");
    }
}
