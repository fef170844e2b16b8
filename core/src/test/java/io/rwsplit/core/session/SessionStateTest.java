package io.rwsplit.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.rwsplit.core.flavor.Flavor;
import io.rwsplit.core.flavor.GtidSet;
import io.rwsplit.core.sql.Classification;
import io.rwsplit.core.sql.Pin;
import io.rwsplit.core.sql.PinKind;
import io.rwsplit.core.sql.StatementClassifier;
import io.rwsplit.core.topology.NodeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * How a session's state moves as the front end reports statements: transactions (explicit,
 * implicit with autocommit off, read-only), implicit commits, pins, tracked settings, the server's
 * corrections, reset, and the session's writes.
 */
class SessionStateTest {

    private static final StatementClassifier CLASSIFIER = StatementClassifier.withDefaults();
    private static final NodeId PRIMARY = new NodeId("primary", "10.0.0.1", 3306);
    private static final NodeId R1 = new NodeId("r1", "10.0.0.2", 3306);
    private static final NodeId R2 = new NodeId("r2", "10.0.0.3", 3306);

    private final SessionState s = new SessionState();
    private long now = 1_000_000_000L;

    @AfterAll
    static void close() {
        CLASSIFIER.close();
    }

    private static Classification c(String sql) {
        return CLASSIFIER.classify(sql);
    }

    /** The statement ran on {@code node} and succeeded, one millisecond after the previous one. */
    private void ok(String sql, NodeId node) {
        now += 1_000_000L;
        s.succeeded(c(sql), node, now);
    }

    private static GtidSet mariadb(String text) {
        return GtidSet.parse(Flavor.MARIADB, text);
    }

    // ---- a fresh session ----

    @Test
    void freshSessionIsAutocommitWithNothingOpenOrPinned() {
        assertThat(s.autocommit()).isTrue();
        assertThat(s.transaction()).isEqualTo(Transaction.NONE);
        assertThat(s.explicitTransaction()).isFalse();
        assertThat(s.transactionNode()).isNull();
        assertThat(s.pinned()).isFalse();
        assertThat(s.variables()).isEmpty();
        assertThat(s.previousNode()).isNull();
        assertThat(s.wrote()).isFalse();
        assertThat(s.lastWriteGtid()).isNull();
        assertThat(s.nextTransactionReadOnly()).isFalse();
    }

    @Test
    void sessionStartsInTheHandshakeSchema() {
        assertThat(new SessionState("app").schema()).isEqualTo("app");
        assertThat(new SessionState().schema()).isNull();
    }

    // ---- explicit transactions ----

    @Test
    void beginOpensAReadWriteTransactionOnTheNodeItRanOn() {
        ok("BEGIN", PRIMARY);
        assertThat(s.transaction()).isEqualTo(Transaction.READ_WRITE);
        assertThat(s.explicitTransaction()).isTrue();
        assertThat(s.transactionNode()).isEqualTo(PRIMARY);
    }

    @Test
    void commitEndsTheTransaction() {
        ok("BEGIN", PRIMARY);
        ok("UPDATE t SET a = 1", PRIMARY);
        ok("COMMIT", PRIMARY);
        assertThat(s.transaction()).isEqualTo(Transaction.NONE);
        assertThat(s.transactionNode()).isNull();
        assertThat(s.explicitTransaction()).isFalse();
    }

    @Test
    void rollbackEndsTheTransaction() {
        ok("START TRANSACTION", PRIMARY);
        ok("ROLLBACK", PRIMARY);
        assertThat(s.transaction()).isEqualTo(Transaction.NONE);
    }

    @Test
    void startTransactionReadOnlyOpensAReadOnlyTransactionOnItsReplica() {
        ok("START TRANSACTION READ ONLY", R1);
        assertThat(s.transaction()).isEqualTo(Transaction.READ_ONLY);
        assertThat(s.transactionNode()).isEqualTo(R1);
    }

    @Test
    void transactionNodeStaysWhereTheTransactionBegan() {
        ok("START TRANSACTION READ ONLY", R1);
        ok("SELECT 1", R1);
        s.succeeded(c("SELECT 2"), R2, now);
        assertThat(s.transactionNode()).isEqualTo(R1);
    }

