package io.rwsplit.core.config;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One mapping of the config tree (the top level, {@code monitor}, {@code nodes[2]}, ...) with typed
 * getters that know the mapping's key path, so every problem is reported as
 * "{@code <value>} for config key {@code <path>}: expected {@code <what>}".
 *
 * <p>Public so that a front end binding its own keys of the same file (see
 * {@link ConfigLoader#loadYaml(java.nio.file.Path, List, FrontEndBinder)}) reports problems exactly
 * as the shared keys do.
 *
 * <p>Scalars in the tree are always their source text (see {@link YamlTree}); a {@code null}
 * value counts as absent, so {@code maxLag:} with nothing after it means "use the default".
 */
public final class ConfigSection {

    /** Values longer than this are cut in messages: a message must stay readable. */
    private static final int MAX_SHOWN = 80;
    /** A secret given as exactly {@code ${NAME}} is read from the environment; anything else is literal. */
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final String path;
    private final Map<String, Object> values;

    private ConfigSection(String path, Map<String, Object> values) {
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
    public static ConfigSection of(Object value, String path, List<String> knownKeys) {
        if (value == null) {
            return new ConfigSection(path, Map.of());
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
        return new ConfigSection(path, map);
    }

    /** The sub-section under {@code key} (all defaults when absent), holding only {@code knownKeys}. */
    public ConfigSection section(String key, List<String> knownKeys) {
        return of(raw(key), path(key), knownKeys);
    }

    /**
     * The list of sections under {@code key} ({@code users[0]}, {@code users[1]}, ...), each holding
     * only {@code knownKeys}; empty when absent, so a caller requiring entries checks
     * {@link #has} first.
     *
     * @param expected what the list should hold, for the message when it is not a list
     */
    public List<ConfigSection> sections(String key, List<String> knownKeys, String expected) {
        Object v = values.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw new ConfigException(path(key), "invalid value for config key '" + path(key) + "': expected "
                    + expected + ", but got " + kind(v));
        }
        List<ConfigSection> sections = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            sections.add(of(list.get(i), path(key) + "[" + i + "]", knownKeys));
        }
        return sections;
    }

    /** This section's key path, {@code ""} for the top level. */
    public String path() {
        return path;
    }

    /** The key path of {@code key} in this section, as messages name it ({@code monitor.interval}). */
    public String path(String key) {
        return join(path, key);
    }

    /** The raw value ({@code null} if absent), for keys the caller interprets itself (lists, sub-sections). */
    public Object raw(String key) {
        return values.get(key);
    }

    public boolean has(String key) {
        return values.get(key) != null;
    }

    public String string(String key, String defaultValue) {
        return text(key, "text", false, defaultValue);
    }

    /** Like {@link #string} but the value is never shown in a message. */
    public String secret(String key, String defaultValue) {
        return text(key, "text", true, defaultValue);
    }

    /**
     * Like {@link #secret}, but a value that is exactly {@code ${NAME}} is read from the environment
     * variable {@code NAME} (which may be empty, but must be set). Anything else is taken literally,
     * so a password merely containing {@code $} needs no escaping. The default is returned as it
     * is: it may be another key's value, already resolved.
     *
     * @param env returns an environment variable's value, or {@code null} if it is not set
     */
    public String secret(String key, String defaultValue, Function<String, String> env) {
        String value = secret(key, null);
        if (value == null) {
            return defaultValue;
        }
        Matcher m = ENV_REFERENCE.matcher(value);
        if (!m.matches()) {
            return value;
        }
        String resolved = env.apply(m.group(1));
        if (resolved == null) {
            throw new ConfigException(path(key), "config key '" + path(key) + "' refers to environment variable '"
                    + m.group(1) + "', which is not set; expected it to be set (it may be empty) or the value to be "
                    + "given directly");
        }
        return resolved;
    }

    /**
     * A list of text values: a YAML list, or one value holding items separated by commas (how a
     * JDBC property spells a list). Items are trimmed; empty items of a comma-separated value are
     * dropped.
     */
    public List<String> strings(String key, List<String> defaultValue) {
        Object v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        List<String> items = new ArrayList<>();
        if (v instanceof String s) {
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    items.add(part.trim());
                }
            }
            return List.copyOf(items);
        }
        if (!(v instanceof List<?> list)) {
            throw new ConfigException(path(key), "invalid value for config key '" + path(key)
                    + "': expected a list of values (or one value, or values separated by commas), but got " + kind(v));
        }
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            String itemPath = path(key) + "[" + i + "]";
            if (item == null) {
                throw new ConfigException(itemPath, "missing value for config key '" + itemPath
                        + "': expected text (remove the empty list entry)");
            }
            if (!(item instanceof String s)) {
                throw new ConfigException(itemPath, "invalid value for config key '" + itemPath
                        + "': expected text, but got " + kind(item));
            }
            items.add(s.trim());
        }
        return List.copyOf(items);
    }

    public int integer(String key, int defaultValue, int min, int max) {
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

    /**
     * A size in bytes: a bare number of bytes, or a number with a unit, {@code B}, {@code K}/{@code KiB},
     * {@code M}/{@code MiB}, {@code G}/{@code GiB} or {@code T}/{@code TiB} (case-insensitive; powers
     * of 1024 as in MySQL's {@code max_allowed_packet=16M}, also when spelt {@code KB}, {@code MB}...).
     */
    public long bytes(String key, long defaultValue, long min, long max) {
        String range = max == Long.MAX_VALUE ? "a size of " + ByteSizes.format(min) + " or more"
                : "a size from " + ByteSizes.format(min) + " to " + ByteSizes.format(max);
        String text = text(key, ByteSizes.EXPECTED, false, null);
        if (text == null) {
            return defaultValue;
        }
        long n;
        try {
            n = ByteSizes.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path(key), "invalid value " + show(text, false) + " for config key '" + path(key)
                    + "': " + e.getMessage() + "; expected " + ByteSizes.EXPECTED);
        }
        if (n < min || n > max) {
            throw invalid(key, text, range);
        }
        return n;
    }

    public boolean bool(String key, boolean defaultValue) {
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
    public Duration duration(String key, Duration defaultValue, boolean positive) {
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
    public <E extends Enum<E>> E choice(String key, E defaultValue, Class<E> type, Function<E, String> spelling) {
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
    public ConfigException invalid(String key, String text, String expected) {
        return new ConfigException(path(key), "invalid value " + show(text, false) + " for config key '" + path(key)
                + "': expected " + expected);
    }

    /** Like {@link #invalid} for a secret (password, hash): the value is shown as {@code '****'}. */
    public ConfigException invalidSecret(String key, String expected) {
        return new ConfigException(path(key), "invalid value " + show("", true) + " for config key '" + path(key)
                + "': expected " + expected);
    }

    /** A required key that is absent. */
    public ConfigException missing(String key, String expected) {
        return new ConfigException(path(key), "missing config key '" + path(key) + "': expected " + expected);
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
