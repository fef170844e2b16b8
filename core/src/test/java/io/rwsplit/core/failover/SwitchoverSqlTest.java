package io.rwsplit.core.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.core.flavor.ServerDialect;
import org.junit.jupiter.api.Test;

/**
 * The statements of a switchover and a rejoin. MariaDB's run in SwitchoverIT and the rejoin ITs;
 * MySQL's are checked here against the MySQL 8.0 / 8.4 reference manual (super_read_only, CHANGE
 * REPLICATION SOURCE TO ... SOURCE_AUTO_POSITION, rpl_semi_sync_source_enabled), there being no
 * MySQL server to run them on.
 */
class SwitchoverSqlTest {

    private static final ServerDialect MARIADB = ServerDialect.of("11.4.5-MariaDB-log");
    private static final ServerDialect MYSQL_84 = ServerDialect.of("8.4.3");
    private static final ServerDialect MYSQL_80_21 = ServerDialect.of("8.0.21");

    @Test
    void mariaDbDemotesWithReadOnlyAndUndoesIt() {
        assertThat(SwitchoverSql.demote(MARIADB)).containsExactly("SET GLOBAL read_only = ON");
        assertThat(SwitchoverSql.undoDemote(MARIADB)).containsExactly("SET GLOBAL read_only = OFF");
    }

    @Test
    void mySqlDemotesWithSuperReadOnlySoAdministratorsCannotWriteEither() {
        assertThat(SwitchoverSql.demote(MYSQL_84)).containsExactly("SET GLOBAL super_read_only = ON");
        // read_only = OFF turns super_read_only off too
        assertThat(SwitchoverSql.undoDemote(MYSQL_84)).containsExactly("SET GLOBAL read_only = OFF");
    }

    @Test
    void aMariaDbFormerPrimaryStartsFromItsOwnPositionWithTheReplicationAccount() {
        assertThat(SwitchoverSql.rejoin(MARIADB, "127.0.0.1", 3307, "repl", "s'cret", true)).containsExactly(
                "SET GLOBAL read_only = ON",
                "SET GLOBAL rpl_semi_sync_master_enabled = OFF",
                "SET GLOBAL gtid_slave_pos = @@GLOBAL.gtid_current_pos",
                "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=3307, MASTER_USER='repl', "
                        + "MASTER_PASSWORD='s''cret', MASTER_USE_GTID=slave_pos",
                "START SLAVE");
    }

    @Test
    void semiSyncIsLeftAloneWhenItWasOff() {
        assertThat(SwitchoverSql.rejoin(MARIADB, "db2", 3306, "repl", "", false))
                .doesNotContain("SET GLOBAL rpl_semi_sync_master_enabled = OFF");
    }

    @Test
    void aMySqlFormerPrimaryAutoPositionsFromItsExecutedSet() {
        assertThat(SwitchoverSql.rejoin(MYSQL_84, "db2.example", 3306, "repl", "pw", true)).containsExactly(
                "SET GLOBAL super_read_only = ON",
                "SET GLOBAL rpl_semi_sync_source_enabled = OFF",
                "CHANGE REPLICATION SOURCE TO SOURCE_HOST='db2.example', SOURCE_PORT=3306, SOURCE_USER='repl', "
                        + "SOURCE_PASSWORD='pw', SOURCE_AUTO_POSITION=1",
                "START REPLICA");
        assertThat(SwitchoverSql.rejoin(MYSQL_80_21, "db2.example", 3306, "repl", "pw", true)).containsExactly(
                "SET GLOBAL super_read_only = ON",
                "SET GLOBAL rpl_semi_sync_master_enabled = OFF",
                "CHANGE MASTER TO MASTER_HOST='db2.example', MASTER_PORT=3306, MASTER_USER='repl', "
                        + "MASTER_PASSWORD='pw', MASTER_AUTO_POSITION=1",
                "START SLAVE");
    }

    @Test
    void withoutAnAccountTheNodeKeepsTheOneItHas() {
        assertThat(SwitchoverSql.rejoin(MARIADB, "db2", 3306, null, "", false)).contains(
                "CHANGE MASTER TO MASTER_HOST='db2', MASTER_PORT=3306, MASTER_USE_GTID=slave_pos");
    }

    @Test
    void theSemiSyncPrimaryQueryAsksWithoutFailingWhenThePluginIsAbsent() {
        assertThat(MARIADB.semiSyncPrimarySql()).isEqualTo("SELECT @@GLOBAL.rpl_semi_sync_master_enabled");
        assertThat(MYSQL_84.semiSyncPrimarySql()).contains("performance_schema.global_variables")
                .contains("'rpl_semi_sync_source_enabled'", "'rpl_semi_sync_master_enabled'");
    }
}
