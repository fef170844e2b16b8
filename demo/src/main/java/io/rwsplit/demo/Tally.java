package io.rwsplit.demo;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the workload's clients did and saw, counted by the clients themselves: the other side of
 * the servers' counters. Written by the workload's threads, read by the progress display.
 */
final class Tally {

    private static final int KEPT_ERRORS = 5;

    private final LongAdder reads = new LongAdder();
    private final LongAdder inserts = new LongAdder();
    private final LongAdder updates = new LongAdder();
    private final LongAdder transactions = new LongAdder();
    private final LongAdder ownWriteReads = new LongAdder();
    private final LongAdder staleReads = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final List<String> firstErrors = new ArrayList<>();

    void read() {
        reads.increment();
    }

    void insert() {
        inserts.increment();
    }

    void update() {
        updates.increment();
    }

    void transaction() {
        transactions.increment();
    }

    /** A read right after the same session's write: whether it found the row just written. */
    void readOwnWrite(boolean found) {
        reads.increment();
        ownWriteReads.increment();
        if (!found) {
            staleReads.increment();
        }
    }

    void error(String what, SQLException e) {
        errors.increment();
        synchronized (firstErrors) {
            if (firstErrors.size() < KEPT_ERRORS) {
                firstErrors.add(what + ": errno " + e.getErrorCode() + ", SQLSTATE " + e.getSQLState() + ": "
                        + e.getMessage());
            }
        }
    }

    Snapshot snapshot() {
        List<String> kept;
        synchronized (firstErrors) {
            kept = List.copyOf(firstErrors);
        }
        return new Snapshot(reads.sum(), inserts.sum(), updates.sum(), transactions.sum(), ownWriteReads.sum(), staleReads.sum(),
                errors.sum(), kept);
    }

    /**
     * @param reads         SELECTs sent, the reads of own writes included
     * @param inserts       INSERTs sent
     * @param updates       UPDATEs sent
     * @param transactions  transactions committed
     * @param ownWriteReads reads of a row the same session had just written
     * @param staleReads    of those, the ones that did not find it
     * @param errors        statements that failed
     * @param firstErrors   the first few failures, described
     */
    record Snapshot(long reads, long inserts, long updates, long transactions, long ownWriteReads, long staleReads, long errors,
            List<String> firstErrors) {

        long writes() {
            return inserts + updates;
        }

        long statements() {
            return reads + writes();
        }

        /** Nothing failed and every read of a session's own write found it. */
        boolean clean() {
            return errors == 0 && staleReads == 0;
        }
    }
}
