package io.rwsplit.proxy.config;

/**
 * The proxy's client listener.
 *
 * @param address   the local address to bind ({@code 0.0.0.0} for all IPv4 interfaces)
 * @param port      the TCP port; 0 picks a free one (tests)
 * @param transport which socket implementation carries client and server connections
 */
public record ListenConfig(String address, int port, Transport transport) {

    public static final int DEFAULT_PORT = 6033;
    public static final ListenConfig DEFAULTS = new ListenConfig("0.0.0.0", DEFAULT_PORT);

    public ListenConfig(String address, int port) {
        this(address, port, Transport.AUTO);
    }

    /** The socket implementation. */
    public enum Transport {
        /** Linux's epoll through Netty's native library where it loads, else Java's NIO. */
        AUTO,
        /** Netty's native epoll; the proxy does not start where it cannot load. */
        EPOLL,
        /** Java's NIO selector, available everywhere. */
        NIO;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
