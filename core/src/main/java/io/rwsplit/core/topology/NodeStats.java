package io.rwsplit.core.topology;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live per-node load figures the balancers read: requests in flight and an exponentially weighted
 * moving average of response time. Owned by a front end and updated by every statement it runs on
 * the node ({@link #begin()} then {@link #end(long)}); snapshots refer to it rather than copy it.
 *
 * <p>The average is updated lock-free: {@code ewma += alpha * (sample - ewma)} with
 * {@code alpha = 1/8}, as TCP's smoothed round-trip time does, so one slow statement moves it an
 * eighth of the way and a node that got slow is noticed within a few dozen statements.
 */
public final class NodeStats {

    private static final double ALPHA = 0.125;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong ewmaBits = new AtomicLong(Double.doubleToRawLongBits(0.0));
    private final AtomicLong completed = new AtomicLong();

    /** A statement starts on the node. */
    public void begin() {
        inFlight.incrementAndGet();
    }

    /** The statement started with {@link #begin()} ended after {@code elapsedNanos}. */
    public void end(long elapsedNanos) {
        inFlight.decrementAndGet();
        record(elapsedNanos);
    }

    /** Adds a response-time sample without touching the in-flight count. */
    public void record(long elapsedNanos) {
        completed.incrementAndGet();
        for (;;) {
            long bits = ewmaBits.get();
            double old = Double.longBitsToDouble(bits);
            double next = old == 0.0 ? elapsedNanos : old + ALPHA * (elapsedNanos - old);
            if (ewmaBits.compareAndSet(bits, Double.doubleToRawLongBits(next))) {
                return;
            }
        }
    }

    /** Requests (or connections, for the driver) currently on the node. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Smoothed response time in nanoseconds; 0 before the first sample. */
    public double responseTimeNanos() {
        return Double.longBitsToDouble(ewmaBits.get());
    }

    public long completed() {
        return completed.get();
    }
}
