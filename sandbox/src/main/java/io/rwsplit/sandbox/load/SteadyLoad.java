package io.rwsplit.sandbox.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady autocommit load for fault tests: writer threads insert rows with unique ids and keep a
 * ledger of every insert the client saw committed; reader threads run autocommit reads. Every
 * failure is kept with the time it happened, so a test can measure an outage from a fault to the
 * first write that succeeds after it and check what each client saw meanwhile.
 *
 * <p>A thread whose connection broke opens a new one before its next statement, as a pool would.
 */
public final class SteadyLoad implements AutoCloseable {

    public interface Connector {
        Connection open() throws SQLException;
    }

    /** A statement that failed: what the client got, and when. */
    public record Failure(long nanos, boolean write, SQLException error) {
        @Override
        public String toString() {
            return (write ? "write" : "read") + " errno " + error.getErrorCode() + " SQLSTATE " + error.getSQLState()
                    + ": " + error.getMessage();
        }
    }

    private final Connector connector;
    private final String table;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong lastWriteNanos = new AtomicLong();
    /** Writes the client saw committed: id to value. */
    public final Map<Integer, String> ledger = new ConcurrentHashMap<>();
    /** When each acknowledged write's OK came back, in order per thread. */
    private final List<Long> writeTimes = new CopyOnWriteArrayList<>();
    public final List<Failure> failures = new CopyOnWriteArrayList<>();
    /** When each writer's statement in flight started; absent while it is between statements. */
    private final Map<Thread, Long> writing = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    /** @param table a table {@code (id INT PRIMARY KEY, v VARCHAR(40))} */
    public SteadyLoad(Connector connector, String table) {
        this.connector = connector;
        this.table = table;
    }

    public SteadyLoad start(int writers, int readers) {
        for (int i = 0; i < writers; i++) {
            threads.add(thread("load-writer-" + i, () -> run(true)));
        }
        for (int i = 0; i < readers; i++) {
            threads.add(thread("load-reader-" + i, () -> run(false)));
        }
        return this;
    }

    private static Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void run(boolean writer) {
        Connection c = null;
        while (!stopping) {
            try {
                if (c == null || c.isClosed()) {
                    c = connector.open();
                }
                if (writer) {
                    write(c);
                } else {
                    read(c);
                }
            } catch (SQLException e) {
                if (!stopping) {
                    failures.add(new Failure(System.nanoTime(), writer, e));
                }
                c = closeIfBroken(c);
                pause(20);
            }
        }
        close(c);
    }

    private void write(Connection c) throws SQLException {
        int id = ids.incrementAndGet();
        String v = "v" + id + "-" + Long.toHexString(System.nanoTime());
        writing.put(Thread.currentThread(), System.nanoTime());
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + table + " (id, v) VALUES (?, ?)")) {
            s.setInt(1, id);
            s.setString(2, v);
            s.executeUpdate();
        } finally {
            writing.remove(Thread.currentThread());
        }
        long now = System.nanoTime();
        ledger.put(id, v);
        writeTimes.add(now);
        lastWriteNanos.accumulateAndGet(now, Math::max);
        pause(5);
    }

    private void read(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*), MAX(id) FROM " + table);
                ResultSet rs = s.executeQuery()) {
            rs.next();
        }
        reads.incrementAndGet();
        pause(5);
    }

    /** A connection whose server side is gone is dropped; one that only had a statement fail is kept. */
    private static Connection closeIfBroken(Connection c) {
        if (c == null) {
            return null;
        }
        try {
            if (c.isValid(2)) {
                return c;
            }
        } catch (SQLException ignored) {
            // treated as broken
        }
        close(c);
        return null;
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already gone
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public int acknowledgedWrites() {
        return ledger.size();
    }

    public long reads() {
        return reads.get();
    }

    /** When the first write acknowledged after {@code sinceNanos} came back. */
    public Optional<Long> firstWriteAfter(long sinceNanos) {
        return writeTimes.stream().filter(t -> t > sinceNanos).min(Long::compare);
    }

    /**
     * When writes resumed after a fault at {@code faultNanos}: the end of the longest silence
     * between two acknowledged writes that ends after the fault. A write that was already on its
     * way when the fault struck may still be acknowledged just after it; the silence comes after.
     */
    public Optional<Long> resumedAfter(long faultNanos) {
        List<Long> times = new ArrayList<>(writeTimes);
        times.sort(Long::compare);
        Long best = null;
        long longest = -1;
        for (int i = 1; i < times.size(); i++) {
            long gap = times.get(i) - times.get(i - 1);
            if (times.get(i) > faultNanos && gap > longest) {
                longest = gap;
                best = times.get(i);
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The longest silence between two consecutive acknowledged writes, the later of which came back
     * after {@code fromNanos} and at or before {@code toNanos}: how long writes paused around an
     * event in that window (a planned switchover, say).
     */
    public java.time.Duration longestWritePause(long fromNanos, long toNanos) {
        List<Long> times = new ArrayList<>(writeTimes);
        times.sort(Long::compare);
        long longest = 0;
        for (int i = 1; i < times.size(); i++) {
            long t = times.get(i);
            if (t > fromNanos && t <= toNanos) {
                longest = Math.max(longest, t - times.get(i - 1));
            }
        }
        return java.time.Duration.ofNanos(longest);
    }

    /** Whether a write that started at or before {@code nanos} is still waiting for its answer. */
    public boolean writePendingSince(long nanos) {
        return writing.values().stream().anyMatch(t -> t <= nanos);
    }

    /** Writes acknowledged after {@code sinceNanos}. */
    public long writesAfter(long sinceNanos) {
        return writeTimes.stream().filter(t -> t > sinceNanos).count();
    }

    /** Failures by kind (read or write, errno, SQLSTATE, message up to its first colon), with counts. */
    public Map<String, Long> summary() {
        Map<String, Long> m = new java.util.TreeMap<>();
        for (Failure f : failures) {
            String msg = String.valueOf(f.error().getMessage());
            int colon = msg.indexOf(':');
            String kind = (f.write() ? "write" : "read") + " errno " + f.error().getErrorCode() + " SQLSTATE "
                    + f.error().getSQLState() + ": " + (colon > 0 ? msg.substring(0, colon) : msg);
            m.merge(kind, 1L, Long::sum);
        }
        return m;
    }

    public List<Failure> readFailures() {
        return failures.stream().filter(f -> !f.write()).toList();
    }

    public List<Failure> writeFailures() {
        return failures.stream().filter(Failure::write).toList();
    }

    /** Stops every thread and waits for them (each statement has a socket timeout, so they end). */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        for (Thread t : threads) {
            t.join(15_000);
        }
    }
}
