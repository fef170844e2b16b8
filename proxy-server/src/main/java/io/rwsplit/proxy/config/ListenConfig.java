package io.rwsplit.proxy.config;

/**
 * The proxy's client listener.
 *
 * @param address the local address to bind ({@code 0.0.0.0} for all IPv4 interfaces)
 * @param port    the TCP port; 0 picks a free one (tests)
 */
public record ListenConfig(String address, int port) {

    public static final int DEFAULT_PORT = 6033;
    public static final ListenConfig DEFAULTS = new ListenConfig("0.0.0.0", DEFAULT_PORT);
}