    @Test
    void commitAndChainKeepsTheTransactionAndItsNode() {
        ok("BEGIN", PRIMARY);
        ok("COMMIT AND CHAIN", PRIMARY);
        assertThat(s.transaction()).isEqualTo(Transaction.READ_WRITE);
        assertThat(s.transactionNode()).isEqualTo(PRIMARY);
        ok("START TRANSACTION READ ONLY", R1);
        ok("ROLLBACK AND CHAIN", R1);
        assertThat(s.transaction()).isEqualTo(Transaction.READ_ONLY);
        assertThat(s.transactionNode()).isEqualTo(R1);
    }

    @Test
    void beginInsideATransactionStartsANewOne() {
        ok("START TRANSACTION READ ONLY", R1);
        ok("BEGIN", PRIMARY);
        assertThat(s.transaction()).isEqualTo(Transaction.READ_WRITE);
        assertThat(s.transactionNode()).isEqualTo(PRIMARY);
    }

    @Test
    void multiStatementBeginThenWriteLeavesTheTransactionOpen() {
        ok("BEGIN; UPDATE t SET a = 1", PRIMARY);
        assertThat(s.transaction()).isEqualTo(Transaction.READ_WRITE);
        assertThat(s.transactionNode()).isEqualTo(PRIMARY);
        assertThat(s.wrote()).isTrue();
    }

    // ---- implicit commits ----

    @Test
    void ddlCommitsAnOpenTransaction() {
        ok("BEGIN", PRIMARY);
        ok("ALTER TABLE t ADD c INT", PRIMARY);
        assertThat(s.transaction()).isEqualTo(Transaction.NONE);
        assertThat(s.transactionNode()).isNull();
    }

    @Test
    void lockTablesCommitsAnOpenTransactionAndPins() {
        ok("BEGIN", PRIMARY);
        ok("LOCK TABLES t WRITE", PRIMARY);
        assertThat(s.transaction()).isEqualTo(Transaction.NONE);
        assertThat(s.pinnedBy(PinKind.TABLE_LOCK)).isTrue();
    }

    @Test
    void createTemporaryTableDoesNotCommit() {
        ok("BEGIN", PRIMARY);
        ok("CREATE TEMPORARY TABLE tmp (id INT)", PRIMARY);
        assertThat(s.transaction()).isEqualTo(Transaction.READ_WRITE);
    }

    @Test
    void ddlWithAutocommitOffEndsTheTransactionButTheNextOneStartsRightAway() {
        ok("SET autocommit = 0", PRIMARY);
        ok("UPDATE t SET a = 1", PRIMARY);
        ok("CREATE TABLE u (id INT)", PRIMARY);
        // autocommit is still off: the statement after the DDL runs in a new implicit transaction
        assertThat(s.transaction()).isEqualTo(Transaction.READ_WRITE);
        assertThat(s.explicitTransaction()).isFalse();
    }

    // ---- autocommit ----

    @Test
    void autocommitOffIsAnImplicitReadWriteTransaction() {
        ok("SET autocommit = 0", PRIMARY);
        assertThat(s.autocommit()).isFalse();
        assertThat(s.transaction()).isEqualTo(Transaction.READ_WRITE);
        assertThat(s.explicitTransaction()).isFalse();
        assertThat(s.transactionNode()).as("no statement ran in it yet").isNull();
        ok("SELECT 1", PRIMARY);
        assertThat(s.transactionNode()).isEqualTo(PRIMARY);
    }

    @Test
    void commitWithAutocommitOffEndsTheTransactionButNotTheMode() {
        s.setAutocommit(false, 0L);
        ok("UPDATE t SET a = 1", PRIMARY);
        ok("COMMIT", PRIMARY);
        assertThat(s.transactionNode()).isNull();
        assertThat(s.transaction()).isEqualTo(Transaction.READ_WRITE);
        assertThat(s.autocommit()).isFalse();
    }

