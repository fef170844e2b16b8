package io.rwsplit.proxy.config;

import java.time.Duration;

/**
 * Limits that keep one client from hurting the others.
 *
 * @param maxConnections   most client connections the proxy holds at once
 * @param authTimeout      a client that has not finished logging in after this long is disconnected
 * @param maxMessageBytes  the largest command a client may send (its packets joined), like a
 *                         server's {@code max_allowed_packet}
 * @param shutdownGrace    on shutdown, how long running statements may finish before connections close
 * @param workerThreads    event-loop threads; 0 for one per CPU
 */
public record LimitsConfig(int maxConnections, Duration authTimeout, long maxMessageBytes, Duration shutdownGrace,
        int workerThreads) {

    public static final LimitsConfig DEFAULTS = new LimitsConfig(10_000, Duration.ofSeconds(10), 64L << 20,
            Duration.ofSeconds(10), 0);
}
