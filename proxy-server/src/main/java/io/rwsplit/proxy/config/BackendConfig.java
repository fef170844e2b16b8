package io.rwsplit.proxy.config;

import java.time.Duration;

/**
 * How the proxy connects to the servers.
 *
 * @param tls            whether connections to the servers use TLS
 * @param connectTimeout a connection (TCP, handshake and login) that takes longer fails
 */
public record BackendConfig(BackendTls tls, Duration connectTimeout) {

    public static final BackendConfig DEFAULTS = new BackendConfig(BackendTls.PREFERRED, Duration.ofSeconds(2));

    /** TLS to the servers; certificates are not verified (verification options are separate). */
    public enum BackendTls {
        /** Plain connections. */
        DISABLED,
        /** TLS when the server offers it. */
        PREFERRED,
        /** Fail a connection to a server that does not offer TLS. */
        REQUIRED;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
