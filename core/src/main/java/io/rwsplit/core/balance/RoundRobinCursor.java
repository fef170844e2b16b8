package io.rwsplit.core.balance;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A lock-free position that walks round a list whose length may differ from one call to the next.
 * The counter is a {@code long} so it never wraps in practice, and it is reduced modulo the length
 * given at each call, so a shrunk list never yields an index out of range.
 */
final class RoundRobinCursor {

    private final AtomicLong next = new AtomicLong();

    /** The next position in {@code [0, size)}; {@code size} is positive. */
    int next(int size) {
        return (int) Math.floorMod(next.getAndIncrement(), (long) size);
    }
}
