package io.rwsplit.core.flavor;

import static io.rwsplit.core.flavor.RecordedRows.vertical;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaStatusTest {

    private static final ServerDialect MARIADB = ServerDialect.of("11.4.5-MariaDB-log");
    private static final ServerDialect MYSQL_84 = ServerDialect.of("8.4.3");
    private static final ServerDialect MYSQL_80_21 = ServerDialect.of("8.0.21");

    @Test
    void noRowIsNotAReplica() {
        // SHOW SLAVE STATUS on the 11.4.5 primary, and on a replica after RESET SLAVE ALL: no row
        assertThat(MARIADB.readReplicaStatus(Map.of())).isEqualTo(ReplicaStatus.NOT_A_REPLICA);
        assertThat(MYSQL_84.readReplicaStatus(Map.of())).isEqualTo(ReplicaStatus.NOT_A_REPLICA);
        assertThat(MYSQL_84.readReplicaStatus(null)).isEqualTo(ReplicaStatus.NOT_A_REPLICA);
        assertThat(ReplicaStatus.NOT_A_REPLICA.running()).isFalse();
        assertThat(ReplicaStatus.NOT_A_REPLICA.lag()).isNull();
    }

    @Test
    void mariaDbRunning() {
        ReplicaStatus s = MARIADB.readReplicaStatus(vertical(RecordedRows.MARIADB_RUNNING));

        assertThat(s).isEqualTo(new ReplicaStatus(true, true, true, 0L, "127.0.0.1", 33151, "",
                "1-1-1,0-7-15", null));
        assertThat(s.running()).isTrue();
        assertThat(s.lag()).isEqualTo(Duration.ZERO);
        assertThat(GtidSet.parse(Flavor.MARIADB, s.receivedGtids()).text()).isEqualTo("0-7-15,1-1-1");
    }

    @Test
    void mariaDbDelayedReplicaReportsItsLag() {
        ReplicaStatus s = MARIADB.readReplicaStatus(vertical(RecordedRows.MARIADB_DELAYED));

        assertThat(s.running()).isTrue();
        assertThat(s.secondsBehind()).isEqualTo(4L);
        assertThat(s.lag()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void mariaDbApplierStoppedHasNoLag() {
        ReplicaStatus s = MARIADB.readReplicaStatus(vertical(RecordedRows.MARIADB_SQL_STOPPED));

        assertThat(s.replicating()).isTrue();
        assertThat(s.ioRunning()).isTrue();
        assertThat(s.sqlRunning()).isFalse();
        assertThat(s.secondsBehind()).isNull();
        assertThat(s.lag()).isNull();
        assertThat(s.lastError()).isEmpty();
        assertThat(s.running()).isFalse();
    }

    @Test
    void mariaDbReceiverConnectingCountsAsNotRunning() {
        ReplicaStatus s = MARIADB.readReplicaStatus(vertical(RecordedRows.MARIADB_IO_CONNECTING));

        assertThat(s.ioRunning()).isFalse();
        assertThat(s.sqlRunning()).isTrue();
        assertThat(s.secondsBehind()).isNull();
        assertThat(s.lastError()).startsWith("error connecting to master 'repl@127.0.0.1:33151'")
                .contains("Access denied for user 'repl'");
        assertThat(s.sourceHost()).isEqualTo("127.0.0.1");
        assertThat(s.sourcePort()).isEqualTo(33151);
    }

    @Test
    void mariaDbApplierError() {
        ReplicaStatus s = MARIADB.readReplicaStatus(vertical(RecordedRows.MARIADB_SQL_ERROR));

        assertThat(s.ioRunning()).isTrue();
        assertThat(s.sqlRunning()).isFalse();
        assertThat(s.lastError()).isEqualTo("An attempt was made to binlog GTID 0-1-17 which would create an"
                + " out-of-order sequence number with existing GTID 0-2-17, and gtid strict mode is enabled");
        assertThat(s.receivedGtids()).isEqualTo("1-1-1,0-1-17");
    }

    @Test
    void mySql84Running() {
        ReplicaStatus s = MYSQL_84.readReplicaStatus(vertical(RecordedRows.MYSQL_84_RUNNING));

        assertThat(s.running()).isTrue();
        assertThat(s.secondsBehind()).isZero();
        assertThat(s.sourceHost()).isEqualTo("127.0.0.1");
        assertThat(s.sourcePort()).isEqualTo(13000);
        assertThat(s.lastError()).isEmpty();
        GtidSet executed = GtidSet.parse(Flavor.MYSQL, s.executedGtids());
        assertThat(executed.text()).isEqualTo(
                "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3,73f86016-978b-11ee-ade5-8d2a2a562feb:1-5");
        assertThat(executed.contains(GtidSet.parse(Flavor.MYSQL, s.receivedGtids()))).isTrue();
    }

    @Test
    void mySql84ApplierErrorLeavesFetchedTransactionsUnapplied() {
        ReplicaStatus s = MYSQL_84.readReplicaStatus(vertical(RecordedRows.MYSQL_84_SQL_ERROR));

        assertThat(s.ioRunning()).isTrue();
        assertThat(s.sqlRunning()).isFalse();
        assertThat(s.lag()).isNull();
        assertThat(s.lastError()).startsWith("Coordinator stopped");
        assertThat(s.sourceHost()).isEqualTo("db1.example");
        GtidSet executed = GtidSet.parse(Flavor.MYSQL, s.executedGtids());
        assertThat(executed.contains(GtidSet.parse(Flavor.MYSQL, s.receivedGtids()))).isFalse();
    }

    @Test
    void mySql80OldTerms() {
        ReplicaStatus s = MYSQL_80_21.readReplicaStatus(vertical(RecordedRows.MYSQL_80_21_IO_CONNECTING));

        assertThat(s.replicating()).isTrue();
        assertThat(s.ioRunning()).isFalse();
        assertThat(s.sqlRunning()).isTrue();
        assertThat(s.sourceHost()).isEqualTo("db1.example");
        assertThat(s.sourcePort()).isEqualTo(3306);
        assertThat(s.lastError()).startsWith("error connecting to master");
        assertThat(s.receivedGtids()).isEmpty();
        assertThat(GtidSet.parse(Flavor.MYSQL, s.receivedGtids()).isEmpty()).isTrue();
    }

    @Test
    void eitherMySqlTerminologyReads() {
        // a dialect picked from a misleading version string still reads the other terms
        assertThat(MYSQL_84.readReplicaStatus(vertical(RecordedRows.MYSQL_80_21_IO_CONNECTING)))
                .isEqualTo(MYSQL_80_21.readReplicaStatus(vertical(RecordedRows.MYSQL_80_21_IO_CONNECTING)));
        assertThat(MYSQL_80_21.readReplicaStatus(vertical(RecordedRows.MYSQL_84_RUNNING)))
                .isEqualTo(MYSQL_84.readReplicaStatus(vertical(RecordedRows.MYSQL_84_RUNNING)));
    }

    @Test
    void columnNamesMatchIgnoringCase() {
        Map<String, String> lower = new HashMap<>();
        vertical(RecordedRows.MARIADB_RUNNING).forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));

        assertThat(MARIADB.readReplicaStatus(lower))
                .isEqualTo(MARIADB.readReplicaStatus(vertical(RecordedRows.MARIADB_RUNNING)));
    }

    @Test
    void bothErrorsAreKept() {
        Map<String, String> row = vertical(RecordedRows.MYSQL_84_SQL_ERROR);
        row.put("Last_IO_Error", "error reconnecting to source 'repl@db1.example:3306'");

        assertThat(MYSQL_84.readReplicaStatus(row).lastError()).isEqualTo(
                "receiver: error reconnecting to source 'repl@db1.example:3306';"
                        + " applier: Coordinator stopped because there were error(s) in the worker(s).");
    }

    @Test
    void aNonNumericLagIsAnError() {
        Map<String, String> row = vertical(RecordedRows.MYSQL_84_RUNNING);
        row.put("Seconds_Behind_Source", "soon");

        assertThatThrownBy(() -> MYSQL_84.readReplicaStatus(row))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Seconds_Behind_Source")
                .hasMessageContaining("soon");
    }

    @Test
    void missingColumnsReadAsUnknown() {
        ReplicaStatus s = MYSQL_84.readReplicaStatus(Map.of("Replica_IO_Running", "Yes"));

        assertThat(s).isEqualTo(new ReplicaStatus(true, true, false, null, null, 0, "", null, null));
    }
}
