package io.rwsplit.proxy.it;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A well-behaved Connector/J session that keeps working through the proxy while tests attack it:
 * server-side prepared reads (on replicas) and writes (on the primary), one after the other, on
 * one connection. Counts its statements and keeps its first failure; it never hangs (socketTimeout).
 */
final class Bystander implements AutoCloseable {

    private final RunningProxy proxy;
    private final AtomicLong statements = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stop;

    Bystander(RunningProxy proxy) {
        this.proxy = proxy;
        this.thread = new Thread(this::run, "bystander");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try (Connection c = proxy.connect("useServerPrepStmts=true&socketTimeout=15000");
                PreparedStatement read = c.prepareStatement("SELECT COUNT(*), MAX(n) FROM hx_bystander WHERE n >= ?");
                PreparedStatement write = c.prepareStatement("INSERT INTO hx_bystander (n) VALUES (?)")) {
            for (int i = 1; !stop; i++) {
                read.setInt(1, 0);
                try (ResultSet rs = read.executeQuery()) {
                    if (!rs.next()) {
                        throw new AssertionError("SELECT COUNT(*) returned no row");
                    }
                }
                if (i % 10 == 0) {
                    write.setInt(1, i);
                    if (write.executeUpdate() != 1) {
                        throw new AssertionError("INSERT did not insert one row");
                    }
                }
                statements.incrementAndGet();
                // a steady client, not a load test: leave the two cores to the proxy and the servers
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    long statements() {
        return statements.get();
    }

    /** Its first failure, or {@code null}. */
    Throwable failure() {
        return failure.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(20_000);
    }
}
