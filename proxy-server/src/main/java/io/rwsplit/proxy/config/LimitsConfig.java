package io.rwsplit.proxy.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits that keep one client from hurting the others.
 *
 * @param maxConnections   most client connections the proxy holds at once
 * @param authTimeout      a client that has not finished logging in after this long is disconnected
 *                         (a server's {@code connect_timeout})
 * @param maxMessageBytes  the largest command a client may send (its packets joined), like a
 *                         server's {@code max_allowed_packet}
 * @param shutdownGrace    on shutdown, how long running statements may finish before connections close
 * @param workerThreads    event-loop threads; 0 for one per CPU
 * @param readTimeout      a logged-in client that stops sending in the middle of a packet (or of a
 *                         message split over packets) for this long is disconnected (a server's
 *                         {@code net_read_timeout}); a client idle between commands is not
 * @param authFailures     how logins from an address that keeps failing are slowed down
 */
public record LimitsConfig(int maxConnections, Duration authTimeout, long maxMessageBytes, Duration shutdownGrace,
        int workerThreads, Duration readTimeout, AuthFailureLimits authFailures) {

    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

    public static final LimitsConfig DEFAULTS = new LimitsConfig(10_000, Duration.ofSeconds(10), 64L << 20,
            Duration.ofSeconds(10), 0, DEFAULT_READ_TIMEOUT, AuthFailureLimits.DEFAULTS);

    public LimitsConfig {
        Objects.requireNonNull(authTimeout, "authTimeout");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(authFailures, "authFailures");
    }

    /** With the default slowdown of failing logins. */
    public LimitsConfig(int maxConnections, Duration authTimeout, long maxMessageBytes, Duration shutdownGrace,
            int workerThreads, Duration readTimeout) {
        this(maxConnections, authTimeout, maxMessageBytes, shutdownGrace, workerThreads, readTimeout,
                AuthFailureLimits.DEFAULTS);
    }

    /** Without a read timeout: {@link #DEFAULT_READ_TIMEOUT}. */
    public LimitsConfig(int maxConnections, Duration authTimeout, long maxMessageBytes, Duration shutdownGrace,
            int workerThreads) {
        this(maxConnections, authTimeout, maxMessageBytes, shutdownGrace, workerThreads, DEFAULT_READ_TIMEOUT,
                AuthFailureLimits.DEFAULTS);
    }

    public LimitsConfig withAuthTimeout(Duration d) {
        return new LimitsConfig(maxConnections, d, maxMessageBytes, shutdownGrace, workerThreads, readTimeout,
                authFailures);
    }

    public LimitsConfig withReadTimeout(Duration d) {
        return new LimitsConfig(maxConnections, authTimeout, maxMessageBytes, shutdownGrace, workerThreads, d,
                authFailures);
    }

    public LimitsConfig withMaxMessageBytes(long bytes) {
        return new LimitsConfig(maxConnections, authTimeout, bytes, shutdownGrace, workerThreads, readTimeout,
                authFailures);
    }

    public LimitsConfig withWorkerThreads(int threads) {
        return new LimitsConfig(maxConnections, authTimeout, maxMessageBytes, shutdownGrace, threads, readTimeout,
                authFailures);
    }

    public LimitsConfig withMaxConnections(int max) {
        return new LimitsConfig(max, authTimeout, maxMessageBytes, shutdownGrace, workerThreads, readTimeout,
                authFailures);
    }

    public LimitsConfig withAuthFailures(AuthFailureLimits limits) {
        return new LimitsConfig(maxConnections, authTimeout, maxMessageBytes, shutdownGrace, workerThreads,
                readTimeout, limits);
    }
}
