package io.rwsplit.core.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.core.config.ClassifierConfig;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Classifier bugs found while writing LexerTest and ClassifierEffectsTest; each fails against the unfixed code. */
class ClassifierBugsTest {

    private static final StatementClassifier CLASSIFIER = StatementClassifier.withDefaults();

    @AfterAll
    static void close() {
        CLASSIFIER.close();
    }

    // Bug E: "@" right after a keyword is taken for an account's host separator.

    @Test
    void userVariableRightAfterSelectIsAUserVariable() {
        Tokens t = Lexer.scan("SELECT@a");
        assertThat(t.type(1)).isEqualTo(TokenType.USER_VAR);
        assertThat(CLASSIFIER.classifyUncached("SELECT@a").kind()).isEqualTo(StatementKind.PRIMARY_READ);
    }

    @Test
    void assignmentRightAfterSelectPinsTheVariable() {
        Classification c = CLASSIFIER.classifyUncached("SELECT@n:=@n+1 FROM t");
        assertThat(c.kind()).isEqualTo(StatementKind.PRIMARY_ONLY);
        assertThat(c.effects().pins()).containsExactly(Pin.of(PinKind.USER_VARIABLE, "@n"));
    }

    @Test
    void userVariableRightAfterAndOrWhereIsAUserVariable() {
        assertThat(CLASSIFIER.classifyUncached("SELECT * FROM t WHERE a = 1 AND@b = 2").kind())
                .isEqualTo(StatementKind.PRIMARY_READ);
        assertThat(CLASSIFIER.classifyUncached("SELECT * FROM t WHERE@b = 2").kind())
                .isEqualTo(StatementKind.PRIMARY_READ);
    }

    // Bug F: max_lag values with a Java float suffix are read as milliseconds instead of ignored.

    @ParameterizedTest
    @ValueSource(strings = {"1d", "2f", "1.5D", "0x1p4"})
    void maxLagWithAnUnknownSuffixIsIgnored(String value) {
        assertThat(Lexer.scan("/* rwsplit:max_lag=" + value + " */ SELECT 1").hint).as(value).isEqualTo(Hint.NONE);
    }

    // Bug H: the body of a compound statement is split at its semicolons and its statements' session
    // effects are applied to the session that created the routine.

    @Test
    void localVariableInAProcedureBodyIsNotATrackedSessionSetting() {
        Classification c = CLASSIFIER.classifyUncached(
                "CREATE PROCEDURE p() BEGIN DECLARE total INT; SET total = 0; SELECT total; END");
        assertThat(c.kind()).isEqualTo(StatementKind.WRITE);
        assertThat(c.effects().variables()).as("SET SESSION total = 0 fails on every other backend").isEmpty();
        assertThat(c.effects().implicitCommit()).isTrue();
    }

    @Test
    void userVariableInATriggerBodyDoesNotPinTheSession() {
        Classification c = CLASSIFIER.classifyUncached(
                "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; SET @last = NEW.id; END");
        assertThat(c.effects().pins()).isEmpty();
    }

    @Test
    void transactionStatementsInAProcedureBodyDoNotOpenATransaction() {
        Classification c = CLASSIFIER.classifyUncached(
                "CREATE DEFINER = `app`@`%` PROCEDURE p() BEGIN UPDATE t SET a = 1; START TRANSACTION READ ONLY; "
                        + "SELECT 1; END");
        assertThat(c.effects().transaction()).isNull();
    }

    @Test
    void mariadbAnonymousBlockHasNoEffectsOfItsBody() {
        Classification c = CLASSIFIER.classifyUncached("BEGIN NOT ATOMIC DECLARE x INT; SET x = 1; SET autocommit = 1; END");
        assertThat(c.kind()).isEqualTo(StatementKind.WRITE);
        assertThat(c.effects().variables()).isEmpty();
        assertThat(c.effects().autocommit()).isNull();
    }

    @Test
    void ordinaryMultiStatementTextIsStillSplit() {
        Classification c = CLASSIFIER.classifyUncached("CREATE TABLE t (id INT); SET time_zone = 'UTC'");
        assertThat(c.effects().variables()).containsOnlyKeys("time_zone");
        Classification begin = CLASSIFIER.classifyUncached("BEGIN; SET @x = 1");
        assertThat(begin.effects().pins()).containsExactly(Pin.of(PinKind.USER_VARIABLE, "@x"));
    }

    // Bug I: a parse that timed out (which depends on load: a GC pause, a busy CPU) is cached, so
    // that statement goes to the primary for as long as it stays in use.

    @Test
    void timedOutParseIsNotCached() {
        String term = "(".repeat(30) + "a" + ")".repeat(30);
        String slow = "WITH x AS (SELECT 1 AS a) SELECT " + String.join(" + ", java.util.Collections.nCopies(300, term))
                + " FROM x";
        try (StatementClassifier c = new StatementClassifier(new ClassifierConfig(100, 1_000_000, 1_000_000,
                Duration.ofMillis(1)))) {
            Classification first = c.classify(slow);
            assertThat(first.reason()).isEqualTo("parse took longer than 1 ms");
            assertThat(c.classify(slow)).as("parsed again next time").isNotSameAs(first);
            assertThat(c.classify("SELECT 1")).as("other results are cached").isSameAs(c.classify("SELECT 1"));
        }
    }
}
