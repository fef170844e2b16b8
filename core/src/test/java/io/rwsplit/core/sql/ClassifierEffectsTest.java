package io.rwsplit.core.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.core.config.ClassifierConfig;
import io.rwsplit.core.sql.SessionEffects.TransactionChange;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The session effects each statement produces (what the session records once the statement
 * succeeded): pins and releases, tracked settings and their replay statements, autocommit, schema,
 * transaction changes and implicit commits. The routing corpus only sees labels; this sees the
 * state a session would carry to its next statement.
 */
class ClassifierEffectsTest {

    private static final StatementClassifier CLASSIFIER = StatementClassifier.withDefaults();

    @AfterAll
    static void close() {
        CLASSIFIER.close();
    }

    private static Classification classify(String sql) {
        return CLASSIFIER.classifyUncached(sql);
    }

    private static SessionEffects effects(String sql) {
        return classify(sql).effects();
    }

    // ---- temporary tables ----

    @Test
    void createTemporaryTablePinsItsName() {
        assertThat(effects("CREATE TEMPORARY TABLE tmp_ids (id INT)").pins())
                .containsExactly(Pin.of(PinKind.TEMPORARY_TABLE, "tmp_ids"));
    }

    @Test
    void qualifiedQuotedNamePinsTheTableNameLowerCased() {
        assertThat(effects("CREATE TEMPORARY TABLE IF NOT EXISTS app.`Tmp Ids` (id INT)").pins())
                .containsExactly(new Pin(PinKind.TEMPORARY_TABLE, "tmp ids"));
    }

    @Test
    void orReplaceTemporaryTableAlsoPins() {
        assertThat(effects("CREATE OR REPLACE TEMPORARY TABLE t2 AS SELECT 1").pins())
                .containsExactly(Pin.of(PinKind.TEMPORARY_TABLE, "t2"));
    }

    @Test
    void createTemporaryTableDoesNotCommitImplicitly() {
        Classification c = classify("CREATE TEMPORARY TABLE t (id INT)");
        assertThat(c.effects().implicitCommit()).isFalse();
        assertThat(c.kind()).isEqualTo(StatementKind.PRIMARY_ONLY);
    }

    @Test
    void dropTemporaryTableReleasesEveryListedName() {
        SessionEffects e = effects("DROP TEMPORARY TABLE IF EXISTS a, app.b, `C`");
        assertThat(e.releases()).containsExactly(Pin.of(PinKind.TEMPORARY_TABLE, "a"),
                Pin.of(PinKind.TEMPORARY_TABLE, "b"), Pin.of(PinKind.TEMPORARY_TABLE, "c"));
        assertThat(e.implicitCommit()).isFalse();
        assertThat(e.pins()).isEmpty();
    }

    @Test
    void plainDropTableReleasesTheNamesTooAndCommits() {
        // DROP TABLE t drops a temporary t if there is one
        SessionEffects e = effects("DROP TABLE x.y, z");
        assertThat(e.releases()).containsExactly(Pin.of(PinKind.TEMPORARY_TABLE, "y"),
                Pin.of(PinKind.TEMPORARY_TABLE, "z"));
        assertThat(e.implicitCommit()).isTrue();
    }

    @Test
    void ordinaryCreateTableIsDdlWithoutPins() {
        SessionEffects e = effects("CREATE TABLE t (id INT)");
        assertThat(e.pins()).isEmpty();
        assertThat(e.implicitCommit()).isTrue();
    }

    // ---- named locks (GET_LOCK) ----

    @Test
    void getLockWithALiteralPinsThatLock() {
        assertThat(effects("SELECT GET_LOCK('Job-7', 10)").pins())
                .containsExactly(Pin.of(PinKind.NAMED_LOCK, "job-7"));
    }

    @Test
    void getLockWithAnExpressionPinsAnyLock() {
        assertThat(effects("SELECT GET_LOCK(@n, 10)").pins()).containsExactly(Pin.any(PinKind.NAMED_LOCK));
        assertThat(effects("SELECT GET_LOCK(CONCAT('a', id), 1) FROM t").pins())
                .containsExactly(Pin.any(PinKind.NAMED_LOCK));
    }

    @Test
    void releaseLockReleasesThatLock() {
        assertThat(effects("SELECT RELEASE_LOCK('job-7')").releases())
                .containsExactly(Pin.of(PinKind.NAMED_LOCK, "job-7"));
    }

