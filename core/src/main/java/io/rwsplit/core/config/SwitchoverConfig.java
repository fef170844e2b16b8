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

    /**
     * A front end spends up to half of {@code holdTimeout} letting open transactions finish and the
     * rest on the switch, of which catching up is one step: a {@code catchupTimeout} well under half
     * of {@code holdTimeout} keeps held statements from timing out while a switchover still succeeds.
     * Catching up takes milliseconds on a healthy replica.
     */
    public static final SwitchoverConfig DEFAULTS = new SwitchoverConfig(Duration.ofSeconds(2), Duration.ofSeconds(10));
}
