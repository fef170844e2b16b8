package io.rwsplit.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import io.rwsplit.sandbox.Node;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * CPU time per point select, the client's and the servers', per driver: one thread, one pooled
 * connection, the same code as {@link DriverBenchmark#pointSelect}. On a shared 2-core VM a
 * single thread's throughput swings by a factor of three with how the scheduler wakes the client
 * and the server (see the README); the CPU each side spends per read does not, and the client's is
 * the driver's own cost. The drivers run in turn, several rounds, so drift shows as a difference
 * between rounds rather than between drivers.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.rwsplit.benchmarks.CpuPerRead [reads] [rounds] [result.json] [driver,...]
 * </pre>
 *
 * <p>Client CPU is the whole JVM's ({@code getProcessCpuTime}): the driver's background threads
 * (rwsplit's monitor, HikariCP's housekeeping) count too. Server CPU is {@code utime + stime} of
 * every {@code mariadbd} from {@code /proc}, in clock ticks (10 ms), so a run must be long enough
 * for that to be small.
 */
public final class CpuPerRead {

    private static final int WARMUP_READS = 30_000;
    private static final double TICK_NANOS = 10_000_000.0;

    private CpuPerRead() {
    }

    public static void main(String[] args) throws Exception {
        int reads = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path out = args.length > 2 && !args[2].isEmpty() ? Path.of(args[2]) : null;
        List<Target> targets = Target.list(args.length > 3 ? args[3] : "");
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<String> json = new ArrayList<>();
        try (BenchDatabase db = BenchDatabase.start()) {
            System.out.println("| round | driver | wall µs/read | client CPU µs/read | servers' CPU µs/read |");
            System.out.println("|--:|---|--:|--:|--:|");
            for (int round = 1; round <= rounds; round++) {
                for (Target t : targets) {
                    try (HikariDataSource pool = t.pool(db.cluster(), 1); Connection c = pool.getConnection()) {
                        SplittableRandom random = new SplittableRandom(round);
                        for (int i = 0; i < WARMUP_READS; i++) {
                            Requests.pointSelect(c, t.togglesReadOnly(), 1 + random.nextInt(BenchDatabase.USERS));
                        }
                        long servers0 = serverTicks(db);
                        long cpu0 = os.getProcessCpuTime();
                        long wall0 = System.nanoTime();
                        for (int i = 0; i < reads; i++) {
                            Requests.pointSelect(c, t.togglesReadOnly(), 1 + random.nextInt(BenchDatabase.USERS));
                        }
                        double wall = (System.nanoTime() - wall0) / 1e3 / reads;
                        double client = (os.getProcessCpuTime() - cpu0) / 1e3 / reads;
                        double servers = (serverTicks(db) - servers0) * TICK_NANOS / 1e3 / reads;
                        System.out.printf(Locale.ROOT, "| %d | %s | %.1f | %.1f | %.1f |%n", round, t.param(), wall,
                                client, servers);
                        json.add(String.format(Locale.ROOT, "  {\"round\": %d, \"driver\": \"%s\", \"reads\": %d,"
                                + " \"wall_us_per_read\": %.2f, \"client_cpu_us_per_read\": %.2f,"
                                + " \"servers_cpu_us_per_read\": %.2f}", round, t.param(), reads, wall, client, servers));
                    }
                }
            }
        }
        if (out != null) {
            Files.writeString(out, "[\n" + String.join(",\n", json) + "\n]\n");
            System.out.println("written to " + out);
        }
    }

    /** utime + stime of every server process, in clock ticks. */
    private static long serverTicks(BenchDatabase db) throws IOException {
        long sum = 0;
        for (Node n : db.cluster().nodes()) {
            String stat = Files.readString(Path.of("/proc/" + n.pid() + "/stat"));
            // fields after the command name, which is in parentheses and may hold spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
        return sum;
    }
}
