package io.rwsplit.core.sql;

import io.rwsplit.core.config.ClassifierConfig;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Turns statement text into a {@link Classification}: the cache first, then the token-level fast
 * path ({@link FastPath}), then JSqlParser ({@link ParserPath}) for what the fast path leaves
 * open. Text with several statements is split at top-level semicolons and takes the strictest
 * part's route. Thread-safe; one instance serves a whole front end. Closing it stops the parser's
 * worker threads.
 */
public final class StatementClassifier implements AutoCloseable {

    private static final int PARSER_THREADS = 4;

    private final ClassifierConfig config;
    private final ClassificationCache cache;
    private final ParserPath parser;
    private final ExecutorService parserThreads;

    public StatementClassifier(ClassifierConfig config) {
        this.config = config;
        this.cache = config.cacheSize() > 0 ? new ClassificationCache(config.cacheSize()) : null;
        // bounded: a parse abandoned at its time limit keeps its thread until the parser notices
        this.parserThreads = new ThreadPoolExecutor(0, PARSER_THREADS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(r, "rwsplit-sql-parser");
                    t.setDaemon(true);
                    return t;
                });
        this.parser = new ParserPath(parserThreads, config.maxParseLength(), config.parseTimeout());
        // JSqlParser loads hundreds of classes on its first parse; do it now, not in a caller's time limit
        parserThreads.execute(() -> classifyUncached("WITH w AS (SELECT 1) SELECT * FROM w"));
    }

    public static StatementClassifier withDefaults() {
        return new StatementClassifier(ClassifierConfig.DEFAULTS);
    }

    public Classification classify(String sql) {
        if (cache != null) {
            Classification c = cache.get(sql);
            if (c != null) {
                return c;
            }
        }
        Classification c = classifyUncached(sql);
        // a timed-out parse may succeed next time: only deterministic outcomes are cached
        if (cache != null && sql.length() <= config.maxCachedLength() && !ParserPath.transientOutcome(c)) {
            cache.put(sql, c);
        }
        return c;
    }

    /** Classifies without looking at or filling the cache. */
    public Classification classifyUncached(String sql) {
        Tokens t = Lexer.scan(sql);
        if (t.unterminated) {
            return Classification.fast(StatementKind.UNKNOWN, "unterminated quote or comment").with(t.hint);
        }
        if (isCompound(t)) {
            // the semicolons end statements of the routine's body, which runs later or elsewhere
            Classification whole = part(t, 0, t.count);
            return t.hint.isNone() ? whole : whole.with(t.hint);
        }
        Classification result = null;
        int parts = 0;
        int start = 0;
        for (int i = 0; i <= t.count; i++) {
            if (i == t.count || (t.is(i, TokenType.SEMICOLON) && t.depth(i) == 0)) {
                if (i > start) {
                    Classification part = part(t, start, i);
                    result = result == null ? part : strictest(result, part);
                    parts++;
                }
                start = i + 1;
            }
        }
        if (result == null) {
            return Classification.fast(StatementKind.UNKNOWN, "empty statement").with(t.hint);
        }
        if (parts > 1) {
            result = new Classification(result.kind(), "multi-statement: " + result.reason(), result.effects(),
                    result.hint(), result.decidedBy());
        }
        return t.hint.isNone() ? result : result.with(t.hint);
    }

    /**
     * Whether the text is one compound statement: {@code CREATE ... PROCEDURE|FUNCTION|TRIGGER|EVENT
     * ... BEGIN ... END} or MariaDB's {@code BEGIN NOT ATOMIC ... END}, whose body has semicolons.
     */
    private static boolean isCompound(Tokens t) {
        if (t.is(0, Kw.BEGIN) && t.is(1, Kw.NOT)) {
            return true;
        }
        if (!t.is(0, Kw.CREATE)) {
            return false;
        }
        boolean routine = false;
        for (int i = 1; i < t.count && !(t.is(i, TokenType.SEMICOLON) && t.depth(i) == 0); i++) {
            if (t.is(i, TokenType.WORD)) {
                String w = t.text(i);
                if (w.equalsIgnoreCase("PROCEDURE") || w.equalsIgnoreCase("FUNCTION") || w.equalsIgnoreCase("TRIGGER")
                        || w.equalsIgnoreCase("EVENT")) {
                    routine = true;
                } else if (routine && t.is(i, Kw.BEGIN) && t.depth(i) == 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private Classification part(Tokens t, int from, int to) {
        Classification c = FastPath.classify(t, from, to);
        return c != null ? c : parser.classify(t, from, to);
    }

    /** The stricter of two parts' classifications, with both parts' session effects. */
    private static Classification strictest(Classification a, Classification b) {
        Classification winner = b.kind().strictness() > a.kind().strictness() ? b : a;
        Classification.DecidedBy by = a.decidedBy() == Classification.DecidedBy.PARSER
                || b.decidedBy() == Classification.DecidedBy.PARSER ? Classification.DecidedBy.PARSER
                : Classification.DecidedBy.FAST_PATH;
        return new Classification(winner.kind(), winner.reason(), a.effects().then(b.effects()), winner.hint(), by);
    }

    @Override
    public void close() {
        parserThreads.shutdownNow();
        try {
            parserThreads.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