    @Test
    void turningAutocommitBackOnCommits() {
        s.setAutocommit(false, 0L);
        ok("UPDATE t SET a = 1", PRIMARY);
        s.setAutocommit(true, 0L);
        assertThat(s.transaction()).isEqualTo(Transaction.NONE);
        assertThat(s.transactionNode()).isNull();
    }

    @Test
    void setAutocommitOneCommitsAnExplicitTransactionOnlyIfAutocommitWasOff() {
        ok("SET autocommit = 0", PRIMARY);
        ok("BEGIN", PRIMARY);
        ok("SET autocommit = 1", PRIMARY);
        assertThat(s.transaction()).isEqualTo(Transaction.NONE);

        ok("BEGIN", PRIMARY);
        ok("SET autocommit = 1", PRIMARY);
        assertThat(s.transaction()).as("autocommit was already on: the server does not commit")
                .isEqualTo(Transaction.READ_WRITE);
    }

    @Test
    void jdbcReadOnlyWithAutocommitOffIsAReadOnlyTransaction() {
        s.setJdbcReadOnly(true);
        s.setAutocommit(false, 0L);
        assertThat(s.transaction()).isEqualTo(Transaction.READ_ONLY);
        ok("SELECT 1", R1);
        assertThat(s.transactionNode()).isEqualTo(R1);
    }

    @Test
    void jdbcReadOnlyAloneOpensNothing() {
        s.setJdbcReadOnly(true);
        assertThat(s.transaction()).isEqualTo(Transaction.NONE);
        assertThat(s.jdbcReadOnly()).isTrue();
    }

    // ---- read-only next transaction ----

    @Test
    void setTransactionReadOnlyMakesTheNextBeginReadOnlyOnce() {
        ok("SET TRANSACTION READ ONLY", PRIMARY);
        assertThat(s.nextTransactionReadOnly()).isTrue();
        ok("BEGIN", R1);
        assertThat(s.transaction()).isEqualTo(Transaction.READ_ONLY);
        ok("COMMIT", R1);
        assertThat(s.nextTransactionReadOnly()).as("used up by the transaction").isFalse();
        ok("BEGIN", PRIMARY);
        assertThat(s.transaction()).isEqualTo(Transaction.READ_WRITE);
    }

    @Test
    void jdbcReadOnlyMakesEveryBeginReadOnly() {
        s.setJdbcReadOnly(true);
        assertThat(s.nextTransactionReadOnly()).isTrue();
        ok("BEGIN", R1);
        assertThat(s.transaction()).isEqualTo(Transaction.READ_ONLY);
        ok("COMMIT", R1);
        assertThat(s.nextTransactionReadOnly()).isTrue();
    }

    @Test
    void setTransactionReadWriteOverridesJdbcReadOnlyForTheNextTransaction() {
        s.setJdbcReadOnly(true);
        ok("SET TRANSACTION READ WRITE", R1);
        assertThat(s.nextTransactionReadOnly()).isFalse();
        ok("BEGIN", PRIMARY);
        assertThat(s.transaction()).isEqualTo(Transaction.READ_WRITE);
    }

    @Test
    void nextTransactionIsolationIsDroppedWhenTheTransactionBegins() {
        ok("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", PRIMARY);
        assertThat(s.variables()).containsKey("next_transaction_isolation");
        long version = s.variablesVersion();
        ok("BEGIN", PRIMARY);
        assertThat(s.variables()).doesNotContainKey("next_transaction_isolation");
        assertThat(s.variablesVersion()).isNotEqualTo(version);
    }

    // ---- failures ----

    @Test
    void failedStatementOnlyMovesThePreviousNode() {
        s.failed(c("BEGIN"), PRIMARY);
        s.failed(c("USE missing_db"), R1);
        s.failed(c("CREATE TEMPORARY TABLE t (id INT)"), R2);
        s.failed(c("SET time_zone = 'UTC'"), R2);
        s.failed(c("INSERT INTO t VALUES (1)"), R2);
        assertThat(s.previousNode()).isEqualTo(R2);
        assertThat(s.transaction()).isEqualTo(Transaction.NONE);
        assertThat(s.schema()).isNull();
        assertThat(s.pinned()).isFalse();
        assertThat(s.variables()).isEmpty();
        assertThat(s.variablesVersion()).isZero();
        assertThat(s.wrote()).isFalse();
    }

