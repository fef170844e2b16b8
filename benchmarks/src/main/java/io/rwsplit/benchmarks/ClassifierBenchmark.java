package io.rwsplit.benchmarks;

import io.rwsplit.core.sql.Classification;
import io.rwsplit.core.sql.StatementClassifier;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.statement.Statement;
import org.apache.shardingsphere.infra.database.core.type.DatabaseType;
import org.apache.shardingsphere.infra.parser.ShardingSphereSQLParserEngine;
import org.apache.shardingsphere.infra.spi.type.typed.TypedSPILoader;
import org.apache.shardingsphere.sql.parser.api.CacheOption;
import org.apache.shardingsphere.sql.parser.statement.core.statement.SQLStatement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The statement classifier's three paths, and JSqlParser parsing the same text as the peer
 * baseline (a router built on a full parser pays at least that per statement): through
 * {@code CCJSqlParserUtil.parse(String)} as an application calls it, on a reused executor as the
 * classifier's parser path calls it, and in the calling thread to show the parse without the
 * thread handoff. And ShardingSphere's SQL parser (ANTLR, MySQL grammar) as ShardingSphere-JDBC
 * calls it: uncached for every text statement, from its cache for a prepared one.
 *
 * <p>On the cached path the cost of a String matters as much as the lookup: a String caches its
 * hash, so looking up the same instance again skips hashing. The proxy builds a new String from
 * the packet's bytes for every statement, so it hashes every time. Hence:
 * {@code cached} looks up an equal String whose hash is already known (a JDBC application
 * passing the same String again), {@code cachedNewString} decodes the UTF-8 bytes and looks the
 * new String up (the proxy), and {@code newString} only decodes and {@code newStringHashed}
 * decodes and hashes, to be subtracted.
 *
 * <p>JMH subclasses {@code @State} classes, so they cannot be final.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ClassifierBenchmark {

    /**
     * JSqlParser's generated parser needs about 8 s of this loop before its times settle (3
     * iterations of 2 s leave it up to 1.5 times as slow as at rest), so whatever calls it warms longer.
     */
    private static final int PARSER_WARMUP_ITERATIONS = 8;

    /** One classifier for all threads, as a front end has. */
    private StatementClassifier classifier;
    /** Worker threads for the pooled JSqlParser baseline, as the classifier keeps its own. */
    private ExecutorService parserThreads;
    /** ShardingSphere's parser for MySQL, with its driver's default cache sizes. */
    private ShardingSphereSQLParserEngine shardingsphere;

    @Setup
    public void setUp() {
        classifier = StatementClassifier.withDefaults();
        parserThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "benchmark-jsqlparser");
            t.setDaemon(true);
            return t;
        });
        // SQLParserRule's defaults: statements 2000 initial / 65535 at most, parse trees 128 / 1024
        shardingsphere = new ShardingSphereSQLParserEngine(TypedSPILoader.getService(DatabaseType.class, "MySQL"),
                new CacheOption(2000, 65535), new CacheOption(128, 1024));
        for (String name : Workload.names()) {
            String sql = Workload.sql(name);
            // the fast/parser split is what the benchmark names promise: fail loudly if it moved
            Classification c = classifier.classify(sql);
            Classification.DecidedBy expected = Workload.isParserPath(name) ? Classification.DecidedBy.PARSER
                    : Classification.DecidedBy.FAST_PATH;
            if (c.decidedBy() != expected) {
                throw new IllegalStateException(name + " is decided by " + c.decidedBy() + ", expected " + expected);
            }
            if (classifier.classify(new String(sql.toCharArray())) != c) {
                throw new IllegalStateException(name + " is not served from the cache");
            }
            // fills ShardingSphere's cache for shardingsphereCached, and fails on a statement it cannot parse
            SQLStatement parsed = shardingsphere.parse(sql, true);
            if (shardingsphere.parse(new String(sql.toCharArray()), true) != parsed) {
                throw new IllegalStateException(name + " is not served from ShardingSphere's cache");
            }
        }
    }

    @TearDown
    public void tearDown() {
        classifier.close();
        parserThreads.shutdownNow();
    }

    /** The statement text in the shapes the benchmarks feed it. */
    abstract static class Input {
        /** The text the cache was warmed with. */
        String sql;
        /** Equal to {@link #sql} but another instance, so a cache hit compares all characters. */
        String equalCopy;
        /** The text as it arrives in a COM_QUERY packet. */
        byte[] utf8;

        void prepare(String name) {
            sql = Workload.sql(name);
            equalCopy = new String(sql.toCharArray());
            equalCopy.hashCode(); // cached in the String from now on: `cached` measures no hashing
            utf8 = sql.getBytes(StandardCharsets.UTF_8);
        }
    }

    @State(Scope.Thread)
    public static class AnyStatement extends Input {
        @Param({"point_select", "join_select", "insert", "update", "select_for_update", "set_names", "begin",
            "commit", "string_literal", "multi_statement", "cte", "cte_recursive"})
        public String statement;

        @Setup
        public void setUp() {
            prepare(statement);
        }
    }

    @State(Scope.Thread)
    public static class FastPathStatement extends Input {
        @Param({"point_select", "join_select", "insert", "update", "select_for_update", "set_names", "begin",
            "commit", "string_literal", "multi_statement"})
        public String statement;

        @Setup
        public void setUp() {
            if (Workload.isParserPath(statement)) {
                throw new IllegalArgumentException(statement + " takes the parser path");
            }
            prepare(statement);
        }
    }

    @State(Scope.Thread)
    public static class ParserPathStatement extends Input {
        @Param({"cte", "cte_recursive"})
        public String statement;

        @Setup
        public void setUp() {
            if (!Workload.isParserPath(statement)) {
                throw new IllegalArgumentException(statement + " takes the fast path");
            }
            prepare(statement);
        }
    }

    /**
     * What JSqlParser 5.4 reads as one statement: it rejects {@code BEGIN}, and {@code parse}
     * stops after the first statement of a multi-statement text, so neither compares.
     */
    @State(Scope.Thread)
    public static class ParseableStatement extends Input {
        @Param({"point_select", "join_select", "insert", "update", "select_for_update", "set_names", "commit",
            "string_literal", "cte", "cte_recursive"})
        public String statement;

        @Setup
        public void setUp() {
            prepare(statement);
        }
    }

    /**
     * What ShardingSphere's MySQL parser reads: all but the multi-statement text, of which it
     * returns the first statement only (an UPDATE; the SELECT after the semicolon is not in the
     * result), as JSqlParser's {@code parse} does. Unlike JSqlParser it reads {@code BEGIN}.
     */
    @State(Scope.Thread)
    public static class ShardingSphereStatement extends Input {
        @Param({"point_select", "join_select", "insert", "update", "select_for_update", "set_names", "begin",
            "commit", "string_literal", "cte", "cte_recursive"})
        public String statement;

        @Setup
        public void setUp() {
            prepare(statement);
        }
    }

    /** A cache hit with the hash already known: lookup plus a full {@code equals}. */
    @Benchmark
    public Classification cached(AnyStatement in) {
        return classifier.classify(in.equalCopy);
    }

    /** What the proxy does per statement: decode the packet's bytes, hash, look up. */
    @Benchmark
    public Classification cachedNewString(AnyStatement in) {
        return classifier.classify(new String(in.utf8, StandardCharsets.UTF_8));
    }

    /** The decode alone, to subtract from {@link #cachedNewString}. */
    @Benchmark
    public String newString(AnyStatement in) {
        return new String(in.utf8, StandardCharsets.UTF_8);
    }

    /**
     * The decode and the hash every String-keyed lookup of a new String computes first, to tell
     * the hashing from the cache's own work in {@link #cachedNewString}.
     */
    @Benchmark
    public int newStringHashed(AnyStatement in) {
        return new String(in.utf8, StandardCharsets.UTF_8).hashCode();
    }

    /** A cache miss the lexer and fast path decide. */
    @Benchmark
    public Classification fastPathUncached(FastPathStatement in) {
        return classifier.classifyUncached(in.sql);
    }

    /** A cache miss that goes on to JSqlParser (on the classifier's worker thread) and a token scan. */
    @Benchmark
    @Warmup(iterations = PARSER_WARMUP_ITERATIONS, time = 2)
    public Classification parserPathUncached(ParserPathStatement in) {
        return classifier.classifyUncached(in.sql);
    }

    /**
     * {@code CCJSqlParserUtil.parse(String)}, the call a router built on JSqlParser makes. It starts
     * a new single-thread executor for every statement, so it includes creating a thread.
     */
    @Benchmark
    @Warmup(iterations = PARSER_WARMUP_ITERATIONS, time = 2)
    public Statement jsqlparserRaw(ParseableStatement in) throws JSQLParserException {
        return CCJSqlParserUtil.parse(in.sql);
    }

    /** The same parse on a reused executor, as the classifier's parser path calls it. */
    @Benchmark
    @Warmup(iterations = PARSER_WARMUP_ITERATIONS, time = 2)
    public Statement jsqlparserPooled(ParseableStatement in) throws JSQLParserException {
        return CCJSqlParserUtil.parse(in.sql, parserThreads, null);
    }

    /**
     * The parse alone in the calling thread, as the first (non-complex) attempt of the two calls
     * above runs it on the executor: what is left of JSqlParser's cost without the thread handoff.
     */
    @Benchmark
    @Warmup(iterations = PARSER_WARMUP_ITERATIONS, time = 2)
    public Statement jsqlparserInThread(ParseableStatement in) throws ParseException {
        return CCJSqlParserUtil.newParser(in.sql).withAllowComplexParsing(false).Statement();
    }

    /**
     * ShardingSphere's parse of a text statement: ANTLR's MySQL parser and the visitor that builds
     * its statement object, uncached, in the calling thread. ShardingSphere-JDBC makes this call
     * for every statement run through a {@code java.sql.Statement}, whose literals differ from call
     * to call.
     */
    @Benchmark
    @Warmup(iterations = PARSER_WARMUP_ITERATIONS, time = 2)
    public SQLStatement shardingsphereUncached(ShardingSphereStatement in) {
        return shardingsphere.parse(in.sql, false);
    }

    /**
     * The same from ShardingSphere's statement cache (Caffeine, keyed by the text), as its driver
     * parses a {@code PreparedStatement}'s text: an equal String with its hash known, like
     * {@link #cached}.
     */
    @Benchmark
    public SQLStatement shardingsphereCached(ShardingSphereStatement in) {
        return shardingsphere.parse(in.equalCopy, true);
    }
}
