package io.rwsplit.core.config;

import java.time.Duration;

/**
 * Planned switchovers.
 *
 * @param catchupTimeout how long the new primary may take to apply the old one's last transaction;
 *                       past it the switchover is undone and changes nothing
 * @param holdTimeout    how long a front end holds a statement for the primary while a switchover
 *                       runs; past it the client gets an error instead
 */
public record SwitchoverConfig(Duration catchupTimeout, Duration holdTimeout) {

    public static final SwitchoverConfig DEFAULTS = new SwitchoverConfig(Duration.ofSeconds(10), Duration.ofSeconds(5));
}