    @Test
    void succeededStatementMovesThePreviousNode() {
        ok("SELECT 1", R1);
        assertThat(s.previousNode()).isEqualTo(R1);
        ok("SELECT 1", R2);
        assertThat(s.previousNode()).isEqualTo(R2);
    }

    // ---- pins ----

    @Test
    void temporaryTablePinsUntilDropped() {
        ok("CREATE TEMPORARY TABLE tmp_ids (id INT)", PRIMARY);
        assertThat(s.pinned()).isTrue();
        assertThat(s.pins()).containsExactly(Pin.of(PinKind.TEMPORARY_TABLE, "tmp_ids"));
        assertThat(s.pinReason()).isEqualTo("temporary table tmp_ids");
        ok("DROP TEMPORARY TABLE tmp_ids", PRIMARY);
        assertThat(s.pinned()).isFalse();
    }

    @Test
    void droppingOneOfTwoTemporaryTablesKeepsThePin() {
        ok("CREATE TEMPORARY TABLE a (id INT)", PRIMARY);
        ok("CREATE TEMPORARY TABLE b (id INT)", PRIMARY);
        ok("DROP TABLE a", PRIMARY);
        assertThat(s.pins()).containsExactly(Pin.of(PinKind.TEMPORARY_TABLE, "b"));
    }

    @Test
    void tableNamesCompareIgnoringCase() {
        ok("CREATE TEMPORARY TABLE Tmp (id INT)", PRIMARY);
        ok("DROP TEMPORARY TABLE TMP", PRIMARY);
        assertThat(s.pinned()).isFalse();
    }

    @Test
    void namedLocksReleaseByNameAndAllAtOnce() {
        ok("SELECT GET_LOCK('a', 1)", PRIMARY);
        ok("SELECT GET_LOCK('b', 1)", PRIMARY);
        ok("SELECT RELEASE_LOCK('a')", PRIMARY);
        assertThat(s.pins()).containsExactly(Pin.of(PinKind.NAMED_LOCK, "b"));
        ok("SELECT GET_LOCK(@name, 1)", PRIMARY);
        ok("SELECT RELEASE_ALL_LOCKS()", PRIMARY);
        assertThat(s.pinnedBy(PinKind.NAMED_LOCK)).isFalse();
    }

    @Test
    void anyReleaseOnlyReleasesItsOwnKind() {
        ok("CREATE TEMPORARY TABLE tmp (id INT)", PRIMARY);
        ok("LOCK TABLES t READ", PRIMARY);
        ok("UNLOCK TABLES", PRIMARY);
        assertThat(s.pinnedBy(PinKind.TABLE_LOCK)).isFalse();
        assertThat(s.pins()).containsExactly(Pin.of(PinKind.TEMPORARY_TABLE, "tmp"));
    }

    @Test
    void lockNameTheClassifierCouldNotReadIsReleasedOnlyByReleaseAll() {
        ok("SELECT GET_LOCK(@n, 1)", PRIMARY);
        ok("SELECT RELEASE_LOCK('x')", PRIMARY);
        assertThat(s.pinnedBy(PinKind.NAMED_LOCK)).isTrue();
    }

    @Test
    void preparedStatementsAndHandlersPinUntilReleased() {
        ok("PREPARE s1 FROM 'SELECT 1'", PRIMARY);
        ok("HANDLER t OPEN", PRIMARY);
        assertThat(s.pinReason()).isEqualTo("text prepared statement s1, open HANDLER t");
        ok("DEALLOCATE PREPARE s1", PRIMARY);
        ok("HANDLER t CLOSE", PRIMARY);
        assertThat(s.pinned()).isFalse();
    }

