package io.rwsplit.proxy.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How the proxy connects to the servers.
 *
 * @param tls            whether connections to the servers use TLS, and what of the server's
 *                       certificate is checked
 * @param connectTimeout a connection (TCP, handshake and login) that takes longer fails
 * @param caCertificate  PEM file of the certificate authorities the servers' certificates must
 *                       chain to, for {@link BackendTls#VERIFY_CA} and {@link BackendTls#VERIFY_IDENTITY};
 *                       {@code null} for the JVM's trusted authorities
 */
public record BackendConfig(BackendTls tls, Duration connectTimeout, Path caCertificate) {

    public static final BackendConfig DEFAULTS = new BackendConfig(BackendTls.PREFERRED, Duration.ofSeconds(2));

    public BackendConfig {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    /** Without a CA file. */
    public BackendConfig(BackendTls tls, Duration connectTimeout) {
        this(tls, connectTimeout, null);
    }

    /**
     * TLS to the servers, as the MySQL client's {@code --ssl-mode}: the two verifying modes never
     * fall back to a plain or unverified connection.
     */
    public enum BackendTls {
        /** Plain connections. */
        DISABLED,
        /** TLS when the server offers it; its certificate is not checked. */
        PREFERRED,
        /** Fail a connection to a server that does not offer TLS; its certificate is not checked. */
        REQUIRED,
        /** As REQUIRED, and the server's certificate must chain to a trusted CA. */
        VERIFY_CA,
        /** As VERIFY_CA, and the certificate must name the host the proxy connects to (DNS name or IP). */
        VERIFY_IDENTITY;

        /** The config spelling: {@code verify-ca}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Whether a server without TLS is refused. */
        public boolean required() {
            return this != DISABLED && this != PREFERRED;
        }

        /** Whether the server's certificate is checked against the trusted CAs. */
        public boolean verifies() {
            return this == VERIFY_CA || this == VERIFY_IDENTITY;
        }
    }
}
