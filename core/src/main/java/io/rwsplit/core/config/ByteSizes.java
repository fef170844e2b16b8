package io.rwsplit.core.config;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the size spellings of the config: {@code 1048576} (bytes), {@code 512K}, {@code 64MiB},
 * {@code 1.5G}. Every unit is a power of 1024, also when spelt {@code KB}/{@code MB}/{@code GB}: that
 * is what MySQL's own {@code max_allowed_packet=16M} means, and what an operator copying it expects.
 */
final class ByteSizes {

    /** What the config accepts, for error messages. */
    static final String EXPECTED = "a size such as 1048576 (bytes), 512KiB, 16M or 1GiB "
            + "(units B, K, M, G, T or KiB, MiB, GiB, TiB; all powers of 1024)";

    // A leading '-' is matched so that a negative value gets "must not be negative", not "unreadable".
    private static final Pattern SYNTAX = Pattern.compile("(-?)(\\d+(?:\\.\\d+)?)\\s*([a-z]*)");
    private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB"};

    private ByteSizes() {
    }

    /**
     * @throws IllegalArgumentException saying what is wrong with {@code text} (without repeating it)
     */
    static long parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("it is empty");
        }
        Matcher m = SYNTAX.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("it is not a size");
        }
        if (!m.group(1).isEmpty()) {
            throw new IllegalArgumentException("it must not be negative");
        }
        int shift = switch (m.group(3)) {
            case "", "b" -> 0;
            case "k", "kb", "kib" -> 10;
            case "m", "mb", "mib" -> 20;
            case "g", "gb", "gib" -> 30;
            case "t", "tb", "tib" -> 40;
            default -> throw new IllegalArgumentException("'" + m.group(3) + "' is not a unit");
        };
        BigDecimal bytes = new BigDecimal(m.group(2)).multiply(BigDecimal.valueOf(1L << shift));
        if (bytes.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("it is too large");
        }
        if (bytes.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("it is not a whole number of bytes");
        }
        return bytes.longValueExact();
    }

    /** {@code 64MiB}, {@code 1KiB}, or {@code 1000 bytes}: the largest unit that divides exactly. */
    static String format(long bytes) {
        if (bytes != 0) {
            for (int i = UNITS.length - 1; i >= 0; i--) {
                int shift = 10 * (i + 1);
                if (bytes % (1L << shift) == 0) {
                    return (bytes >> shift) + UNITS[i];
                }
            }
        }
        return bytes + (bytes == 1 ? " byte" : " bytes");
    }
}
