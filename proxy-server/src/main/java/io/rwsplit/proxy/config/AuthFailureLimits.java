package io.rwsplit.proxy.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How logins from an address that keeps failing are slowed down (as MySQL's
 * {@code connection_control} plugin does): after {@code after} failed logins within
 * {@code window}, every further login from that address is answered only after a delay, which
 * starts at {@code delay} and doubles with each further failure up to {@code maxDelay}. A
 * successful login resets the address.
 *
 * @param after    failures tolerated before delays start; 0 turns the slowdown off
 * @param delay    the first delay
 * @param maxDelay the longest delay
 * @param window   an address with no failure for this long starts again from nothing
 */
public record AuthFailureLimits(int after, Duration delay, Duration maxDelay, Duration window) {

    public static final AuthFailureLimits DEFAULTS = new AuthFailureLimits(3, Duration.ofSeconds(1),
            Duration.ofSeconds(30), Duration.ofMinutes(10));
    public static final AuthFailureLimits OFF = new AuthFailureLimits(0, Duration.ofSeconds(1),
            Duration.ofSeconds(30), Duration.ofMinutes(10));

    public AuthFailureLimits {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(window, "window");
        if (after < 0) {
            throw new IllegalArgumentException("after must be 0 or more");
        }
    }

    /** Whether logins are slowed down at all. */
    public boolean enabled() {
        return after > 0 && !maxDelay.isZero();
    }
}
