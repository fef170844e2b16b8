package io.rwsplit.core.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the duration spellings of the config: {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h},
 * {@code 1.5s}; a bare whole number means milliseconds. Kept deliberately small: no signs, no
 * exponents, no ISO-8601, so that every accepted spelling is one an operator would write.
 */
final class Durations {

    /** What the config accepts, for error messages. */
    static final String EXPECTED = "a duration such as 500ms, 2s, 1.5s, 1m or 1h (a bare number means milliseconds)";

    // A leading '-' is matched so that a negative value gets "must not be negative", not "unreadable".
    private static final Pattern SYNTAX = Pattern.compile("(-?)(\\d+(?:\\.\\d+)?)\\s*([a-z]*)");

    /** Larger durations would overflow {@link Duration#toNanos()}, which schedulers call. */
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

    private Durations() {
    }

    /**
     * @throws IllegalArgumentException saying what is wrong with {@code text} (without repeating it)
     */
    static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("it is empty");
        }
        Matcher m = SYNTAX.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("it is not a duration");
        }
        if (!m.group(1).isEmpty()) {
            throw new IllegalArgumentException("it must not be negative");
        }
        BigDecimal amount = new BigDecimal(m.group(2));
        String unit = m.group(3);
        long nanosPerUnit = switch (unit) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "" -> {
                if (amount.scale() > 0) {
                    throw new IllegalArgumentException("a number with a fraction needs a unit");
                }
                yield 1_000_000L;
            }
            default -> throw new IllegalArgumentException("'" + unit + "' is not a unit (use ms, s, m or h)");
        };
        BigDecimal nanos = amount.multiply(BigDecimal.valueOf(nanosPerUnit));
        if (nanos.compareTo(MAX_NANOS) > 0) {
            throw new IllegalArgumentException("it is too long");
        }
        // Sub-nanosecond fractions (e.g. 0.0000000001s) are dropped: nothing here is that precise.
        return Duration.ofNanos(nanos.longValue());
    }
}
