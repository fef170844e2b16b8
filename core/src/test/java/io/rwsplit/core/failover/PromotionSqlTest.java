package io.rwsplit.core.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.core.flavor.ServerDialect;
import org.junit.jupiter.api.Test;

/**
 * The statements of each promotion step. MariaDB's run in the failover ITs; MySQL's are checked here
 * against the MySQL 8.0 / 8.4 reference manual (CHANGE REPLICATION SOURCE TO, RESET REPLICA ALL,
 * super_read_only), there being no MySQL server to run them on.
 */
class PromotionSqlTest {

    private static final ServerDialect MARIADB = ServerDialect.of("11.4.5-MariaDB-log");
    private static final ServerDialect MYSQL_84 = ServerDialect.of("8.4.3");
    private static final ServerDialect MYSQL_80_22 = ServerDialect.of("8.0.22");
    private static final ServerDialect MYSQL_80_21 = ServerDialect.of("8.0.21");

    @Test
    void mariaDb() {
        assertThat(PromotionSql.fence(MARIADB)).containsExactly("SET GLOBAL read_only = ON");
        assertThat(PromotionSql.promote(MARIADB)).containsExactly("STOP SLAVE", "RESET SLAVE ALL",
                "SET GLOBAL read_only = OFF");
        assertThat(PromotionSql.repoint(MARIADB, "10.0.0.7", 3307)).containsExactly("STOP SLAVE",
                "CHANGE MASTER TO MASTER_HOST='10.0.0.7', MASTER_PORT=3307, MASTER_USE_GTID=slave_pos", "START SLAVE");
    }

    @Test
    void mySql84() {
        // super_read_only also stops accounts with CONNECTION_ADMIN / SUPER, which operators' tools use
        assertThat(PromotionSql.fence(MYSQL_84)).containsExactly("SET GLOBAL super_read_only = ON");
        assertThat(PromotionSql.promote(MYSQL_84)).containsExactly("STOP REPLICA", "RESET REPLICA ALL",
                "SET GLOBAL read_only = OFF");
        assertThat(PromotionSql.repoint(MYSQL_84, "db2.example", 3306)).containsExactly("STOP REPLICA",
                "CHANGE REPLICATION SOURCE TO SOURCE_HOST='db2.example', SOURCE_PORT=3306, SOURCE_AUTO_POSITION=1",
                "START REPLICA");
    }

    @Test
    void mySqlBeforeTheRenames() {
        // 8.0.22 has the REPLICA statements but not yet CHANGE REPLICATION SOURCE (8.0.23)
        assertThat(PromotionSql.repoint(MYSQL_80_22, "db2.example", 3306)).containsExactly("STOP REPLICA",
                "CHANGE MASTER TO MASTER_HOST='db2.example', MASTER_PORT=3306, MASTER_AUTO_POSITION=1",
                "START REPLICA");
        assertThat(PromotionSql.promote(MYSQL_80_21)).containsExactly("STOP SLAVE", "RESET SLAVE ALL",
                "SET GLOBAL read_only = OFF");
    }

    @Test
    void theOtherReplicasStopOnlyReceivingWhileTheCandidateIsPromoted() {
        assertThat(PromotionSql.stopReceiving(MARIADB)).containsExactly("STOP SLAVE IO_THREAD");
        // MySQL 8.4 manual, STOP REPLICA [thread_types]: IO_THREAD stops the receiver alone
        assertThat(PromotionSql.stopReceiving(MYSQL_84)).containsExactly("STOP REPLICA IO_THREAD");
        assertThat(PromotionSql.stopReceiving(MYSQL_80_21)).containsExactly("STOP SLAVE IO_THREAD");
    }

    @Test
    void aHostIsQuotedAsALiteral() {
        assertThat(MARIADB.pointToPrimarySql("it's", 3306)).contains("MASTER_HOST='it''s'");
    }

    @Test
    void lockAndKillAreTheSameInBothFlavors() {
        assertThat(PromotionSql.TAKE_LOCK).isEqualTo("SELECT GET_LOCK('rwsplit.failover', 0)");
        assertThat(PromotionSql.RELEASE_LOCK).isEqualTo("SELECT RELEASE_LOCK('rwsplit.failover')");
        assertThat(PromotionSql.kill(42)).isEqualTo("KILL CONNECTION 42");
        assertThat(PromotionSql.CLIENT_CONNECTIONS).contains("ID <> CONNECTION_ID()")
                .contains("'Binlog Dump', 'Binlog Dump GTID'");
    }
}