    @Test
    void userVariablesPinForTheRestOfTheSession() {
        ok("SET @a = 1", PRIMARY);
        ok("COMMIT", PRIMARY);
        ok("UNLOCK TABLES", PRIMARY);
        assertThat(s.pins()).containsExactly(Pin.of(PinKind.USER_VARIABLE, "@a"));
    }

    @Test
    void samePinTwiceIsHeldOnce() {
        ok("CREATE TEMPORARY TABLE IF NOT EXISTS t (id INT)", PRIMARY);
        ok("CREATE TEMPORARY TABLE IF NOT EXISTS t (id INT)", PRIMARY);
        assertThat(s.pins()).hasSize(1);
        ok("DROP TEMPORARY TABLE t", PRIMARY);
        assertThat(s.pinned()).isFalse();
    }

    // ---- schema and tracked settings ----

    @Test
    void useChangesTheSchemaAndTheVersion() {
        long v = s.variablesVersion();
        ok("USE app", R1);
        assertThat(s.schema()).isEqualTo("app");
        assertThat(s.variablesVersion()).isGreaterThan(v);
    }

    @Test
    void usingTheSameSchemaAgainKeepsTheVersion() {
        ok("USE app", R1);
        long v = s.variablesVersion();
        ok("USE app", R1);
        s.setSchema("app");
        s.setSchema(null);
        assertThat(s.variablesVersion()).isEqualTo(v);
        assertThat(s.schema()).isEqualTo("app");
    }

    @Test
    void setSchemaIsTheProtocolLevelUse() {
        s.setSchema("reports");
        assertThat(s.schema()).isEqualTo("reports");
        assertThat(s.variablesVersion()).isEqualTo(1);
    }

    @Test
    void trackedSettingsKeepTheOrderTheyWereLastSetIn() {
        ok("SET time_zone = 'UTC'", R1);
        ok("SET sql_mode = 'ANSI'", R1);
        ok("SET wait_timeout = 60", R1);
        ok("SET time_zone = '+02:00'", R1);
        assertThat(s.variables()).containsExactly(entry("sql_mode", "SET SESSION sql_mode = 'ANSI'"),
                entry("wait_timeout", "SET SESSION wait_timeout = 60"),
                entry("time_zone", "SET SESSION time_zone = '+02:00'"));
    }

    @Test
    void setNamesDropsTheCharsetSettingsItOverwrites() {
        ok("SET character_set_client = latin1", R1);
        ok("SET character_set_results = latin1", R1);
        ok("SET character_set_connection = latin1", R1);
        ok("SET collation_connection = latin1_swedish_ci", R1);
        ok("SET time_zone = 'UTC'", R1);
        ok("SET NAMES utf8mb4", R1);
        assertThat(s.variables()).containsExactly(entry("time_zone", "SET SESSION time_zone = 'UTC'"),
                entry("names", "SET NAMES utf8mb4"));
    }

    @Test
    void charsetSettingAfterSetNamesIsKeptAfterIt() {
        ok("SET NAMES utf8mb4", R1);
        ok("SET collation_connection = utf8mb4_bin", R1);
        assertThat(s.variables().keySet()).containsExactly("names", "collation_connection");
    }

    @Test
    void everyTrackedChangeBumpsTheVersion() {
        ok("SET time_zone = 'UTC'", R1);
        long v1 = s.variablesVersion();
        ok("SET time_zone = 'UTC'", R1);
        long v2 = s.variablesVersion();
        ok("SELECT 1", R1);
        assertThat(v1).isPositive();
        assertThat(v2).isGreaterThan(v1);
        assertThat(s.variablesVersion()).as("a statement without settings").isEqualTo(v2);
    }

