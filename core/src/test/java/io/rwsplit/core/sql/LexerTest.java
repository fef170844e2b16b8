package io.rwsplit.core.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the lexer makes of statement text: which parts are code, literals, quoted names, variables
 * and comments, when text is unterminated, and which routing hints the comments carry.
 */
class LexerTest {

    /** "TYPE:text" per token, e.g. {@code WORD:SELECT}. */
    private static List<String> tokens(String sql) {
        Tokens t = Lexer.scan(sql);
        List<String> out = new ArrayList<>(t.count);
        for (int i = 0; i < t.count; i++) {
            out.add(t.type(i) + ":" + t.text(i));
        }
        return out;
    }

    private static Hint hint(String sql) {
        return Lexer.scan(sql).hint;
    }

    // ---- literals and quoted names ----

    @Test
    void backslashEscapedQuoteStaysInsideTheString() {
        assertThat(tokens("SELECT 'it\\'s FOR UPDATE' FROM t")).containsExactly("WORD:SELECT",
                "STRING:'it\\'s FOR UPDATE'", "WORD:FROM", "WORD:t");
    }

    @Test
    void doubledQuoteStaysInsideTheString() {
        assertThat(tokens("SELECT 'it''s', \"say \"\"hi\"\"\"")).containsExactly("WORD:SELECT",
                "STRING:'it''s'", "COMMA:,", "STRING:\"say \"\"hi\"\"\"");
    }

    @Test
    void stringValueRemovesQuotesAndEscapes() {
        Tokens t = Lexer.scan("'it''s' 'a\\'b' \"x\"\"y\"");
        assertThat(t.stringValue(0)).isEqualTo("it's");
        assertThat(t.stringValue(1)).isEqualTo("a'b");
        assertThat(t.stringValue(2)).isEqualTo("x\"y");
    }

    @Test
    void backtickIdentifierWithDoubledBacktickIsOneQuotedName() {
        Tokens t = Lexer.scan("SELECT * FROM `we``ird update`");
        assertThat(tokens("SELECT * FROM `we``ird update`")).containsExactly("WORD:SELECT", "OTHER:*",
                "WORD:FROM", "QUOTED_ID:`we``ird update`");
        assertThat(t.identifier(3)).isEqualTo("we`ird update");
    }

    @Test
    void backslashDoesNotEscapeInsideBackticks() {
        // `a\` is a complete identifier: the backslash is an ordinary character there
        assertThat(tokens("SELECT `a\\` FROM t")).containsExactly("WORD:SELECT", "QUOTED_ID:`a\\`", "WORD:FROM",
                "WORD:t");
    }

    @Test
    void keywordsInsideLiteralsAreNotWords() {
        assertThat(tokens("SELECT 'FOR UPDATE', `update`")).containsExactly("WORD:SELECT",
                "STRING:'FOR UPDATE'", "COMMA:,", "QUOTED_ID:`update`");
    }

    @Test
    void digitsAreNumbersAndMixedWordsAreWords() {
        assertThat(tokens("SELECT 42, 1e5, 0x1F, t1")).containsExactly("WORD:SELECT", "NUMBER:42", "COMMA:,",
                "WORD:1e5", "COMMA:,", "WORD:0x1F", "COMMA:,", "WORD:t1");
    }

    // ---- comments ----

    @Test
    void doubleDashFollowedBySpaceIsAComment() {
        assertThat(tokens("SELECT 1 -- FOR UPDATE\nFROM t")).containsExactly("WORD:SELECT", "NUMBER:1",
                "WORD:FROM", "WORD:t");
    }

    @Test
    void doubleDashFollowedByTabOrAtTheEndIsAComment() {
        assertThat(tokens("SELECT 1 --\tFOR UPDATE")).containsExactly("WORD:SELECT", "NUMBER:1");
        assertThat(tokens("SELECT 1 --")).containsExactly("WORD:SELECT", "NUMBER:1");
    }

    @Test
    void doubleDashFollowedByADigitIsArithmetic() {
        assertThat(tokens("SELECT 5--1")).containsExactly("WORD:SELECT", "NUMBER:5", "OTHER:-", "OTHER:-",
                "NUMBER:1");
    }

    @Test
    void hashCommentRunsToTheEndOfTheLine() {
        assertThat(tokens("SELECT 1 # FOR UPDATE\nFROM t")).containsExactly("WORD:SELECT", "NUMBER:1",
                "WORD:FROM", "WORD:t");
    }

    @Test
    void blockCommentIsSkipped() {
        assertThat(tokens("SELECT /* FOR UPDATE */ 1")).containsExactly("WORD:SELECT", "NUMBER:1");
    }