    @Test
    void releaseAllLocksReleasesEveryNamedLock() {
        assertThat(effects("SELECT RELEASE_ALL_LOCKS()").releases()).containsExactly(Pin.any(PinKind.NAMED_LOCK));
    }

    @Test
    void isFreeLockNeitherPinsNorReleases() {
        Classification c = classify("SELECT IS_FREE_LOCK('x')");
        assertThat(c.kind()).isEqualTo(StatementKind.PRIMARY_READ);
        assertThat(c.effects().isNone()).isTrue();
    }

    // ---- text prepared statements and HANDLER ----

    @Test
    void prepareRecordsTheStatementName() {
        assertThat(effects("PREPARE Stmt1 FROM 'SELECT 1'").pins())
                .containsExactly(Pin.of(PinKind.PREPARED_STATEMENT, "stmt1"));
    }

    @Test
    void deallocateAndDropPrepareReleaseTheName() {
        Pin s1 = Pin.of(PinKind.PREPARED_STATEMENT, "s1");
        assertThat(effects("DEALLOCATE PREPARE S1").releases()).containsExactly(s1);
        assertThat(effects("DROP PREPARE `s1`").releases()).containsExactly(s1);
    }

    @Test
    void deallocateWithoutPrepareIsUnknown() {
        Classification c = classify("DEALLOCATE s1");
        assertThat(c.kind()).isEqualTo(StatementKind.UNKNOWN);
        assertThat(c.effects().releases()).isEmpty();
    }

    @Test
    void handlerOpenPinsAndCloseReleasesTheTable() {
        assertThat(effects("HANDLER app.orders OPEN").pins()).containsExactly(Pin.of(PinKind.HANDLER, "orders"));
        assertThat(effects("HANDLER orders CLOSE").releases()).containsExactly(Pin.of(PinKind.HANDLER, "orders"));
    }

    @Test
    void handlerReadNeitherPinsNorReleases() {
        Classification c = classify("HANDLER orders READ FIRST");
        assertThat(c.kind()).isEqualTo(StatementKind.PRIMARY_READ);
        assertThat(c.effects().isNone()).isTrue();
    }

    // ---- table locks ----

    @Test
    void lockTablesPinsAnyTableLockAndCommits() {
        SessionEffects e = effects("LOCK TABLES t READ, u WRITE");
        assertThat(e.pins()).containsExactly(Pin.any(PinKind.TABLE_LOCK));
        assertThat(e.implicitCommit()).isTrue();
    }

    @Test
    void unlockTablesReleasesEveryTableLock() {
        assertThat(effects("UNLOCK TABLES").releases()).containsExactly(Pin.any(PinKind.TABLE_LOCK));
    }

    @Test
    void flushTablesWithReadLockPinsATableLock() {
        Classification c = classify("FLUSH TABLES WITH READ LOCK");
        assertThat(c.effects().pins()).containsExactly(Pin.any(PinKind.TABLE_LOCK));
        assertThat(c.kind()).isEqualTo(StatementKind.PRIMARY_ONLY);
    }

    @Test
    void otherFlushHasNoPin() {
        assertThat(effects("FLUSH TABLES").pins()).isEmpty();
    }

    // ---- user variables ----

    @Test
    void setUserVariablePinsIt() {
        assertThat(effects("SET @Total = 5").pins()).containsExactly(Pin.of(PinKind.USER_VARIABLE, "@total"));
    }

    @Test
    void selectIntoVariablesPinsEachOfThem() {
        assertThat(effects("SELECT a, b INTO @x, @y FROM t").pins())
                .containsExactly(Pin.of(PinKind.USER_VARIABLE, "@x"), Pin.of(PinKind.USER_VARIABLE, "@y"));
    }

    @Test
    void assignmentInsideASelectPinsTheVariable() {
        assertThat(effects("SELECT @rank := @rank + 1 FROM t").pins())
                .containsExactly(Pin.of(PinKind.USER_VARIABLE, "@rank"));
    }

    @Test
    void sessionSettingFromAUserVariableCannotBeReplayedAndPins() {
        Classification c = classify("SET time_zone = @tz");
        assertThat(c.kind()).isEqualTo(StatementKind.PRIMARY_ONLY);
        assertThat(c.effects().variables()).isEmpty();
        assertThat(c.effects().pins()).containsExactly(Pin.any(PinKind.USER_VARIABLE));
    }

    // ---- tracked session settings ----