    @Test
    void variablesViewIsReadOnly() {
        ok("SET time_zone = 'UTC'", R1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.variables().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.pins().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    // ---- what the server says ----

    @Test
    void serverInTransactionOpensAReadWriteTransaction() {
        s.observeServer(true, true, 0L);
        assertThat(s.transaction()).isEqualTo(Transaction.READ_WRITE);
        assertThat(s.explicitTransaction()).isTrue();
    }

    @Test
    void serverNotInTransactionEndsTheOneTheSessionThoughtOpen() {
        ok("BEGIN", PRIMARY);
        s.observeServer(false, true, 0L);
        assertThat(s.transaction()).isEqualTo(Transaction.NONE);
        assertThat(s.transactionNode()).isNull();
    }

    @Test
    void serverInTransactionKeepsAReadOnlyTransactionReadOnly() {
        ok("START TRANSACTION READ ONLY", R1);
        s.observeServer(true, true, 0L);
        assertThat(s.transaction()).isEqualTo(Transaction.READ_ONLY);
        assertThat(s.transactionNode()).isEqualTo(R1);
    }

    @Test
    void serverIsRightAboutAutocommit() {
        s.observeServer(false, false, 0L);
        assertThat(s.autocommit()).isFalse();
        assertThat(s.transaction()).isEqualTo(Transaction.READ_WRITE);
        s.observeServer(false, true, 0L);
        assertThat(s.autocommit()).isTrue();
        assertThat(s.transaction()).isEqualTo(Transaction.NONE);
    }

    // ---- reset ----

    @Test
    void resetReturnsToAFreshSessionInTheNewSchema() {
        ok("USE app", PRIMARY);
        ok("SET time_zone = 'UTC'", PRIMARY);
        ok("SET autocommit = 0", PRIMARY);
        ok("BEGIN", PRIMARY);
        ok("CREATE TEMPORARY TABLE t (id INT)", PRIMARY);
        ok("SET TRANSACTION READ ONLY", PRIMARY);
        long v = s.variablesVersion();

        s.reset("other");

        assertThat(s.schema()).isEqualTo("other");
        assertThat(s.autocommit()).isTrue();
        assertThat(s.transaction()).isEqualTo(Transaction.NONE);
        assertThat(s.transactionNode()).isNull();
        assertThat(s.variables()).isEmpty();
        assertThat(s.variablesVersion()).isGreaterThan(v);
        assertThat(s.pinned()).isFalse();
        assertThat(s.previousNode()).isNull();
        assertThat(s.nextTransactionReadOnly()).isFalse();
    }

    // ---- writes ----

    @Test
    void writeRecordsItsTime() {
        s.succeeded(c("INSERT INTO t VALUES (1)"), PRIMARY, 42L);
        assertThat(s.wrote()).isTrue();
        assertThat(s.lastWriteNanos()).isEqualTo(42L);
        s.succeeded(c("SELECT 1"), R1, 99L);
        assertThat(s.lastWriteNanos()).as("a read is not a write").isEqualTo(42L);
        s.succeeded(c("UPDATE t SET a = 2"), PRIMARY, 120L);
        assertThat(s.lastWriteNanos()).isEqualTo(120L);
    }

    @Test
    void primaryBoundReadsAreNotWrites() {
        ok("SELECT * FROM t FOR UPDATE", PRIMARY);
        ok("SELECT LAST_INSERT_ID()", PRIMARY);
        ok("SET @a = 1", PRIMARY);
        assertThat(s.wrote()).isFalse();
    }

    @Test
    void writeGtidsAccumulate() {
        s.recordWriteGtid(mariadb("0-1-10"));
        assertThat(s.lastWriteGtid()).isEqualTo(mariadb("0-1-10"));
        s.recordWriteGtid(mariadb("1-1-5"));
        s.recordWriteGtid(mariadb("0-1-12"));
        assertThat(s.lastWriteGtid()).isEqualTo(mariadb("0-1-12,1-1-5"));
    }

    @Test
    void mysqlWriteGtidsAccumulateToo() {
        String uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
        s.recordWriteGtid(GtidSet.parse(Flavor.MYSQL, uuid + ":7"));
        s.recordWriteGtid(GtidSet.parse(Flavor.MYSQL, uuid + ":9"));
        assertThat(s.lastWriteGtid()).isEqualTo(GtidSet.parse(Flavor.MYSQL, uuid + ":7:9"));
    }

    @Test
    void toStringShowsTheStateRoutingReads() {
        ok("BEGIN", PRIMARY);
        assertThat(s.toString()).contains("transaction=READ_WRITE").contains("previous=primary");
    }
}
