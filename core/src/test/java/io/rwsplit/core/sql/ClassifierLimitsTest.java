package io.rwsplit.core.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.core.config.ClassifierConfig;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The guards around JSqlParser: text over the size limit is not parsed, a parse over the time limit
 * is abandoned, and either way the statement goes to the primary with a reason saying which limit
 * it hit. Closing the classifier stops its parser threads.
 */
class ClassifierLimitsTest {

    private static final String CTE = "WITH a AS (SELECT 1) SELECT * FROM a";

    private static StatementClassifier classifier(int maxParseLength, Duration timeout) {
        return new StatementClassifier(new ClassifierConfig(0, 4096, maxParseLength, timeout));
    }

    /**
     * A CTE read of about 18,000 characters: 300 terms, each nested 30 parentheses deep. It is
     * valid SQL that JSqlParser takes tens to hundreds of milliseconds to parse even when warmed
     * up, two orders of magnitude more than the 1 ms limit the timeout test sets.
     */
    private static String slowToParse() {
        String term = "(".repeat(30) + "a" + ")".repeat(30);
        return "WITH x AS (SELECT 1 AS a) SELECT " + String.join(" + ", java.util.Collections.nCopies(300, term))
                + " FROM x";
    }

    @Test
    void textOverTheParseLimitIsUnknownAndTheReasonNamesTheLimit() {
        try (StatementClassifier c = classifier(20, Duration.ofSeconds(5))) {
            Classification cl = c.classifyUncached(CTE);
            assertThat(cl.kind()).isEqualTo(StatementKind.UNKNOWN);
            assertThat(cl.reason()).isEqualTo("too long to parse (" + CTE.length() + " characters, limit 20)");
            assertThat(cl.decidedBy()).isEqualTo(Classification.DecidedBy.PARSER);
        }
    }

    @Test
    void textAtTheParseLimitIsParsed() {
        try (StatementClassifier c = classifier(CTE.length(), Duration.ofSeconds(5))) {
            assertThat(c.classifyUncached(CTE).kind()).isEqualTo(StatementKind.READ);
        }
    }

    @Test
    void theParseLimitDoesNotConcernTheFastPath() {
        try (StatementClassifier c = classifier(5, Duration.ofSeconds(5))) {
            assertThat(c.classifyUncached("SELECT * FROM orders WHERE id = 1").kind()).isEqualTo(StatementKind.READ);
        }
    }

    @Test
    void theParseLimitAppliesToEachPartOfAMultiStatement() {
        try (StatementClassifier c = classifier(CTE.length(), Duration.ofSeconds(5))) {
            Classification cl = c.classifyUncached(CTE + "; " + CTE);
            assertThat(cl.kind()).isEqualTo(StatementKind.READ);
        }
    }

    @Test
    void aParseOverTheTimeLimitIsAbandonedAndTheStatementIsUnknown() {
        String sql = slowToParse();
        try (StatementClassifier c = classifier(1_000_000, Duration.ofMillis(1))) {
            Classification cl = c.classifyUncached(sql);
            assertThat(cl.kind()).isEqualTo(StatementKind.UNKNOWN);
            assertThat(cl.reason()).isEqualTo("parse took longer than 1 ms");
        }
    }

    @Test
    void theSlowStatementIsAReadWhenGivenTime() {
        // shows the timeout test's statement is valid: only the time limit made it unknown
        try (StatementClassifier c = classifier(1_000_000, Duration.ofSeconds(60))) {
            Classification cl = c.classifyUncached(slowToParse());
            assertThat(cl.kind()).isEqualTo(StatementKind.READ);
            assertThat(cl.reason()).isEqualTo("read (CTE)");
        }
    }

    @Test
    void closeStopsTheParserThreads() throws InterruptedException {
        Set<Thread> before = parserThreads();
        StatementClassifier c = classifier(65_536, Duration.ofSeconds(5));
        assertThat(c.classifyUncached(CTE).decidedBy()).isEqualTo(Classification.DecidedBy.PARSER);
        Set<Thread> mine = new HashSet<>(parserThreads());
        mine.removeAll(before);
        assertThat(mine).as("the parse ran on a parser thread of this classifier").isNotEmpty();

        c.close();

        for (Thread t : mine) {
            t.join(5_000);
            assertThat(t.isAlive()).as(t + " still running after close()").isFalse();
        }
    }

    @Test
    void afterCloseTheFastPathStillWorksAndParsedTextGoesToThePrimary() {
        StatementClassifier c = classifier(65_536, Duration.ofSeconds(5));
        c.close();
        assertThat(c.classifyUncached("SELECT 1").kind()).isEqualTo(StatementKind.READ);
        Classification cl = c.classifyUncached(CTE);
        assertThat(cl.kind()).isEqualTo(StatementKind.UNKNOWN);
        assertThat(cl.reason()).startsWith("unparseable");
    }

    private static Set<Thread> parserThreads() {
        List<Thread> all = List.copyOf(Thread.getAllStackTraces().keySet());
        return all.stream().filter(t -> t.getName().equals("rwsplit-sql-parser") && t.isAlive())
                .collect(Collectors.toSet());
    }
}