    @Test
    void mysqlExecutableCommentIsCode() {
        assertThat(tokens("SELECT /*!40101 SQL_NO_CACHE */ 1")).containsExactly("WORD:SELECT",
                "WORD:SQL_NO_CACHE", "NUMBER:1");
    }

    @Test
    void mariadbExecutableCommentIsCode() {
        assertThat(tokens("/*M!100300 SELECT */ 1")).containsExactly("WORD:SELECT", "NUMBER:1");
    }

    @Test
    void executableCommentWithoutVersionIsCode() {
        assertThat(tokens("SELECT 1 /*! FOR UPDATE */")).containsExactly("WORD:SELECT", "NUMBER:1", "WORD:FOR",
                "WORD:UPDATE");
    }

    @Test
    void commentMarkersInsideStringsAreText() {
        assertThat(tokens("SELECT '-- x', '# y', '/* z */'")).containsExactly("WORD:SELECT", "STRING:'-- x'",
                "COMMA:,", "STRING:'# y'", "COMMA:,", "STRING:'/* z */'");
    }

    // ---- variables and accounts ----

    @Test
    void atNameIsAUserVariable() {
        assertThat(tokens("SELECT @a, @`b c`, @'d'")).containsExactly("WORD:SELECT", "USER_VAR:@a", "COMMA:,",
                "USER_VAR:@`b c`", "COMMA:,", "USER_VAR:@'d'");
    }

    @Test
    void doubleAtIsASystemVariableIncludingItsScope() {
        assertThat(tokens("SELECT @@session.sql_mode, @@version, @@GLOBAL.`x`")).containsExactly("WORD:SELECT",
                "SYS_VAR:@@session.sql_mode", "COMMA:,", "SYS_VAR:@@version", "COMMA:,", "SYS_VAR:@@GLOBAL.`x`");
    }

    @Test
    void atAfterAQuotedAccountNameSeparatesTheHost() {
        assertThat(tokens("GRANT SELECT ON *.* TO 'app'@'%'")).endsWith("WORD:TO", "STRING:'app'", "OTHER:@",
                "STRING:'%'");
        assertThat(tokens("DROP USER `app`@`localhost`")).endsWith("QUOTED_ID:`app`", "OTHER:@",
                "QUOTED_ID:`localhost`");
    }

    @Test
    void atWithASpaceBeforeItAfterAStringIsAVariable() {
        assertThat(tokens("SELECT 'x' @a")).containsExactly("WORD:SELECT", "STRING:'x'", "USER_VAR:@a");
    }

    @Test
    void loneAtIsPunctuation() {
        assertThat(tokens("SELECT @")).containsExactly("WORD:SELECT", "OTHER:@");
    }

    @Test
    void assignmentOperatorIsOneToken() {
        assertThat(tokens("SELECT @a := 1")).containsExactly("WORD:SELECT", "USER_VAR:@a", "ASSIGN::=",
                "NUMBER:1");
    }

