package io.rwsplit.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The JDBC driver against its peers on a real local cluster (MariaDB primary and two replicas,
 * started for each fork): a text point select, a prepared point select, an autocommit insert, and
 * a request of nine point selects and one insert, each through a connection the JMH thread took
 * from a HikariCP pool of that driver and keeps for the trial (a prepared statement can be reused
 * only on a connection that is kept).
 *
 * <p>Setup fails unless the reads run where the driver is supposed to send them (the primary for
 * {@code connectorj} and {@code rwsplit-primary-only}, the replicas for the others) and the writes
 * on the primary, counted by the servers' {@code Com_select} and {@code Com_insert}.
 *
 * <p>All servers and the benchmark share the machine, so a read sent to a replica gets no more
 * CPU than one sent to the primary: these numbers compare the drivers and where they put the work
 * on one machine, not what read scaling would give on separate ones. Only {@code
 * rwsplit-primary-only} puts the same work on the same server as {@code connectorj}.
 *
 * <p>JMH subclasses {@code @State} classes, so they cannot be final.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// JIT and connection warm-up take 4 to 6 s here; the rest of the variation is the shared VM's
// scheduling, which more warm-up does not remove: eight 2 s iterations give a median to read
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 8, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@State(Scope.Benchmark)
public class DriverBenchmark {

    /** Reads and writes the setup sends to check where each lands. */
    private static final int CHECK_READS = 200;
    private static final int CHECK_WRITES = 20;
    /** Selects and inserts allowed elsewhere than expected: drivers' and monitors' own queries. */
    private static final long CHECK_SLACK = 20;

    @Param({"connectorj", "connectorj-replication", "aws-wrapper", "rwsplit", "rwsplit-primary-only",
        "shardingsphere"})
    public String driver;

    Target target;
    private BenchDatabase db;
    HikariDataSource pool;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws SQLException {
        target = Target.of(driver);
        db = BenchDatabase.start();
        try {
            // one connection per JMH thread, all opened before the first iteration
            pool = target.pool(db.cluster(), params.getThreads());
            checkRouting();
        } catch (SQLException | RuntimeException e) {
            tearDown();
            throw e;
        }
    }

    private void checkRouting() throws SQLException {
        SplittableRandom random = new SplittableRandom(1);
        boolean toggle = target.togglesReadOnly();
        try (Connection c = pool.getConnection(); PreparedStatement ps = Requests.prepare(c, toggle)) {
            Map<String, Long> selects = db.counters("Com_select");
            for (int i = 0; i < CHECK_READS; i++) {
                Requests.pointSelect(c, toggle, 1 + random.nextInt(BenchDatabase.USERS));
            }
            checkReads("text point selects", BenchDatabase.delta(selects, db.counters("Com_select")));
            selects = db.counters("Com_select");
            for (int i = 0; i < CHECK_READS; i++) {
                Requests.preparedPointSelect(c, ps, toggle, 1 + random.nextInt(BenchDatabase.USERS));
            }
            checkReads("prepared point selects", BenchDatabase.delta(selects, db.counters("Com_select")));

            Map<String, Long> inserts = db.counters("Com_insert");
            for (int i = 0; i < CHECK_WRITES; i++) {
                Requests.insert(c, i);
            }
            Map<String, Long> wrote = BenchDatabase.delta(inserts, db.counters("Com_insert"));
            String primary = db.cluster().primary().name();
            if (wrote.get(primary) != CHECK_WRITES) {
                throw new IllegalStateException(driver + ": " + CHECK_WRITES + " inserts ran as " + wrote
                        + " (Com_insert), expected all on " + primary);
            }
        }
    }

    private void checkReads(String what, Map<String, Long> read) {
        long onPrimary = read.get(db.cluster().primary().name());
        long onReplicas = read.values().stream().mapToLong(Long::longValue).sum() - onPrimary;
        boolean ok = target.reads() == Target.Reads.PRIMARY
                ? onPrimary >= CHECK_READS && onReplicas <= CHECK_SLACK
                : onReplicas >= CHECK_READS && onPrimary <= CHECK_SLACK;
        if (!ok) {
            throw new IllegalStateException(driver + ": " + CHECK_READS + " " + what + " ran as " + read
                    + " (Com_select), expected them on the " + target.reads());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            if (pool != null) {
                pool.close();
            }
        } finally {
            if (db != null) {
                db.close();
            }
        }
    }

    /** A JMH thread's connection, its prepared statement, and its ids. */
    @State(Scope.Thread)
    public static class Client {
        Connection connection;
        /** Prepared once for the trial, where the reads go. */
        PreparedStatement prepared;
        boolean toggle;
        SplittableRandom random;
        final int[] mixIds = new int[Requests.MIX_READS];

        @Setup(Level.Trial)
        public void open(DriverBenchmark b) throws SQLException {
            connection = b.pool.getConnection();
            toggle = b.target.togglesReadOnly();
            prepared = Requests.prepare(connection, toggle);
            random = new SplittableRandom(System.identityHashCode(this));
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            prepared.close();
            connection.close();
        }

        int nextId() {
            return 1 + random.nextInt(BenchDatabase.USERS);
        }
    }

    @Benchmark
    public long pointSelect(Client c) throws SQLException {
        return Requests.pointSelect(c.connection, c.toggle, c.nextId());
    }

    @Benchmark
    public long preparedPointSelect(Client c) throws SQLException {
        return Requests.preparedPointSelect(c.connection, c.prepared, c.toggle, c.nextId());
    }

    @Benchmark
    public int insert(Client c) throws SQLException {
        return Requests.insert(c.connection, c.nextId());
    }

    /** One operation is {@value Requests#MIX_READS} point selects and one insert: ten statements. */
    @Benchmark
    public long mix(Client c) throws SQLException {
        for (int i = 0; i < c.mixIds.length; i++) {
            c.mixIds[i] = c.nextId();
        }
        return Requests.mix(c.connection, c.toggle, c.mixIds, c.nextId());
    }
}
