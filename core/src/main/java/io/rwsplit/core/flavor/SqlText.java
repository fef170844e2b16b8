package io.rwsplit.core.flavor;

import java.util.Objects;

/** Literals for the few statements that take no parameters ({@code CHANGE MASTER TO} and friends). */
final class SqlText {

    private SqlText() {
    }

    /**
     * A quoted string literal. Quotes are doubled, which both servers read the same in every SQL
     * mode; backslashes are escaped as {@code \\} (and NUL as {@code \0}), which is right in the
     * default SQL mode of both servers but would double each backslash under
     * {@code NO_BACKSLASH_ESCAPES}: administrative connections must not run in that mode.
     */
    static String literal(String value) {
        Objects.requireNonNull(value, "value");
        StringBuilder sb = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\'' -> sb.append("''");
                case '\\' -> sb.append("\\\\");
                case '\0' -> sb.append("\\0");
                default -> sb.append(c);
            }
        }
        return sb.append('\'').toString();
    }

    /** A TCP port for {@code MASTER_PORT} / {@code SOURCE_PORT}, checked so a bad one fails here, not on the server. */
    static String port(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
        return Integer.toString(port);
    }
}
