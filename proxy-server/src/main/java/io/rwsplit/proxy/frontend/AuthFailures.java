package io.rwsplit.proxy.frontend;

import io.rwsplit.proxy.config.AuthFailureLimits;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Failed logins per client address, and the delay a login from that address must wait for its
 * answer (as MySQL's {@code connection_control} plugin delays connections).
 *
 * <p>An address's failures count while each comes within {@code window} of the one before; once
 * it has {@code after} of them, the answer to each further login from it (success or failure
 * alike, so that the time does not give the verdict away) waits {@code delay}, doubled for each
 * failure past {@code after}, at most {@code maxDelay}: with the defaults 3, 1 s, 30 s the fourth
 * login waits 1 s, the fifth 2 s, the sixth 4 s, ... the ninth and later 30 s. A login with the
 * right password forgets the address.
 *
 * <p>The table holds at most {@code capacity} addresses; the one touched longest ago is dropped
 * first, so a client cycling through addresses costs bounded memory (and gets no delay once its
 * addresses outnumber the table, the price of the bound). Thread-safe: the event loops of all
 * clients share one; a lock is enough at login rates. Time comes from the injected clock.
 */
final class AuthFailures {

    /** How many addresses are remembered at most. */
    static final int DEFAULT_CAPACITY = 10_000;

    private static final class Entry {
        int failures;
        long lastFailureNanos;
    }

    private AuthFailureLimits limits;
    private final LongSupplier nanoTime;
    private final Map<String, Entry> byAddress;

    AuthFailures(AuthFailureLimits limits, LongSupplier nanoTime, int capacity) {
        this.limits = limits;
        this.nanoTime = nanoTime;
        this.byAddress = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    /** New limits (a configuration reload); the failures counted so far stay. */
    synchronized void limits(AuthFailureLimits newLimits) {
        this.limits = newLimits;
    }

    /** How long the answer to a login from {@code address} must wait now, in nanoseconds; 0 for none. */
    synchronized long delayNanos(String address) {
        if (!limits.enabled()) {
            return 0;
        }
        Entry e = current(address);
        if (e == null || e.failures < limits.after()) {
            return 0;
        }
        int doublings = Math.min(e.failures - limits.after(), 62);
        long max = limits.maxDelay().toNanos();
        long first = limits.delay().toNanos();
        // first << doublings, without overflowing past the cap
        return first > (max >> doublings) ? max : Math.min(max, first << doublings);
    }

    /** A login from {@code address} failed (wrong password or unknown user). */
    synchronized void failed(String address) {
        if (!limits.enabled()) {
            return;
        }
        Entry e = current(address);
        if (e == null) {
            e = new Entry();
            byAddress.put(address, e);
        }
        if (e.failures < Integer.MAX_VALUE) {
            e.failures++;
        }
        e.lastFailureNanos = nanoTime.getAsLong();
    }

    /** A login from {@code address} gave the right password: its failures are forgotten. */
    synchronized void succeeded(String address) {
        byAddress.remove(address);
    }

    /** Failures counted for {@code address} now (tests). */
    synchronized int failures(String address) {
        Entry e = current(address);
        return e == null ? 0 : e.failures;
    }

    /** Addresses held (tests). */
    synchronized int size() {
        return byAddress.size();
    }

    /** The entry of an address whose last failure is within the window; a stale one is dropped. */
    private Entry current(String address) {
        Entry e = byAddress.get(address);
        if (e != null && nanoTime.getAsLong() - e.lastFailureNanos > limits.window().toNanos()) {
            byAddress.remove(address);
            return null;
        }
        return e;
    }
}
