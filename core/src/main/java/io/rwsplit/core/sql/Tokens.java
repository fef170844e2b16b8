package io.rwsplit.core.sql;

import java.util.Arrays;

/**
 * The tokens of one statement text, as parallel arrays of offsets into the text: no token objects
 * and no substrings, so scanning a statement allocates a handful of arrays and nothing per token.
 * Comments and whitespace are gone; executable comments ({@code /*!40101 ... *&#47;}) are code.
 */
final class Tokens {

    private static final TokenType[] TYPES = TokenType.values();

    final String sql;
    int count;
    private byte[] type;
    private int[] start;
    private int[] end;
    private int[] hash;
    /** Parenthesis nesting depth the token is at (a pair of parentheses is at the outer depth). */
    private int[] depth;

    Hint hint = Hint.NONE;
    /** A quote, backtick or comment that never closes. */
    boolean unterminated;

    Tokens(String sql) {
        this.sql = sql;
        // statements run about one token per four characters: sized so that most never grow
        int capacity = Math.max(16, Math.min(4096, sql.length() / 4 + 8));
        type = new byte[capacity];
        start = new int[capacity];
        end = new int[capacity];
        hash = new int[capacity];
        depth = new int[capacity];
    }

    void add(TokenType t, int from, int to, int h, int d) {
        if (count == type.length) {
            int n = count * 2;
            type = Arrays.copyOf(type, n);
            start = Arrays.copyOf(start, n);
            end = Arrays.copyOf(end, n);
            hash = Arrays.copyOf(hash, n);
            depth = Arrays.copyOf(depth, n);
        }
        type[count] = (byte) t.ordinal();
        start[count] = from;
        end[count] = to;
        hash[count] = h;
        depth[count] = d;
        count++;
    }

    TokenType type(int i) {
        return i >= 0 && i < count ? TYPES[type[i]] : null;
    }

    boolean is(int i, TokenType t) {
        return i >= 0 && i < count && type[i] == t.ordinal();
    }

    /** Whether token {@code i} is the word {@code kw}, in any letter case. */
    boolean is(int i, Kw kw) {
        return i >= 0 && i < count && type[i] == TokenType.WORD.ordinal() && hash[i] == kw.hash
                && end[i] - start[i] == kw.text.length() && sql.regionMatches(true, start[i], kw.text, 0,
                        kw.text.length());
    }

    /** Whether token {@code i} is the word {@code kw} immediately followed by an opening parenthesis. */
    boolean isCall(int i, Kw kw) {
        return is(i, kw) && is(i + 1, TokenType.LPAREN);
    }

    int start(int i) {
        return start[i];
    }

    int end(int i) {
        return end[i];
    }

    int hash(int i) {
        return hash[i];
    }

    int depth(int i) {
        return depth[i];
    }

    String text(int i) {
        return sql.substring(start[i], end[i]);
    }

    /** The source text from token {@code from} to token {@code to} (exclusive), comments included. */
    String text(int from, int to) {
        return from >= to ? "" : sql.substring(start[from], end[to - 1]);
    }

    /** An identifier's name: backticks and doubled backticks removed; a word as written. */
    String identifier(int i) {
        if (is(i, TokenType.QUOTED_ID)) {
            return sql.substring(start[i] + 1, end[i] - 1).replace("``", "`");
        }
        return text(i);
    }

    /** A string literal's value, quotes and escapes removed; other tokens as written. */
    String stringValue(int i) {
        if (!is(i, TokenType.STRING)) {
            return text(i);
        }
        char q = sql.charAt(start[i]);
        StringBuilder sb = new StringBuilder(end[i] - start[i]);
        for (int p = start[i] + 1; p < end[i] - 1; p++) {
            char c = sql.charAt(p);
            if (c == '\\' && p + 1 < end[i] - 1) {
                sb.append(sql.charAt(++p));
            } else if (c == q && p + 1 < end[i] - 1 && sql.charAt(p + 1) == q) {
                sb.append(c);
                p++;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The index of the first token at or after {@code from} that is {@code t} at depth {@code d}, or -1. */
    int find(int from, int to, TokenType t, int d) {
        for (int i = from; i < to; i++) {
            if (type[i] == t.ordinal() && depth[i] == d) {
                return i;
            }
        }
        return -1;
    }
}
