package io.rwsplit.proxy.config;

import java.util.Objects;

/**
 * The admin HTTP listener: status page, metrics, health, topology, explain, drain.
 *
 * @param enabled       whether it listens at all
 * @param address       the local address to bind; 127.0.0.1 by default, so that only the machine itself reaches it
 * @param port          the TCP port; 0 picks a free one (tests)
 * @param token         what {@code Authorization: Bearer} must carry; {@code null} when none is set, and
 *                      then every mutating request is refused
 * @param tokenForReads whether GET requests need the token too (they are open by default)
 */
public record AdminConfig(boolean enabled, String address, int port, String token, boolean tokenForReads) {

    public static final int DEFAULT_PORT = 6080;
    public static final AdminConfig DEFAULTS = new AdminConfig(true, "127.0.0.1", DEFAULT_PORT, null, false);
    /** No admin listener: what a config built in code gets unless it asks for one. */
    public static final AdminConfig OFF = new AdminConfig(false, "127.0.0.1", DEFAULT_PORT, null, false);

    public AdminConfig {
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (token != null && token.isEmpty()) {
            token = null;
        }
        if (tokenForReads && token == null) {
            throw new IllegalArgumentException("tokenForReads needs a token");
        }
    }

    /** Listening on {@code address:port} with {@code token} for every mutating request. */
    public static AdminConfig on(String address, int port, String token) {
        return new AdminConfig(true, address, port, token, false);
    }

    @Override
    public String toString() {
        // never the token
        return "AdminConfig[enabled=" + enabled + ", address=" + address + ", port=" + port + ", token="
                + (token == null ? "none" : "set") + ", tokenForReads=" + tokenForReads + "]";
    }
}
