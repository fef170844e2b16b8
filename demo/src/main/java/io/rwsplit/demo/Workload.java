package io.rwsplit.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A small order-taking application, run by a few client threads through the proxy with plain
 * Connector/J, as any application would connect to it. Each client holds two connections, as an
 * application's pages and its checkout might: on the first it only browses, with autocommit point
 * reads (70 % of what it does); on the second it takes orders, with a transaction that inserts an
 * order and marks another one paid (20 %), or an autocommit insert followed at once by a read of
 * the new row (10 %), which finds it only if the proxy's read-your-writes keeps its promise.
 *
 * <p>Why two connections: with causal read-your-writes the proxy makes a session's reads wait, on
 * the replica, for the session's last write; a session that only browses never waits, so the
 * replicas' read counters stay close to what the clients read.
 */
final class Workload {

    static final String TABLE = "demo_orders";
    static final int SEED_ROWS = 1_000;
    private static final Duration PROGRESS_EVERY = Duration.ofMillis(250);

    private final String url;
    private final String user;
    private final String password;

    /** @param url a Connector/J URL of the proxy, database included */
    Workload(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** Creates and fills the table, through the proxy (DDL and writes go to the primary). */
    void setUp() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + TABLE + " (id BIGINT PRIMARY KEY AUTO_INCREMENT, customer INT NOT NULL,"
                    + " amount DECIMAL(10,2) NOT NULL, status VARCHAR(16) NOT NULL,"
                    + " created TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))");
            StringBuilder insert = new StringBuilder("INSERT INTO " + TABLE + " (customer, amount, status) VALUES ");
            SplittableRandom r = new SplittableRandom(42);
            for (int i = 0; i < SEED_ROWS; i++) {
                insert.append(i == 0 ? "" : ",").append('(').append(r.nextInt(1, 500)).append(", ")
                        .append(r.nextInt(100, 100_000) / 100.0).append(", 'paid')");
            }
            s.executeUpdate(insert.toString());
        }
    }

    /**
     * Runs the clients for {@code duration}, calling {@code progress} about four times a second
     * from the calling thread, and returns what they did.
     */
    Tally.Snapshot run(int clients, Duration duration, Consumer<Tally.Snapshot> progress) throws InterruptedException {
        Tally tally = new Tally();
        long deadline = System.nanoTime() + duration.toNanos();
        CountDownLatch done = new CountDownLatch(clients);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            long seed = 1000L + i;
            Thread t = new Thread(() -> {
                try {
                    client(new SplittableRandom(seed), deadline, tally);
                } finally {
                    done.countDown();
                }
            }, "demo-client-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        while (!done.await(PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS)) {
            progress.accept(tally.snapshot());
        }
        for (Thread t : threads) {
            t.join();
        }
        return tally.snapshot();
    }

    private void client(SplittableRandom random, long deadline, Tally tally) {
        Connection browse = null;
        Connection orders = null;
        while (System.nanoTime() < deadline) {
            int dice = random.nextInt(100);
            try {
                if (dice < 70) {
                    browse = browse != null ? browse : connect();
                    pointRead(browse, random, tally);
                } else {
                    orders = orders != null ? orders : connect();
                    if (dice < 90) {
                        order(orders, random, tally);
                    } else {
                        writeThenRead(orders, random, tally);
                    }
                }
            } catch (SQLException e) {
                tally.error(Thread.currentThread().getName(), e);
                if (dice < 70) {
                    browse = discard(browse);
                } else {
                    orders = discard(orders);
                }
            }
        }
        discard(browse);
        discard(orders);
    }

    private static void pointRead(Connection c, SplittableRandom random, Tally tally) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id, customer, amount, status FROM " + TABLE
                + " WHERE id = ?")) {
            s.setLong(1, random.nextInt(1, SEED_ROWS + 1));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rs.getString(4);
                }
            }
        }
        tally.read();
    }

    /** A transaction: on the primary from the first statement to the commit. */
    private static void order(Connection c, SplittableRandom random, Tally tally) throws SQLException {
        c.setAutoCommit(false);
        try {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO " + TABLE
                    + " (customer, amount, status) VALUES (?, ?, 'new')")) {
                s.setInt(1, random.nextInt(1, 500));
                s.setBigDecimal(2, java.math.BigDecimal.valueOf(random.nextInt(100, 100_000), 2));
                s.executeUpdate();
            }
            tally.insert();
            try (PreparedStatement s = c.prepareStatement("UPDATE " + TABLE + " SET status = 'paid' WHERE id = ?")) {
                s.setLong(1, random.nextInt(1, SEED_ROWS + 1));
                s.executeUpdate();
            }
            tally.update();
            c.commit();
            tally.transaction();
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the first failure is the one to report
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** An autocommit write, then at once a read of it: the read may go to a replica. */
    private static void writeThenRead(Connection c, SplittableRandom random, Tally tally) throws SQLException {
        long id;
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + TABLE
                + " (customer, amount, status) VALUES (?, ?, 'new')", Statement.RETURN_GENERATED_KEYS)) {
            s.setInt(1, random.nextInt(1, 500));
            s.setBigDecimal(2, java.math.BigDecimal.valueOf(random.nextInt(100, 100_000), 2));
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        tally.insert();
        try (PreparedStatement s = c.prepareStatement("SELECT status FROM " + TABLE + " WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                tally.readOwnWrite(rs.next());
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    private static Connection discard(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // a broken connection; a new one comes next
            }
        }
        return null;
    }
}
