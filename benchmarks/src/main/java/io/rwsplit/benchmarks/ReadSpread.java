package io.rwsplit.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Which server served the reads, per driver: a fixed number of point selects through the same
 * code and pool as {@link DriverBenchmark#pointSelect}, split over 1 and then 4 threads that each
 * keep one pooled connection, with every node's {@code Com_select} read before and after. One
 * cluster serves every driver in turn.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.rwsplit.benchmarks.ReadSpread [reads] [result.json] [driver,...]
 * </pre>
 *
 * <p>A node's count also holds what was not a benchmark read: the query Connector/J sends when the
 * counters' own admin connection opens (one per node per reading), the queries that open a
 * connection a driver makes lazily during the run, and rwsplit's monitor probes. The
 * {@code extra} column is that surplus, all nodes together. {@code statements/read} is every
 * node's {@code Questions} (every statement the servers ran, {@code SET}s included) over the reads:
 * what one read costs in round trips.
 */
public final class ReadSpread {

    private static final int[] THREADS = {1, 4};

    private ReadSpread() {
    }

    public static void main(String[] args) throws Exception {
        int reads = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path out = args.length > 1 && !args[1].isEmpty() ? Path.of(args[1]) : null;
        List<Target> targets = Target.list(args.length > 2 ? args[2] : "");
        List<String> json = new ArrayList<>();
        try (BenchDatabase db = BenchDatabase.start()) {
            List<String> nodes = new ArrayList<>(db.counters("Com_select").keySet());
            System.out.println("| driver | threads | reads | " + String.join(" | ", nodes) + " | extra | statements/read |");
            System.out.println("|---|--:|--:|" + "--:|".repeat(nodes.size()) + "--:|--:|");
            for (int threads : THREADS) {
                for (Target t : targets) {
                    Map<String, Map<String, Long>> counted = run(db, t, threads, reads - reads % threads);
                    Map<String, Long> d = counted.get("Com_select");
                    long total = d.values().stream().mapToLong(Long::longValue).sum();
                    double perRead = counted.get("Questions").values().stream().mapToLong(Long::longValue).sum()
                            / (double) reads;
                    StringBuilder row = new StringBuilder("| " + t.param() + " | " + threads + " | " + reads + " | ");
                    for (String n : nodes) {
                        row.append(String.format(Locale.ROOT, "%.1f %% (%d) | ", 100.0 * d.get(n) / total, d.get(n)));
                    }
                    System.out.println(row.append(total - reads).append(" | ")
                            .append(String.format(Locale.ROOT, "%.2f", perRead)).append(" |"));
                    StringBuilder j = new StringBuilder("  {\"driver\": \"" + t.param() + "\", \"threads\": " + threads
                            + ", \"reads\": " + reads + ", \"questions_delta_all_nodes\": "
                            + counted.get("Questions").values().stream().mapToLong(Long::longValue).sum()
                            + ", \"com_select_delta\": {");
                    for (int i = 0; i < nodes.size(); i++) {
                        j.append(i == 0 ? "" : ", ").append('"').append(nodes.get(i)).append("\": ")
                                .append(d.get(nodes.get(i)));
                    }
                    json.add(j.append("}}").toString());
                }
            }
        }
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, "[\n" + String.join(",\n", json) + "\n]\n");
            System.out.println("read spread written to " + out);
        }
    }

    /** {@code reads} point selects over {@code threads} threads; the nodes' Com_select and Questions deltas. */
    private static Map<String, Map<String, Long>> run(BenchDatabase db, Target t, int threads, int reads) throws Exception {
        try (HikariDataSource pool = t.pool(db.cluster(), threads)) {
            ExecutorService exec = Executors.newFixedThreadPool(threads);
            try {
                // every thread holds its connection before the counters are read: opening one runs queries too
                CyclicBarrier opened = new CyclicBarrier(threads + 1);
                CyclicBarrier go = new CyclicBarrier(threads + 1);
                List<Future<Void>> done = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    int seed = i;
                    done.add(exec.submit(() -> {
                        try (Connection c = pool.getConnection()) {
                            opened.await();
                            go.await();
                            SplittableRandom random = new SplittableRandom(seed);
                            for (int r = 0; r < reads / threads; r++) {
                                Requests.pointSelect(c, t.togglesReadOnly(), 1 + random.nextInt(BenchDatabase.USERS));
                            }
                        }
                        return null;
                    }));
                }
                opened.await();
                Map<String, Long> selects = db.counters("Com_select");
                Map<String, Long> questions = db.counters("Questions");
                go.await();
                for (Future<Void> f : done) {
                    f.get();
                }
                return Map.of("Com_select", BenchDatabase.delta(selects, db.counters("Com_select")),
                        "Questions", BenchDatabase.delta(questions, db.counters("Questions")));
            } finally {
                exec.shutdownNow();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(t.param() + ": " + e.getMessage(), e);
        }
    }
}
