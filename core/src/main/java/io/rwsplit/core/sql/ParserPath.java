package io.rwsplit.core.sql;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.update.Update;

/**
 * Decides, with JSqlParser, the statements the fast path does not model: CTEs ({@code WITH ...
 * SELECT} is a read, {@code WITH ... DELETE} a write) and unknown first keywords. The parser only
 * tells the statement's shape; a query it recognises is still scanned token by token for locking
 * clauses and primary-bound functions. JSqlParser has exponential cases, so text over a size limit
 * is not parsed, and a parse over the time limit is abandoned (the parser stops at its next token);
 * either way, and when the text does not parse, the statement goes to the primary.
 */
final class ParserPath {

    /** How the reason of a parse abandoned at the time limit starts; such an outcome depends on load. */
    static final String TIMED_OUT = "parse took longer than ";
    /** How the reason starts when every parser thread is busy; also an outcome of load. */
    static final String BUSY = "parser busy";

    private final ExecutorService executor;
    private final int maxLength;
    private final Duration timeout;

    ParserPath(ExecutorService executor, int maxLength, Duration timeout) {
        this.executor = executor;
        this.maxLength = maxLength;
        this.timeout = timeout;
    }

    Classification classify(Tokens t, int from, int to) {
        String text = t.text(from, to);
        if (text.length() > maxLength) {
            return unknown("too long to parse (" + text.length() + " characters, limit " + maxLength + ")");
        }
        Statement statement;
        try {
            statement = CCJSqlParserUtil.parse(text, executor, p -> p.withTimeOut(timeout.toMillis()));
        } catch (JSQLParserException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("Time out")) {
                return unknown(TIMED_OUT + timeout.toMillis() + " ms");
            }
            return unknown("unparseable" + firstToken(t, from));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            if (executor.isShutdown()) {
                return unknown("unparseable: the classifier is closed and its parser stopped");
            }
            return unknown(BUSY + ": every parser thread is working on an earlier statement");
        } catch (RuntimeException e) {
            return unknown("unparseable" + firstToken(t, from) + " (" + e.getClass().getSimpleName() + ")");
        }
        if (statement instanceof Select) {
            return ReadScan.scan(t, from, to, t.is(from, Kw.WITH) ? "read (CTE)" : "read").by(
                    Classification.DecidedBy.PARSER);
        }
        String type = statement == null ? "empty" : statement.getClass().getSimpleName().toUpperCase(Locale.ROOT);
        if (statement instanceof Insert || statement instanceof Update || statement instanceof Delete) {
            String cte = t.is(from, Kw.WITH) ? " with a CTE" : "";
            return new Classification(StatementKind.WRITE, "write (" + type + cte + ")", SessionEffects.NONE,
                    Hint.NONE, Classification.DecidedBy.PARSER);
        }
        return new Classification(StatementKind.WRITE, "statement type " + type + " goes to the primary",
                SessionEffects.NONE, Hint.NONE, Classification.DecidedBy.PARSER);
    }

    /** Outcomes that depend on load rather than on the text, which must not be cached. */
    static boolean transientOutcome(Classification c) {
        return c.kind() == StatementKind.UNKNOWN && (c.reason().contains(TIMED_OUT) || c.reason().contains(BUSY));
    }

    private static String firstToken(Tokens t, int from) {
        return t.is(from, TokenType.WORD) ? " (starts with " + t.text(from).toUpperCase(Locale.ROOT) + ")" : "";
    }

    private static Classification unknown(String reason) {
        return new Classification(StatementKind.UNKNOWN, reason, SessionEffects.NONE, Hint.NONE,
                Classification.DecidedBy.PARSER);
    }
}