    @Test
    void setNamesIsTrackedUnderNamesWithItsWholeText() {
        assertThat(effects("SET NAMES utf8mb4 COLLATE utf8mb4_bin").variables())
                .containsExactly(Map.entry("names", "SET NAMES utf8mb4 COLLATE utf8mb4_bin"));
    }

    @Test
    void setCharacterSetIsTrackedUnderNames() {
        assertThat(effects("SET CHARACTER SET latin1").variables())
                .containsExactly(Map.entry("names", "SET CHARACTER SET latin1"));
    }

    @Test
    void setTimeZoneReplaysAsSessionSetting() {
        assertThat(effects("SET time_zone = '+00:00'").variables())
                .containsExactly(Map.entry("time_zone", "SET SESSION time_zone = '+00:00'"));
    }

    @Test
    void keysAreLowerCaseWhateverTheSpelling() {
        assertThat(effects("SET SESSION Time_Zone = 'UTC'").variables()).containsOnlyKeys("time_zone");
        assertThat(effects("SET @@SESSION.SQL_MODE = 'ANSI'").variables())
                .containsExactly(Map.entry("sql_mode", "SET SESSION sql_mode = 'ANSI'"));
    }

    @Test
    void sessionAndLocalScopedSystemVariablesAreTrackedByBareName() {
        assertThat(effects("SET @@session.sql_mode = 'ANSI'").variables())
                .containsExactly(Map.entry("sql_mode", "SET SESSION sql_mode = 'ANSI'"));
        assertThat(effects("SET @@local.wait_timeout = 60").variables())
                .containsExactly(Map.entry("wait_timeout", "SET SESSION wait_timeout = 60"));
        assertThat(effects("SET LOCAL wait_timeout = 60").variables()).containsOnlyKeys("wait_timeout");
    }

    @Test
    void everyItemOfASetListIsTracked() {
        assertThat(effects("SET time_zone = 'UTC', sql_mode = 'ANSI', @@session.wait_timeout = 60").variables())
                .containsOnlyKeys("time_zone", "sql_mode", "wait_timeout");
    }

    @Test
    void commaInsideAFunctionCallDoesNotSplitTheItem() {
        assertThat(effects("SET sql_mode = CONCAT('ANSI', ',STRICT_ALL_TABLES')").variables()).containsExactly(
                Map.entry("sql_mode", "SET SESSION sql_mode = CONCAT('ANSI', ',STRICT_ALL_TABLES')"));
    }

    @Test
    void isolationLevelSpellingsShareOneKey() {
        assertThat(effects("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED").variables()).containsExactly(
                Map.entry("transaction_isolation", "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED"));
        assertThat(effects("SET tx_isolation = 'READ-COMMITTED'").variables()).containsExactly(
                Map.entry("transaction_isolation", "SET SESSION tx_isolation = 'READ-COMMITTED'"));
        assertThat(effects("SET @@session.transaction_isolation = 'SERIALIZABLE'").variables())
                .containsOnlyKeys("transaction_isolation");
    }

    @Test
    void sessionTransactionReadOnlyIsATrackedSetting() {
        SessionEffects e = effects("SET SESSION TRANSACTION READ ONLY");
        assertThat(e.variables())
                .containsExactly(Map.entry("transaction_read_only", "SET SESSION TRANSACTION READ ONLY"));
        assertThat(e.nextTransactionReadOnly()).isNull();
    }

    @Test
    void setTransactionWithoutScopeOnlyConcernsTheNextTransaction() {
        SessionEffects e = effects("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY");
        assertThat(e.nextTransactionReadOnly()).isTrue();
        assertThat(e.variables()).containsExactly(
                Map.entry("next_transaction_isolation", "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"));
        assertThat(effects("SET TRANSACTION READ WRITE").nextTransactionReadOnly()).isFalse();
    }

    @Test
    void globalSettingsAreWritesAndNotTracked() {
        for (String sql : new String[] {"SET GLOBAL max_connections = 500", "SET @@global.max_connections = 500",
            "SET PERSIST max_connections = 500", "SET GLOBAL TRANSACTION ISOLATION LEVEL SERIALIZABLE"}) {
            Classification c = classify(sql);
            assertThat(c.kind()).as(sql).isEqualTo(StatementKind.WRITE);
            assertThat(c.effects().variables()).as(sql).isEmpty();
        }
    }

    @Test
    void sessionItemsBesideAGlobalOneAreStillTracked() {
        Classification c = classify("SET time_zone = 'UTC', GLOBAL max_connections = 500");
        assertThat(c.kind()).isEqualTo(StatementKind.WRITE);
        assertThat(c.effects().variables()).containsOnlyKeys("time_zone");
    }

