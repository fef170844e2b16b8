package io.rwsplit.proxy.frontend;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A text {@code KILL} statement, which the proxy answers itself: the ids clients know are the
 * proxy's connection ids (from its greeting; Connector/J's query timeouts and
 * {@code Statement.cancel()} send {@code KILL QUERY <that id>} on a second connection), and passed
 * to a server as they are they would name an unrelated server thread, perhaps another client's
 * pooled connection.
 *
 * @param queryOnly  {@code KILL QUERY}: stop the statement, keep the connection
 * @param id         the proxy connection id, or -1 for a form the proxy does not take
 * @param text       the statement, for the error message of an unsupported form
 */
record KillStatement(boolean queryOnly, long id, String text) {

    private static final Pattern NUMERIC = Pattern.compile(
            "KILL\\s+(?:(?:HARD|SOFT)\\s+)?(QUERY\\s+|CONNECTION\\s+)?(\\d{1,19})\\s*;?\\s*", Pattern.CASE_INSENSITIVE);

    boolean supported() {
        return id >= 0;
    }

    /** The statement as a KILL, or {@code null} when {@code sql} is not one (cheap for everything else). */
    static KillStatement parse(String sql) {
        int i = skipSpaceAndComments(sql);
        if (i < 0 || !sql.regionMatches(true, i, "KILL", 0, 4)
                || i + 4 < sql.length() && !Character.isWhitespace(sql.charAt(i + 4))) {
            return null;
        }
        String rest = sql.substring(i);
        Matcher m = NUMERIC.matcher(rest);
        if (!m.matches()) {
            return new KillStatement(false, -1, rest.strip());
        }
        String kind = m.group(1) == null ? "" : m.group(1).strip().toUpperCase(Locale.ROOT);
        try {
            return new KillStatement(kind.equals("QUERY"), Long.parseLong(m.group(2)), rest.strip());
        } catch (NumberFormatException e) {
            return new KillStatement(false, -1, rest.strip());
        }
    }

    /** Index of the first character after leading whitespace and block comments; -1 for an unclosed comment. */
    private static int skipSpaceAndComments(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char ch = sql.charAt(i);
            if (Character.isWhitespace(ch)) {
                i++;
            } else if (ch == '/' && i + 2 < n && sql.charAt(i + 1) == '*' && sql.charAt(i + 2) == '!') {
                // an executable comment runs its content: look inside (its closing */ then makes the KILL unsupported)
                i += 3;
                while (i < n && Character.isDigit(sql.charAt(i))) {
                    i++;
                }
            } else if (ch == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                if (end < 0) {
                    return -1;
                }
                i = end + 2;
            } else if (ch == '#' || ch == '-' && sql.startsWith("-- ", i)) {
                int end = sql.indexOf('\n', i);
                if (end < 0) {
                    return -1;
                }
                i = end + 1;
            } else {
                return i;
            }
        }
        return i;
    }
}
