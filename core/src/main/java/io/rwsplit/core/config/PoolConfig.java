package io.rwsplit.core.config;

import java.time.Duration;

/**
 * Per-node pools of backend connections (the driver's and the proxy's).
 *
 * @param minIdle        connections kept open per node when idle
 * @param maxSize        most connections per node
 * @param acquireTimeout how long a statement waits for a connection of an exhausted pool before it
 *                       fails with a clear error
 * @param idleTimeout    an idle connection above {@code minIdle} is closed after this long
 * @param maxLifetime    every connection is replaced after this long
 */
public record PoolConfig(int minIdle, int maxSize, Duration acquireTimeout, Duration idleTimeout,
        Duration maxLifetime) {

    public static final PoolConfig DEFAULTS = new PoolConfig(0, 10, Duration.ofSeconds(5), Duration.ofMinutes(1),
            Duration.ofMinutes(30));
}