    // ---- unterminated text ----

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 'abc", "SELECT \"abc", "SELECT `abc", "SELECT 'ends in backslash\\'",
        "SELECT 1 /* no end", "SELECT /*!40101 SQL_NO_CACHE 1", "SELECT @'abc", "SELECT @@session.`x"})
    void unterminatedTextIsFlagged(String sql) {
        assertThat(Lexer.scan(sql).unterminated).as(sql).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 'abc'", "SELECT 1 /* c */", "SELECT 1 -- no newline needed",
        "SELECT 1 # to the end", "SELECT /*!40101 1 */"})
    void completeTextIsNotFlagged(String sql) {
        assertThat(Lexer.scan(sql).unterminated).as(sql).isFalse();
    }

    // ---- parenthesis depth ----

    @Test
    void depthCountsOpenParenthesesAndAPairSitsAtTheOuterDepth() {
        Tokens t = Lexer.scan("f((a), b)");
        // f ( ( a ) , b )
        assertThat(t.depth(0)).isZero();
        assertThat(t.depth(1)).isZero();
        assertThat(t.depth(2)).isEqualTo(1);
        assertThat(t.depth(3)).isEqualTo(2);
        assertThat(t.depth(4)).isEqualTo(1);
        assertThat(t.depth(5)).isEqualTo(1);
        assertThat(t.depth(7)).isZero();
    }

    @Test
    void strayClosingParenthesisDoesNotGoNegative() {
        Tokens t = Lexer.scan(") ; x");
        assertThat(t.depth(1)).isZero();
    }

    // ---- routing hints ----

    @Test
    void blockCommentHintIsRead() {
        assertThat(hint("SELECT /* rwsplit:primary */ 1")).isEqualTo(new Hint(Hint.Target.PRIMARY, null));
        assertThat(hint("SELECT /* rwsplit:replica */ 1")).isEqualTo(new Hint(Hint.Target.REPLICA, null));
    }

    @Test
    void masterAndSlaveAreSynonyms() {
        assertThat(hint("/* RWSPLIT:MASTER */ SELECT 1").target()).isEqualTo(Hint.Target.PRIMARY);
        assertThat(hint("/* rwsplit:slave */ SELECT 1").target()).isEqualTo(Hint.Target.REPLICA);
    }

    @Test
    void lineCommentHintsAreRead() {
        assertThat(hint("SELECT 1 -- rwsplit:primary").target()).isEqualTo(Hint.Target.PRIMARY);
        assertThat(hint("SELECT 1 # rwsplit:replica\n").target()).isEqualTo(Hint.Target.REPLICA);
    }

    @Test
    void noHintWithoutTheMarker() {
        assertThat(hint("SELECT /* primary please */ 1")).isEqualTo(Hint.NONE);
        assertThat(hint("SELECT 1")).isEqualTo(Hint.NONE);
    }

    @Test
    void optimizerHintCommentIsNotARoutingHint() {
        assertThat(hint("SELECT /*+ rwsplit:primary */ 1")).isEqualTo(Hint.NONE);
    }

    @Test
    void hintInsideAStringIsText() {
        assertThat(hint("SELECT '/* rwsplit:primary */'")).isEqualTo(Hint.NONE);
    }

    @Test
    void primaryWinsOverReplicaWhateverTheOrder() {
        assertThat(hint("/* rwsplit:replica */ SELECT 1 /* rwsplit:primary */").target())
                .isEqualTo(Hint.Target.PRIMARY);
        assertThat(hint("/* rwsplit:primary, rwsplit:replica */ SELECT 1").target())
                .isEqualTo(Hint.Target.PRIMARY);
    }

    @Test
    void severalHintsInOneCommentCombine() {
        assertThat(hint("SELECT /* rwsplit:replica rwsplit:max_lag=2s */ 1"))
                .isEqualTo(new Hint(Hint.Target.REPLICA, Duration.ofSeconds(2)));
    }

    @Test
    void smallestMaxLagWinsAcrossComments() {
        assertThat(hint("SELECT /* rwsplit:max_lag=2s */ 1 # rwsplit:max_lag=500ms").maxLag())
                .isEqualTo(Duration.ofMillis(500));
        assertThat(hint("SELECT /* rwsplit:max_lag=500ms */ 1 # rwsplit:max_lag=2s").maxLag())
                .isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void maxLagAcceptsMillisecondsSecondsMinutesAndBareNumbers() {
        assertThat(hint("/* rwsplit:max_lag=500ms */ SELECT 1").maxLag()).isEqualTo(Duration.ofMillis(500));
        assertThat(hint("/* rwsplit:max_lag=2s */ SELECT 1").maxLag()).isEqualTo(Duration.ofSeconds(2));
        assertThat(hint("/* rwsplit:max_lag=1.5s */ SELECT 1").maxLag()).isEqualTo(Duration.ofMillis(1500));
        assertThat(hint("/* rwsplit:max_lag=1m */ SELECT 1").maxLag()).isEqualTo(Duration.ofMinutes(1));
        assertThat(hint("/* rwsplit:max_lag=250 */ SELECT 1").maxLag()).isEqualTo(Duration.ofMillis(250));
        assertThat(hint("/* rwsplit:MAX_LAG=3S */ SELECT 1").maxLag()).isEqualTo(Duration.ofSeconds(3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "", "-1s", "ms", "NaN", "Infinity", "1h", "s1", "1..5s"})
    void malformedMaxLagIsIgnored(String value) {
        assertThat(hint("/* rwsplit:max_lag=" + value + " */ SELECT 1")).as(value).isEqualTo(Hint.NONE);
    }

    @Test
    void malformedMaxLagDoesNotSpoilTheOtherHints() {
        assertThat(hint("/* rwsplit:max_lag=soon rwsplit:replica */ SELECT 1"))
                .isEqualTo(new Hint(Hint.Target.REPLICA, null));
    }

    @Test
    void hintSurvivesAnUnterminatedStatementLaterOn() {
        Tokens t = Lexer.scan("/* rwsplit:primary */ SELECT 'abc");
        assertThat(t.unterminated).isTrue();
        assertThat(t.hint.target()).isEqualTo(Hint.Target.PRIMARY);
    }
}
