package io.rwsplit.core.sql;

/**
 * Splits statement text into {@link Tokens} the way the server would, for the questions routing
 * asks: which words are code and which are inside a literal, a quoted identifier or a comment.
 *
 * <ul>
 * <li>Comments: {@code /* *&#47;}, {@code #} to the end of the line, and {@code -- } (two dashes
 * and a space or control character; {@code --1} is arithmetic). Comments are read for routing
 * hints; optimizer hints ({@code /*+ *&#47;}) are not routing hints.</li>
 * <li>Executable comments {@code /*!NNNNN ... *&#47;} and MariaDB's {@code /*M!NNNNNN ... *&#47;}
 * are code, whatever the version number: classifying their content can only make a route stricter.</li>
 * <li>Strings in single or double quotes with backslash escapes and doubled quotes; identifiers in
 * backticks. With {@code NO_BACKSLASH_ESCAPES} a string ending in a backslash looks unterminated
 * here, which sends the statement to the primary: the safe direction.</li>
 * <li>{@code @name} is a user variable and {@code @@name} a system variable, except right after a
 * quoted name ({@code 'app'@'%'}), where {@code @} separates an account's host. After a word it is a
 * variable ({@code SELECT@a}); an unquoted account ({@code app@localhost}) only appears in statements
 * whose route does not depend on it.</li>
 * </ul>
 */
final class Lexer {

    private Lexer() {
    }

    static Tokens scan(String sql) {
        Tokens t = new Tokens(sql);
        int n = sql.length();
        int i = 0;
        int depth = 0;
        boolean inExecutable = false;
        while (i < n) {
            char c = sql.charAt(i);
            char next = i + 1 < n ? sql.charAt(i + 1) : '\0';
            if (c <= ' ' || Character.isWhitespace(c)) {
                i++;
            } else if (c == '/' && next == '*') {
                if (i + 2 < n && sql.charAt(i + 2) == '!') {
                    i = skipDigits(sql, i + 3);
                    inExecutable = true;
                } else if (i + 3 < n && sql.charAt(i + 2) == 'M' && sql.charAt(i + 3) == '!') {
                    i = skipDigits(sql, i + 4);
                    inExecutable = true;
                } else {
                    int close = sql.indexOf("*/", i + 2);
                    if (close < 0) {
                        t.unterminated = true;
                        return t;
                    }
                    if (i + 2 < n && sql.charAt(i + 2) != '+') {
                        Hint h = Hint.parseComment(sql, i + 2, close);
                        if (!h.isNone()) {
                            t.hint = t.hint.merge(h);
                        }
                    }
                    i = close + 2;
                }
            } else if (inExecutable && c == '*' && next == '/') {
                inExecutable = false;
                i += 2;
            } else if (c == '#' || (c == '-' && next == '-' && (i + 2 >= n || sql.charAt(i + 2) <= ' '))) {
                int start = i;
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
                Hint h = Hint.parseComment(sql, start + (c == '#' ? 1 : 2), i);
                if (!h.isNone()) {
                    t.hint = t.hint.merge(h);
                }
            } else if (c == '\'' || c == '"') {
                int close = skipQuoted(sql, i, c, true);
                if (close < 0) {
                    t.unterminated = true;
                    return t;
                }
                t.add(TokenType.STRING, i, close, 0, depth);
                i = close;
            } else if (c == '`') {
                int close = skipQuoted(sql, i, '`', false);
                if (close < 0) {
                    t.unterminated = true;
                    return t;
                }
                t.add(TokenType.QUOTED_ID, i, close, 0, depth);
                i = close;
            } else if (c == '@') {
                i = variable(t, sql, i, depth);
                if (i < 0) {
                    t.unterminated = true;
                    return t;
                }
            } else if (isWordChar(c)) {
                int h = 0;
                int j = i;
                boolean digits = true;
                while (j < n && isWordChar(sql.charAt(j))) {
                    char d = sql.charAt(j);
                    digits &= d >= '0' && d <= '9';
                    h = 31 * h + Kw.upper(d);
                    j++;
                }
                t.add(digits ? TokenType.NUMBER : TokenType.WORD, i, j, h, depth);
                i = j;
            } else {
                switch (c) {
                    case '(' -> t.add(TokenType.LPAREN, i, i + 1, 0, depth++);
                    case ')' -> t.add(TokenType.RPAREN, i, i + 1, 0, depth = Math.max(0, depth - 1));
                    case ',' -> t.add(TokenType.COMMA, i, i + 1, 0, depth);
                    case ';' -> t.add(TokenType.SEMICOLON, i, i + 1, 0, depth);
                    case '.' -> t.add(TokenType.DOT, i, i + 1, 0, depth);
                    case '=' -> t.add(TokenType.EQ, i, i + 1, 0, depth);
                    case '?' -> t.add(TokenType.PARAM, i, i + 1, 0, depth);
                    case ':' -> {
                        if (next == '=') {
                            t.add(TokenType.ASSIGN, i, i + 2, 0, depth);
                            i++;
                        } else {
                            t.add(TokenType.OTHER, i, i + 1, 0, depth);
                        }
                    }
                    default -> t.add(TokenType.OTHER, i, i + 1, 0, depth);
                }
                i++;
            }
        }
        if (inExecutable) {
            t.unterminated = true;
        }
        return t;
    }

    /** Reads {@code @...} at {@code i}; returns the index after it, or -1 if a quote never closes. */
    private static int variable(Tokens t, String sql, int i, int depth) {
        int n = sql.length();
        int last = t.count - 1;
        if (last >= 0 && t.end(last) == i && (t.is(last, TokenType.STRING) || t.is(last, TokenType.QUOTED_ID))) {
            t.add(TokenType.OTHER, i, i + 1, 0, depth);
            return i + 1;
        }
        boolean system = i + 1 < n && sql.charAt(i + 1) == '@';
        int j = system ? i + 2 : i + 1;
        if (j < n && (sql.charAt(j) == '\'' || sql.charAt(j) == '"' || sql.charAt(j) == '`')) {
            j = skipQuoted(sql, j, sql.charAt(j), sql.charAt(j) != '`');
            if (j < 0) {
                return -1;
            }
        }
        // names continue through dots (@@session.sql_mode) and quoted parts (@@session.`x`)
        while (j < n && (isWordChar(sql.charAt(j)) || sql.charAt(j) == '.')) {
            j++;
            if (j < n && sql.charAt(j - 1) == '.' && sql.charAt(j) == '`') {
                j = skipQuoted(sql, j, '`', false);
                if (j < 0) {
                    return -1;
                }
            }
        }
        if (j == (system ? i + 2 : i + 1)) {
            t.add(TokenType.OTHER, i, j, 0, depth);
        } else {
            t.add(system ? TokenType.SYS_VAR : TokenType.USER_VAR, i, j, 0, depth);
        }
        return j;
    }

    /** Index after the closing quote of the quoted text starting at {@code i}, or -1. */
    private static int skipQuoted(String sql, int i, char quote, boolean backslashEscapes) {
        int n = sql.length();
        int j = i + 1;
        while (j < n) {
            char c = sql.charAt(j);
            if (backslashEscapes && c == '\\') {
                j += 2;
            } else if (c == quote) {
                if (j + 1 < n && sql.charAt(j + 1) == quote) {
                    j += 2;
                } else {
                    return j + 1;
                }
            } else {
                j++;
            }
        }
        return -1;
    }

    private static int skipDigits(String sql, int i) {
        while (i < sql.length() && Character.isDigit(sql.charAt(i))) {
            i++;
        }
        return i;
    }

    static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$'
                || c >= 0x80;
    }
}
