package io.rwsplit.core.sql;

import io.rwsplit.core.config.ClassifierConfig;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Turns statement text into a {@link Classification}: the cache first, then the token-level fast
 * path ({@link FastPath}), then JSqlParser ({@link ParserPath}) for what the fast path leaves
 * open. Text with several statements is split at top-level semicolons and takes the strictest
 * part's route. Thread-safe; one instance serves a whole front end. Closing it stops the parser's
 * worker threads.
 */
public final class StatementClassifier implements AutoCloseable {

    private final ClassifierConfig config;
    private final ClassificationCache cache;
    private final ParserPath parser;
    private final ExecutorService parserThreads;

    public StatementClassifier(ClassifierConfig config) {
        this.config = config;
        this.cache = config.cacheSize() > 0 ? new ClassificationCache(config.cacheSize()) : null;
        this.parserThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "rwsplit-sql-parser");
            t.setDaemon(true);
            return t;
        });
        this.parser = new ParserPath(parserThreads, config.maxParseLength(), config.parseTimeout());
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
        if (cache != null && sql.length() <= config.maxCachedLength()) {
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
