package io.rwsplit.proxy.frontend;

import io.rwsplit.proxy.protocol.ErrPacket;
import io.rwsplit.proxy.protocol.ErrorCode;

/**
 * Why a client was turned away before (or instead of) a session: each reason with the error the
 * client gets. Every refusal passes through {@link ProxyRuntime#refused}, the one place that logs
 * them (and that counts them, for whoever watches the proxy).
 */
public enum Refusal {
    /** Wrong password, or no such user: the two are not told apart. */
    ACCESS_DENIED(ErrorCode.ACCESS_DENIED, false),
    /**
     * The user's account has {@code requireTls} and the login came without TLS. MySQL refuses an
     * account with {@code REQUIRE SSL} in the same way, with ER_ACCESS_DENIED_ERROR 1045 / 28000:
     * the requirement belongs to the account, like its password, and clients and pools already
     * treat 1045 as "fix the credentials or the connection settings, do not retry". The 3159 of
     * {@link #TLS_REQUIRED} is what a server says when the whole server demands TLS
     * ({@code require_secure_transport}), before any account is looked at.
     */
    USER_TLS_REQUIRED(ErrorCode.ACCESS_DENIED, false),
    /** The proxy accepts TLS connections only ({@code tls.required}). */
    TLS_REQUIRED(ErrorCode.SECURE_TRANSPORT_REQUIRED, false),
    /** The client's address is not in the user's {@code allowedHosts}. */
    HOST_NOT_ALLOWED(ErrorCode.HOST_NOT_ALLOWED, false),
    /** The proxy holds {@code limits.maxConnections} clients already. */
    PROXY_FULL(ErrorCode.TOO_MANY_CONNECTIONS, false),
    /** The user holds its {@code maxConnections} already. */
    USER_FULL(ErrorCode.TOO_MANY_USER_CONNECTIONS, false),
    /** The proxy is shutting down. */
    SHUTTING_DOWN(ErrorCode.SHUTDOWN, false),
    /** No login within {@code limits.authTimeout}. */
    AUTH_TIMEOUT(ErrorCode.READ_TIMEOUT, true),
    /** The client broke the protocol (bad handshake, packets out of order, a packet too large). */
    PROTOCOL(ErrorCode.BAD_HANDSHAKE, true),
    /** Logged in, but the session could not start (its schema does not exist, no server can be reached). */
    SESSION_NOT_OPENED(ErrorCode.INTERNAL, false);

    private final ErrorCode code;
    private final boolean quiet;
    private final String label;

    Refusal(ErrorCode code, boolean quiet) {
        this.code = code;
        this.quiet = quiet;
        this.label = name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The error this refusal usually answers with (some carry a more precise one of their own). */
    public ErrorCode code() {
        return code;
    }

    /** The refusal's ERR packet with {@code message}. */
    ErrPacket packet(String message) {
        return code.packet(message);
    }

    /** The reason as metrics and logs name it: {@code access_denied}, {@code proxy_full}... */
    public String label() {
        return label;
    }

    /** Whether it is logged at debug rather than info: port scanners and broken clients make many. */
    boolean quiet() {
        return quiet;
    }
}
