package io.rwsplit.core.config;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One mapping of the config tree (the top level, {@code monitor}, {@code nodes[2]}, ...) with typed
 * getters that know the mapping's key path, so every problem is reported as
 * "{@code <value>} for config key {@code <path>}: expected {@code <what>}".
 *
 * <p>Scalars in the tree are always their source text (see {@link YamlTree}); a {@code null}
 * value counts as absent, so {@code maxLag:} with nothing after it means "use the default".
 */
final class Section {

    /** Values longer than this are cut in messages: a message must stay readable. */
    private static final int MAX_SHOWN = 80;

    private final String path;
    private final Map<String, Object> values;

    private Section(String path, Map<String, Object> values) {
        this.path = path;
        this.values = values;
    }

    /**
     * @param value     the mapping ({@code null} = absent = all defaults)
     * @param path      its key path, {@code ""} for the top level
     * @param knownKeys every key the section may hold, in documentation order
     * @throws ConfigException if {@code value} is not a mapping or holds a key not in {@code knownKeys}
     */
    @SuppressWarnings("unchecked")
    static Section of(Object value, String path, List<String> knownKeys) {
        if (value == null) {
            return new Section(path, Map.of());
        }
        if (!(value instanceof Map)) {
            throw new ConfigException(path, "invalid value for config key '" + path + "': expected a section with the keys "
                    + String.join(", ", knownKeys) + ", but got " + kind(value));
        }
        Map<String, Object> map = (Map<String, Object>) value;
        for (String key : map.keySet()) {
            if (!knownKeys.contains(key)) {
                String full = join(path, key);
                String hint = Suggestions.closest(key, knownKeys).map(k -> " (did you mean '" + k + "'?)").orElse("");
                String where = path.isEmpty() ? "the top-level keys" : "the keys of '" + path + "'";
                throw new ConfigException(full, "unknown config key '" + full + "'" + hint + "; " + where + " are: "
                        + String.join(", ", knownKeys));
            }
        }
        return new Section(path, map);
    }

    String path() {
        return path;
    }

    String path(String key) {
        return join(path, key);
    }

    /** The raw value ({@code null} if absent), for keys the caller interprets itself (lists, sub-sections). */
    Object raw(String key) {
        return values.get(key);
    }

    boolean has(String key) {
        return values.get(key) != null;
    }

    String string(String key, String defaultValue) {
        return text(key, "text", false, defaultValue);
    }

    /** Like {@link #string} but the value is never shown in a message. */
    String secret(String key, String defaultValue) {
        return text(key, "text", true, defaultValue);
    }

    int integer(String key, int defaultValue, int min, int max) {
        String expected = max == Integer.MAX_VALUE ? "a whole number, " + min + " or more"
                : "a whole number from " + min + " to " + max;
        String text = text(key, expected, false, null);
        if (text == null) {
            return defaultValue;
        }
        String trimmed = text.trim();
        if (!trimmed.matches("[-+]?\\d+")) {
            throw invalid(key, text, expected);
        }
        BigInteger n = new BigInteger(trimmed);
        if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
            throw invalid(key, text, expected);
        }
        return n.intValueExact();
    }

    boolean bool(String key, boolean defaultValue) {
        String text = text(key, "true or false", false, null);
        if (text == null) {
            return defaultValue;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, text, "true or false");
        };
    }

    /**
     * @param positive whether zero is refused too (intervals and timeouts); negatives always are
     */
    Duration duration(String key, Duration defaultValue, boolean positive) {
        String text = text(key, Durations.EXPECTED, false, null);
        if (text == null) {
            return defaultValue;
        }
        Duration d;
        try {
            d = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path(key), "invalid value " + show(text, false) + " for config key '" + path(key)
                    + "': " + e.getMessage() + "; expected " + Durations.EXPECTED);
        }
        if (positive && d.isZero()) {
            throw invalid(key, text, "a duration greater than 0, such as 500ms or 2s");
        }
        return d;
    }

    /**
     * Accepts the config spelling of a constant, case-insensitively, and also its Java name
     * ({@code ROUND_ROBIN} for {@code round-robin}): people copy both from docs and code.
     */
    <E extends Enum<E>> E choice(String key, E defaultValue, Class<E> type, Function<E, String> spelling) {
        E[] constants = type.getEnumConstants();
        String expected = "one of " + Arrays.stream(constants).map(spelling).collect(Collectors.joining(", "));
        String text = text(key, expected, false, null);
        if (text == null) {
            return defaultValue;
        }
        String wanted = normalize(text);
        for (E c : constants) {
            if (normalize(spelling.apply(c)).equals(wanted) || normalize(c.name()).equals(wanted)) {
                return c;
            }
        }
        throw invalid(key, text, expected);
    }

    /** A value that was read fine but breaks a rule. */
    ConfigException invalid(String key, String text, String expected) {
        return new ConfigException(path(key), "invalid value " + show(text, false) + " for config key '" + path(key)
                + "': expected " + expected);
    }

    private String text(String key, String expected, boolean secret, String defaultValue) {
        Object v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof String s) {
            return s;
        }
        throw new ConfigException(path(key), "invalid value for config key '" + path(key) + "': expected " + expected
                + (secret ? "" : ", but got " + kind(v)));
    }

    static String show(String text, boolean secret) {
        if (secret) {
            return "'****'";
        }
        String cut = text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) + "..." : text;
        return "'" + cut + "'";
    }

    static String kind(Object v) {
        if (v instanceof List) {
            return "a list";
        }
        if (v instanceof Map) {
            return "a section (nested keys)";
        }
        return "a single value";
    }

    private static String normalize(String s) {
        return s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
