package io.rwsplit.core.sql;

import java.util.Locale;
import java.util.Objects;

/**
 * One piece of server-side state: a temporary table, a named lock, a prepared statement... by name.
 * The name {@link #ANY} stands for "all of this kind" in a release ({@code UNLOCK TABLES},
 * {@code RELEASE_ALL_LOCKS()}) and for a name the classifier could not read ({@code GET_LOCK(@n, 1)}).
 */
public record Pin(PinKind kind, String name) {

    public static final String ANY = "*";

    public Pin {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    /** Names compare as the server does for tables and statements on a case-insensitive system. */
    public static Pin of(PinKind kind, String name) {
        return new Pin(kind, name.toLowerCase(Locale.ROOT));
    }

    public static Pin any(PinKind kind) {
        return new Pin(kind, ANY);
    }

    @Override
    public String toString() {
        return kind.description() + (ANY.equals(name) ? "" : " " + name);
    }
}