    @Test
    void sqlLogBinStaysOnThePrimaryAndIsNotTracked() {
        Classification c = classify("SET sql_log_bin = 0");
        assertThat(c.kind()).isEqualTo(StatementKind.PRIMARY_ONLY);
        assertThat(c.effects().variables()).isEmpty();
    }

    @Test
    void setStatementForTracksNothing() {
        Classification c = classify("SET STATEMENT max_statement_time = 1 FOR SELECT * FROM t");
        assertThat(c.kind()).isEqualTo(StatementKind.READ);
        assertThat(c.effects().variables()).isEmpty();
    }

    // ---- autocommit ----

    @ParameterizedTest
    @ValueSource(strings = {"SET autocommit = 1", "SET autocommit=ON", "SET autocommit = on", "SET autocommit = true",
        "SET autocommit = DEFAULT", "SET autocommit = '1'", "SET @@session.autocommit = 1", "SET SESSION autocommit = 1"})
    void autocommitOnValuesTurnItOn(String sql) {
        assertThat(effects(sql).autocommit()).as(sql).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SET autocommit = 0", "SET autocommit=OFF", "SET autocommit = false",
        "SET @@autocommit = 0"})
    void autocommitOffValuesTurnItOff(String sql) {
        assertThat(effects(sql).autocommit()).as(sql).isFalse();
    }

    /**
     * An expression is not evaluated: it counts as off. Believing autocommit is off while the
     * server has it on only sends reads to the primary; the other mistake would send the reads
     * of an open transaction to a replica.
     */
    @ParameterizedTest
    @ValueSource(strings = {"SET autocommit = 1 + 0", "SET autocommit = IF(1, 1, 0)",
        "SET autocommit = @@global.autocommit"})
    void autocommitSetToAnExpressionCountsAsOff(String sql) {
        assertThat(effects(sql).autocommit()).as(sql).isFalse();
    }

    @Test
    void autocommitIsNotATrackedVariable() {
        SessionEffects e = effects("SET autocommit = 0, time_zone = 'UTC'");
        assertThat(e.autocommit()).isFalse();
        assertThat(e.variables()).containsOnlyKeys("time_zone");
    }

    // ---- schema (USE) ----

    @Test
    void useSetsTheSchemaAndIsASessionStatement() {
        Classification c = classify("USE app");
        assertThat(c.effects().schema()).isEqualTo("app");
        assertThat(c.kind()).isEqualTo(StatementKind.SESSION);
    }

    @Test
    void useRemovesBackticksAndKeepsTheCase() {
        assertThat(effects("USE `My App`").schema()).isEqualTo("My App");
        assertThat(effects("USE `a``b`").schema()).isEqualTo("a`b");
    }

    @Test
    void malformedUseIsUnknownAndChangesNoSchema() {
        Classification c = classify("USE a b");
        assertThat(c.kind()).isEqualTo(StatementKind.UNKNOWN);
        assertThat(c.effects().schema()).isNull();
    }

    // ---- transactions and implicit commits ----

    @ParameterizedTest
    @ValueSource(strings = {"BEGIN", "BEGIN WORK", "START TRANSACTION", "START TRANSACTION READ WRITE",
        "START TRANSACTION WITH CONSISTENT SNAPSHOT", "XA START 'x'"})
    void beginStatementsOpenAReadWriteTransactionAndCommitImplicitly(String sql) {
        SessionEffects e = effects(sql);
        assertThat(e.transaction()).as(sql).isEqualTo(TransactionChange.BEGIN);
        assertThat(e.implicitCommit()).as("begin commits an open transaction: " + sql).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"START TRANSACTION READ ONLY", "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY"})
    void startTransactionReadOnlyOpensAReadOnlyTransaction(String sql) {
        Classification c = classify(sql);
        assertThat(c.effects().transaction()).isEqualTo(TransactionChange.BEGIN_READ_ONLY);
        assertThat(c.kind()).isEqualTo(StatementKind.BEGIN_READ_ONLY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"COMMIT", "COMMIT WORK", "ROLLBACK", "COMMIT AND NO CHAIN", "XA COMMIT 'x'"})
    void commitAndRollbackEndTheTransaction(String sql) {
        assertThat(effects(sql).transaction()).as(sql).isEqualTo(TransactionChange.END);
    }

    @Test
    void commitAndChainChains() {
        Classification c = classify("COMMIT AND CHAIN");
        assertThat(c.effects().transaction()).isEqualTo(TransactionChange.CHAIN);
        assertThat(c.reason()).contains("chain");
        assertThat(effects("ROLLBACK WORK AND CHAIN").transaction()).isEqualTo(TransactionChange.CHAIN);
    }

    @Test
    void rollbackToSavepointStaysInTheTransaction() {
        Classification c = classify("ROLLBACK TO SAVEPOINT s1");
        assertThat(c.effects().transaction()).isNull();
        assertThat(c.kind()).isEqualTo(StatementKind.PRIMARY_ONLY);
    }

    @Test
    void beginFollowedByAWriteLeavesTheTransactionOpen() {
        Classification c = classify("BEGIN; UPDATE t SET a = 1");
        assertThat(c.effects().transaction()).isEqualTo(TransactionChange.BEGIN);
        assertThat(c.kind()).isEqualTo(StatementKind.WRITE);
        assertThat(c.reason()).startsWith("multi-statement:");
    }

    @Test
    void lastTransactionChangeOfMultiStatementWins() {
        assertThat(effects("BEGIN; UPDATE t SET a = 1; COMMIT").transaction()).isEqualTo(TransactionChange.END);
        assertThat(effects("COMMIT; BEGIN").transaction()).isEqualTo(TransactionChange.BEGIN);
    }

    @Test
    void multiStatementCollectsEveryPartsEffects() {
        SessionEffects e = effects("USE app; SET time_zone = 'UTC'; CREATE TEMPORARY TABLE t (id INT)");
        assertThat(e.schema()).isEqualTo("app");
        assertThat(e.variables()).containsOnlyKeys("time_zone");
        assertThat(e.pins()).containsExactly(Pin.of(PinKind.TEMPORARY_TABLE, "t"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ALTER TABLE t ADD c INT", "CREATE INDEX i ON t (a)", "TRUNCATE TABLE t",
        "RENAME TABLE a TO b", "GRANT SELECT ON *.* TO 'a'@'%'", "DROP VIEW v"})
    void ddlCommitsImplicitly(String sql) {
        SessionEffects e = effects(sql);
        assertThat(e.implicitCommit()).as(sql).isTrue();
        assertThat(e.transaction()).as(sql).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"INSERT INTO t VALUES (1)", "UPDATE t SET a = 1", "SELECT 1", "SAVEPOINT s"})
    void dmlAndReadsDoNotCommit(String sql) {
        assertThat(effects(sql).implicitCommit()).as(sql).isFalse();
    }

    // ---- kinds and reasons ----

    @Test
    void readsSayWhyTheyStayOnThePrimary() {
        assertThat(classify("SELECT * FROM t FOR UPDATE").reason()).isEqualTo("locking read (FOR UPDATE)");
        assertThat(classify("SELECT LAST_INSERT_ID()").reason()).contains("LAST_INSERT_ID");
        assertThat(classify("SELECT * FROM t INTO OUTFILE '/tmp/x'").reason()).contains("OUTFILE");
    }

    @Test
    void strictestPartOfMultiStatementGivesKindAndReason() {
        Classification c = classify("SELECT 1; SELECT * FROM t FOR UPDATE; SELECT 2");
        assertThat(c.kind()).isEqualTo(StatementKind.LOCKING_READ);
        assertThat(c.reason()).isEqualTo("multi-statement: locking read (FOR UPDATE)");
    }

    @Test
    void hintsApplyToTheWholeMultiStatement() {
        Classification c = classify("/* rwsplit:primary */ SELECT 1; SELECT 2");
        assertThat(c.hint().target()).isEqualTo(Hint.Target.PRIMARY);
    }

    @Test
    void unterminatedTextIsUnknownButKeepsItsHint() {
        Classification c = classify("/* rwsplit:replica */ SELECT 'abc");
        assertThat(c.kind()).isEqualTo(StatementKind.UNKNOWN);
        assertThat(c.reason()).contains("unterminated");
        assertThat(c.hint().target()).isEqualTo(Hint.Target.REPLICA);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", ";", " ; ; ", "/* only a comment */", "-- nothing\n"})
    void emptyTextIsUnknownStatement(String sql) {
        Classification c = classify(sql);
        assertThat(c.kind()).isEqualTo(StatementKind.UNKNOWN);
        assertThat(c.reason()).isEqualTo("empty statement");
    }

    // ---- fast path or parser ----

    @Test
    void statementsWithAKnownFirstKeywordAreDecidedByTheFastPath() {
        assertThat(classify("SELECT * FROM t").decidedBy()).isEqualTo(Classification.DecidedBy.FAST_PATH);
        assertThat(classify("INSERT INTO t VALUES (1)").decidedBy())
                .isEqualTo(Classification.DecidedBy.FAST_PATH);
    }

    @Test
    void cteAndUnknownKeywordsAreDecidedByTheParser() {
        Classification read = classify("WITH a AS (SELECT 1) SELECT * FROM a");
        assertThat(read.decidedBy()).isEqualTo(Classification.DecidedBy.PARSER);
        assertThat(read.kind()).isEqualTo(StatementKind.READ);
        Classification write = classify("WITH a AS (SELECT 1 AS id) DELETE FROM t WHERE id IN (SELECT id FROM a)");
        assertThat(write.decidedBy()).isEqualTo(Classification.DecidedBy.PARSER);
        assertThat(write.kind()).isEqualTo(StatementKind.WRITE);
    }

    @Test
    void cteReadIsStillScannedForLockingClauses() {
        Classification c = classify("WITH a AS (SELECT 1) SELECT * FROM a FOR UPDATE");
        assertThat(c.kind()).isEqualTo(StatementKind.LOCKING_READ);
        assertThat(c.decidedBy()).isEqualTo(Classification.DecidedBy.PARSER);
    }

    @Test
    void unparseableTextIsUnknownAndNamesItsFirstWord() {
        Classification c = classify("FROBNICATE the database");
        assertThat(c.kind()).isEqualTo(StatementKind.UNKNOWN);
        assertThat(c.reason()).contains("unparseable").contains("FROBNICATE");
        assertThat(c.decidedBy()).isEqualTo(Classification.DecidedBy.PARSER);
    }

    @Test
    void multiStatementWithAnyParsedPartIsDecidedByTheParser() {
        assertThat(classify("SELECT 1; WITH a AS (SELECT 1) SELECT * FROM a").decidedBy())
                .isEqualTo(Classification.DecidedBy.PARSER);
        assertThat(classify("SELECT 1; SELECT 2").decidedBy()).isEqualTo(Classification.DecidedBy.FAST_PATH);
    }

    // ---- the classification cache ----

    @Test
    void sameTextGivesTheSameCachedInstance() {
        try (StatementClassifier c = StatementClassifier.withDefaults()) {
            Classification first = c.classify("SELECT * FROM orders WHERE id = 1");
            assertThat(c.classify("SELECT * FROM orders WHERE id = 1")).isSameAs(first);
        }
    }

    @Test
    void classifyUncachedNeitherReadsNorFillsTheCache() {
        try (StatementClassifier c = StatementClassifier.withDefaults()) {
            String sql = "SELECT * FROM orders WHERE id = 2";
            Classification uncached = c.classifyUncached(sql);
            Classification cached = c.classify(sql);
            assertThat(cached).as("the uncached call did not fill the cache").isNotSameAs(uncached)
                    .isEqualTo(uncached);
            assertThat(c.classifyUncached(sql)).as("the uncached call did not read the cache")
                    .isNotSameAs(cached).isEqualTo(cached);
            assertThat(c.classify(sql)).isSameAs(cached);
        }
    }

    @Test
    void statementsLongerThanTheLimitAreNotCached() {
        try (StatementClassifier c = new StatementClassifier(new ClassifierConfig(100, 20, 65_536,
                Duration.ofMillis(250)))) {
            String longSql = "SELECT * FROM orders WHERE id = 3"; // 33 characters
            Classification first = c.classify(longSql);
            assertThat(c.classify(longSql)).isNotSameAs(first).isEqualTo(first);
            String shortSql = "SELECT 1";
            assertThat(c.classify(shortSql)).isSameAs(c.classify(shortSql));
        }
    }

    @Test
    void statementExactlyAtTheLimitIsCached() {
        try (StatementClassifier c = new StatementClassifier(new ClassifierConfig(100, 8, 65_536,
                Duration.ofMillis(250)))) {
            assertThat(c.classify("SELECT 1")).isSameAs(c.classify("SELECT 1"));
        }
    }

    @Test
    void cacheSizeZeroTurnsTheCacheOff() {
        try (StatementClassifier c = new StatementClassifier(new ClassifierConfig(0, 4096, 65_536,
                Duration.ofMillis(250)))) {
            assertThat(c.classify("SELECT 1")).isNotSameAs(c.classify("SELECT 1"));
        }
    }
}
