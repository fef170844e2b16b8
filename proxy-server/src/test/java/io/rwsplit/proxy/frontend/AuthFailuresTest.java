package io.rwsplit.proxy.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.proxy.config.AuthFailureLimits;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The delays of {@link AuthFailures}, on a clock moved by hand. */
class AuthFailuresTest {

    private static final String A = "10.0.0.1";
    private static final String B = "10.0.0.2";

    private final AtomicLong clock = new AtomicLong();

    private AuthFailures table(AuthFailureLimits limits, int capacity) {
        return new AuthFailures(limits, clock::get, capacity);
    }

    private static Duration delay(AuthFailures t, String address) {
        return Duration.ofNanos(t.delayNanos(address));
    }

    private static void fail(AuthFailures t, String address, int times) {
        for (int i = 0; i < times; i++) {
            t.failed(address);
        }
    }

    @Test
    void theFirstFailuresCostNothingThenTheDelayDoublesUpToItsCap() {
        AuthFailures t = table(AuthFailureLimits.DEFAULTS, 100); // after 3, 1 s doubling, at most 30 s
        assertThat(delay(t, A)).isZero();
        fail(t, A, 2);
        assertThat(delay(t, A)).as("after 2 failures").isZero();
        t.failed(A);
        assertThat(delay(t, A)).as("the 4th login").isEqualTo(Duration.ofSeconds(1));
        t.failed(A);
        assertThat(delay(t, A)).as("the 5th").isEqualTo(Duration.ofSeconds(2));
        fail(t, A, 3);
        assertThat(delay(t, A)).as("the 8th").isEqualTo(Duration.ofSeconds(16));
        t.failed(A);
        assertThat(delay(t, A)).as("the 9th: capped").isEqualTo(Duration.ofSeconds(30));
        fail(t, A, 1000);
        assertThat(delay(t, A)).as("long after, no overflow").isEqualTo(Duration.ofSeconds(30));
        assertThat(delay(t, B)).as("another address").isZero();
    }

    @Test
    void aSuccessForgetsTheAddress() {
        AuthFailures t = table(AuthFailureLimits.DEFAULTS, 100);
        fail(t, A, 5);
        t.succeeded(A);
        assertThat(t.failures(A)).isZero();
        assertThat(delay(t, A)).isZero();
    }

    @Test
    void failuresOlderThanTheWindowAreForgotten() {
        AuthFailures t = table(new AuthFailureLimits(3, Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofMinutes(10)), 100);
        fail(t, A, 4);
        clock.addAndGet(Duration.ofMinutes(9).toNanos());
        t.failed(A);
        assertThat(t.failures(A)).as("each failure within the window of the last").isEqualTo(5);
        clock.addAndGet(Duration.ofMinutes(10).plusMillis(1).toNanos());
        assertThat(delay(t, A)).isZero();
        assertThat(t.failures(A)).isZero();
        assertThat(t.size()).isZero();
    }

    @Test
    void theTableIsBoundedAndDropsTheAddressTouchedLongestAgo() {
        AuthFailures t = table(AuthFailureLimits.DEFAULTS, 3);
        fail(t, A, 4);
        fail(t, "10.0.0.3", 1);
        fail(t, "10.0.0.4", 1);
        t.failed(A); // touched last: kept
        for (int i = 0; i < 10_000; i++) {
            t.failed("192.168." + (i >> 8) + "." + (i & 0xFF));
            if (i % 2 == 0) {
                t.failed(A);
            }
        }
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.failures(A)).as("kept while in use").isGreaterThan(5);
        assertThat(t.failures("10.0.0.3")).as("dropped").isZero();
    }

    @Test
    void zeroTurnsItOff() {
        AuthFailures never = table(new AuthFailureLimits(0, Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofMinutes(10)), 100);
        AuthFailures noDelay = table(new AuthFailureLimits(3, Duration.ofSeconds(1), Duration.ZERO,
                Duration.ofMinutes(10)), 100);
        fail(never, A, 100);
        fail(noDelay, A, 100);
        assertThat(delay(never, A)).isZero();
        assertThat(delay(noDelay, A)).isZero();
        assertThat(never.size()).as("nothing kept when off").isZero();
    }
}
