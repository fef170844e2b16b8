package io.rwsplit.core.sql;

import java.time.Duration;

/**
 * A routing hint from a comment: {@code /* rwsplit:primary *&#47;}, {@code /* rwsplit:replica *&#47;},
 * {@code /* rwsplit:max_lag=500ms *&#47;}. Several may be combined in one statement; primary wins
 * over replica, and the smallest staleness bound wins.
 *
 * @param target  where the hint asks the statement to go
 * @param maxLag  the staleness a replica may have for this statement, or {@code null}
 */
public record Hint(Target target, Duration maxLag) {

    public static final Hint NONE = new Hint(Target.NONE, null);

    public enum Target {
        NONE,
        PRIMARY,
        REPLICA
    }

    public boolean isNone() {
        return target == Target.NONE && maxLag == null;
    }

    Hint merge(Hint other) {
        Target t = target == Target.PRIMARY || other.target == Target.PRIMARY ? Target.PRIMARY
                : target == Target.REPLICA || other.target == Target.REPLICA ? Target.REPLICA : Target.NONE;
        Duration lag = maxLag == null ? other.maxLag
                : other.maxLag == null ? maxLag : maxLag.compareTo(other.maxLag) <= 0 ? maxLag : other.maxLag;
        return new Hint(t, lag);
    }

    /**
     * Reads the hints in one comment's text; words not starting with {@code rwsplit:} are ignored,
     * and so is a malformed {@code max_lag} (a hint must never make a statement fail).
     */
    static Hint parseComment(String sql, int from, int to) {
        Hint h = NONE;
        int i = from;
        while (i < to) {
            while (i < to && (Character.isWhitespace(sql.charAt(i)) || sql.charAt(i) == ',')) {
                i++;
            }
            int start = i;
            while (i < to && !Character.isWhitespace(sql.charAt(i)) && sql.charAt(i) != ',') {
                i++;
            }
            if (i - start > 8 && sql.regionMatches(true, start, "rwsplit:", 0, 8)) {
                h = h.merge(parseWord(sql.substring(start + 8, i)));
            }
        }
        return h;
    }

    private static Hint parseWord(String word) {
        if (word.equalsIgnoreCase("primary") || word.equalsIgnoreCase("master")) {
            return new Hint(Target.PRIMARY, null);
        }
        if (word.equalsIgnoreCase("replica") || word.equalsIgnoreCase("slave")) {
            return new Hint(Target.REPLICA, null);
        }
        if (word.regionMatches(true, 0, "max_lag=", 0, 8)) {
            Duration d = parseDuration(word.substring(8));
            return d == null ? NONE : new Hint(Target.NONE, d);
        }
        return NONE;
    }

    /** {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 1m}; a bare number is milliseconds. */
    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        long factorNanos;
        String number;
        if (t.endsWith("ms")) {
            factorNanos = 1_000_000L;
            number = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            factorNanos = 1_000_000_000L;
            number = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            factorNanos = 60_000_000_000L;
            number = t.substring(0, t.length() - 1);
        } else {
            factorNanos = 1_000_000L;
            number = t;
        }
        if (!number.matches("[0-9]+(\\.[0-9]+)?|\\.[0-9]+")) {
            return null; // Double.parseDouble would also take 1d, 2f, 0x1p4, 1e3
        }
        try {
            double v = Double.parseDouble(number);
            if (!(v >= 0) || Double.isInfinite(v)) {
                return null;
            }
            return Duration.ofNanos(Math.round(v * factorNanos));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
