package io.rwsplit.core.flavor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServerDialectTest {

    @ParameterizedTest
    @ValueSource(strings = {"11.4.5-MariaDB-log", "10.11.19-MariaDB-0+deb12u1", "10.6.21-MariaDB",
        "5.5.5-10.11.6-MariaDB", "12.0.2-MariaDB"})
    void mariaDbVersions(String version) {
        ServerDialect d = ServerDialect.of(Flavor.MARIADB, version);

        assertThat(d).isInstanceOf(MariaDbDialect.class);
        assertThat(d.flavor()).isEqualTo(Flavor.MARIADB);
        assertThat(ServerDialect.of(version)).isInstanceOf(MariaDbDialect.class);
    }

    @ParameterizedTest(name = "MySQL {0}")
    @CsvSource(delimiter = '|', textBlock = """
            8.0.21 | SHOW SLAVE STATUS   | STOP SLAVE   | START SLAVE   | RESET SLAVE ALL   | CHANGE MASTER TO MASTER_HOST=
            8.0.22 | SHOW REPLICA STATUS | STOP REPLICA | START REPLICA | RESET REPLICA ALL | CHANGE MASTER TO MASTER_HOST=
            8.0.23 | SHOW REPLICA STATUS | STOP REPLICA | START REPLICA | RESET REPLICA ALL | CHANGE REPLICATION SOURCE TO SOURCE_HOST=
            8.0.36 | SHOW REPLICA STATUS | STOP REPLICA | START REPLICA | RESET REPLICA ALL | CHANGE REPLICATION SOURCE TO SOURCE_HOST=
            8.4.3  | SHOW REPLICA STATUS | STOP REPLICA | START REPLICA | RESET REPLICA ALL | CHANGE REPLICATION SOURCE TO SOURCE_HOST=
            9.1.0  | SHOW REPLICA STATUS | STOP REPLICA | START REPLICA | RESET REPLICA ALL | CHANGE REPLICATION SOURCE TO SOURCE_HOST=
            """)
    void mySqlReplicationStatementsFollowTheVersion(String version, String status, String stop, String start,
            String reset, String change) {
        ServerDialect d = ServerDialect.of(Flavor.MYSQL, version);

        assertThat(d).isInstanceOf(MySqlDialect.class);
        assertThat(d.replicaStatusSql()).isEqualTo(status);
        assertThat(d.stopReplicationSql()).isEqualTo(stop);
        // the manual's STOP REPLICA [thread_types]: IO_THREAD names the receiver alone
        assertThat(d.stopReceiverSql()).isEqualTo(stop + " IO_THREAD");
        assertThat(d.startReplicationSql()).isEqualTo(start);
        assertThat(d.resetReplicationSql()).isEqualTo(reset);
        assertThat(d.pointToPrimarySql("db2", 3306, "repl", "pw")).startsWith(change);
    }

    @Test
    void mySqlVersionStringsWithSuffixes() {
        assertThat(ServerDialect.of("8.0.36-0ubuntu0.22.04.1").replicaStatusSql()).isEqualTo("SHOW REPLICA STATUS");
        assertThat(ServerDialect.of("8.0.21-log").replicaStatusSql()).isEqualTo("SHOW SLAVE STATUS");
        assertThat(ServerDialect.of("8.4.3-commercial").flavor()).isEqualTo(Flavor.MYSQL);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            MYSQL   | 5.7.44                | needs MySQL 8.0 or later
            MARIADB | 10.5.27-MariaDB       | needs MariaDB 10.6 or later
            MARIADB | 10.4.34-MariaDB-log   | needs MariaDB 10.6 or later
            MYSQL   | 11.4.5-MariaDB-log    | is MARIADB, not MYSQL
            MARIADB | 8.0.36                | is MYSQL, not MARIADB
            MYSQL   | ''                    | cannot read a server version
            MYSQL   | Server version        | cannot read a server version
            """)
    void refusesWhatItCannotServe(Flavor flavor, String version, String message) {
        assertThatThrownBy(() -> ServerDialect.of(flavor, version))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void mySqlGtidStatements() {
        ServerDialect d = ServerDialect.of("8.4.3");

        assertThat(d.gtidExecutedSql()).isEqualTo("SELECT @@GLOBAL.gtid_executed");
        assertThat(d.waitForGtidSql()).isEqualTo("SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?)");
        assertThat(d.lastWriteGtidSql()).isNull();
        assertThat(d.enableGtidTrackingSql()).isEqualTo("SET SESSION session_track_gtids = OWN_GTID");
    }

    @Test
    void mariaDbGtidStatements() {
        // each of these ran on the 11.4.5 sandbox
        ServerDialect d = ServerDialect.of("11.4.5-MariaDB-log");

        assertThat(d.replicaStatusSql()).isEqualTo("SHOW SLAVE STATUS");
        assertThat(d.gtidExecutedSql()).isEqualTo("SELECT @@GLOBAL.gtid_current_pos");
        assertThat(d.waitForGtidSql()).isEqualTo("SELECT MASTER_GTID_WAIT(?, ?)");
        assertThat(d.lastWriteGtidSql()).isEqualTo("SELECT @@SESSION.last_gtid");
        // SELECT @@session.session_track_gtids: ERROR 1193 Unknown system variable
        assertThat(d.enableGtidTrackingSql()).isNull();
    }

    @Test
    void waitResults() {
        // MySQL: 0 reached, 1 timed out
        ServerDialect mysql = ServerDialect.of("8.0.36");
        assertThat(mysql.waitReached(0)).isTrue();
        assertThat(mysql.waitReached(1)).isFalse();

        // MariaDB 11.4.5: MASTER_GTID_WAIT returned 0 for a reached position, -1 after the timeout
        ServerDialect mariadb = ServerDialect.of("11.4.5-MariaDB-log");
        assertThat(mariadb.waitReached(0)).isTrue();
        assertThat(mariadb.waitReached(-1)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(textBlock = """
            PT0.5S,      0.500
            PT2S,        2.000
            PT0.000001S, 0.001
            PT1.0001S,   1.001
            PT0.25S,     0.250
            """)
    void waitTimeoutIsDecimalSecondsRoundedUpToTheMillisecond(Duration timeout, BigDecimal seconds) {
        assertThat(ServerDialect.waitTimeout(timeout)).isEqualTo(seconds);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT0S", "PT-1S"})
    void waitTimeoutRefusesValuesTheServersReadAsForever(Duration timeout) {
        assertThatThrownBy(() -> ServerDialect.waitTimeout(timeout))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive timeout");
    }

    @Test
    void readOnly() {
        ServerDialect mysql = ServerDialect.of("8.4.3");
        assertThat(mysql.readOnlySql()).isEqualTo("SELECT @@GLOBAL.read_only");
        assertThat(mysql.setReadOnlySql(true)).isEqualTo("SET GLOBAL super_read_only = ON");
        assertThat(mysql.setReadOnlySql(false)).isEqualTo("SET GLOBAL read_only = OFF");

        // ran on 11.4.5: read_only then reads 1 / 0
        ServerDialect mariadb = ServerDialect.of("11.4.5-MariaDB-log");
        assertThat(mariadb.readOnlySql()).isEqualTo("SELECT @@GLOBAL.read_only");
        assertThat(mariadb.setReadOnlySql(true)).isEqualTo("SET GLOBAL read_only = ON");
        assertThat(mariadb.setReadOnlySql(false)).isEqualTo("SET GLOBAL read_only = OFF");
    }

    @Test
    void semiSyncStatements() {
        ServerDialect mariadb = ServerDialect.of("11.4.5-MariaDB-log");
        assertThat(mariadb.semiSyncReplicaSql()).isEqualTo("SELECT @@GLOBAL.rpl_semi_sync_slave_enabled");
        assertThat(mariadb.enableSemiSyncPrimarySql()).isEqualTo("SET GLOBAL rpl_semi_sync_master_enabled = ON");
        assertThat(ServerDialect.of("8.4.3").enableSemiSyncPrimarySql())
                .isEqualTo("SET GLOBAL rpl_semi_sync_source_enabled = ON");
        assertThat(ServerDialect.of("8.0.21").enableSemiSyncPrimarySql())
                .isEqualTo("SET GLOBAL rpl_semi_sync_master_enabled = ON");
        assertThat(ServerDialect.of("8.4.3").semiSyncReplicaSql()).contains("rpl_semi_sync_replica_enabled")
                .contains("rpl_semi_sync_slave_enabled");
    }

    @Test
    void aSemiSyncReplicasStopIsBoundedOnMariaDbOnly() {
        ServerDialect mariadb = ServerDialect.of("11.4.5-MariaDB-log");
        assertThat(mariadb.semiSyncStopTimeoutSql())
                .isEqualTo("SELECT @@GLOBAL.rpl_semi_sync_slave_kill_conn_timeout");
        assertThat(mariadb.setSemiSyncStopTimeoutSql(1)).isEqualTo("SET GLOBAL rpl_semi_sync_slave_kill_conn_timeout = 1");
        // 0 is no timeout at all, which a promotion never sets but may have to put back
        assertThat(mariadb.setSemiSyncStopTimeoutSql(0)).isEqualTo("SET GLOBAL rpl_semi_sync_slave_kill_conn_timeout = 0");
        assertThatThrownBy(() -> mariadb.setSemiSyncStopTimeoutSql(-1)).isInstanceOf(IllegalArgumentException.class);
        ServerDialect mysql = ServerDialect.of("8.4.3");
        assertThat(mysql.semiSyncStopTimeoutSql()).isNull();
        assertThat(mysql.setSemiSyncStopTimeoutSql(1)).isNull();
    }

    @Test
    void mariaDbReplicationStatements() {
        ServerDialect d = ServerDialect.of("10.11.19-MariaDB-0+deb12u1");

        assertThat(d.stopReplicationSql()).isEqualTo("STOP SLAVE");
        assertThat(d.stopReceiverSql()).isEqualTo("STOP SLAVE IO_THREAD");
        assertThat(d.resetReplicationSql()).isEqualTo("RESET SLAVE ALL");
        assertThat(d.startReplicationSql()).isEqualTo("START SLAVE");
        assertThat(d.pointToPrimarySql("db2.example", 3307, "repl", "secret")).isEqualTo(
                "CHANGE MASTER TO MASTER_HOST='db2.example', MASTER_PORT=3307, MASTER_USER='repl',"
                        + " MASTER_PASSWORD='secret', MASTER_USE_GTID=slave_pos");
    }

    @Test
    void mariaDbPointToPrimaryQuotesValues() {
        // This exact statement ran on the 11.4.5 sandbox for an account created as user q'uo\te,
        // password p'w\d"x: the replica connected (Slave_IO_Running: Yes, Master_User: q'uo\te).
        assertThat(ServerDialect.of("11.4.5-MariaDB-log").pointToPrimarySql("127.0.0.1", 33151, "q'uo\\te", "p'w\\d\"x"))
                .isEqualTo("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=33151, MASTER_USER='q''uo\\\\te',"
                        + " MASTER_PASSWORD='p''w\\\\d\"x', MASTER_USE_GTID=slave_pos");
    }

    @Test
    void mySqlPointToPrimary() {
        assertThat(ServerDialect.of("8.4.3").pointToPrimarySql("db2.example", 3306, "repl", "it's"))
                .isEqualTo("CHANGE REPLICATION SOURCE TO SOURCE_HOST='db2.example', SOURCE_PORT=3306,"
                        + " SOURCE_USER='repl', SOURCE_PASSWORD='it''s', SOURCE_AUTO_POSITION=1");
        assertThat(ServerDialect.of("8.0.21").pointToPrimarySql("db2.example", 3306, "repl", "pw"))
                .isEqualTo("CHANGE MASTER TO MASTER_HOST='db2.example', MASTER_PORT=3306,"
                        + " MASTER_USER='repl', MASTER_PASSWORD='pw', MASTER_AUTO_POSITION=1");
    }

    @Test
    void pointToPrimaryChecksThePort() {
        ServerDialect d = ServerDialect.of("8.4.3");

        assertThatThrownBy(() -> d.pointToPrimarySql("db2", 0, "repl", "pw"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port 0");
        assertThatThrownBy(() -> d.pointToPrimarySql("db2", 65536, "repl", "pw"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void literalsEscapeQuotesBackslashesAndNul() {
        assertThat(SqlText.literal("plain")).isEqualTo("'plain'");
        assertThat(SqlText.literal("")).isEqualTo("''");
        assertThat(SqlText.literal("it's")).isEqualTo("'it''s'");
        assertThat(SqlText.literal("a\\b")).isEqualTo("'a\\\\b'");
        assertThat(SqlText.literal("\\'")).isEqualTo("'\\\\'''");
        assertThat(SqlText.literal("x\0y")).isEqualTo("'x\\0y'");
        // a value cannot end the literal early: what is left after removing escapes has no lone quote
        String quoted = SqlText.literal("'); DROP TABLE t; --\\");
        String inner = quoted.substring(1, quoted.length() - 1).replace("\\\\", "").replace("''", "");
        assertThat(inner).doesNotContain("'").doesNotContain("\\");
    }
}
