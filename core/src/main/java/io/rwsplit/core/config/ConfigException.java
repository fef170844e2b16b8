package io.rwsplit.core.config;

/**
 * A configuration that cannot be used. The message names the offending key path (for example
 * {@code monitor.interval} or {@code nodes[1].port}), the bad value (masked for secrets) and what
 * is expected, so that an operator can fix the file or URL without reading code.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * @param key     the offending key path, or {@code null} when the problem is not one key's
     *                (unreadable file, YAML syntax)
     * @param message the full, actionable message; must never contain a secret value
     */
    public ConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    public ConfigException(String key, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    /** The offending key path, e.g. {@code monitor.interval}; {@code null} if the problem is not one key's. */
    public String key() {
        return key;
    }
}
