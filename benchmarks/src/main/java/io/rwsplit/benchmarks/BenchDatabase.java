package io.rwsplit.benchmarks;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.local.LocalCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A local MariaDB primary with two replicas (the sandbox's bundled 11.4), loaded with the tables
 * the driver benchmarks read and write, and the servers' own statement counters: they, not the
 * drivers, say where a statement ran.
 */
final class BenchDatabase implements AutoCloseable {

    /** Rows of {@code bench_users}; point selects pick an id in 1..USERS. */
    static final int USERS = 10_000;

    private static final int ROWS_PER_INSERT = 1_000;

    private final Cluster cluster;

    private BenchDatabase(Cluster cluster) {
        this.cluster = cluster;
    }

    /** Starts the servers, creates and fills the tables, and waits until both replicas have them. */
    static BenchDatabase start() {
        // TLS stays on although every driver connects with sslMode=DISABLED: with tls(false) the
        // replicas of MariaDB 11.4 never caught up during setup (their replication connection
        // presumably still asks for TLS, which the servers then lack)
        Cluster cluster = LocalCluster.builder().replicas(2).start();
        try {
            load(cluster);
            cluster.awaitReplicasCaughtUp(Duration.ofSeconds(60));
            return new BenchDatabase(cluster);
        } catch (SQLException | RuntimeException e) {
            cluster.close();
            throw new IllegalStateException("could not load the benchmark tables: " + e.getMessage(), e);
        }
    }

    private static void load(Cluster cluster) throws SQLException {
        try (Connection c = cluster.primary().connect(cluster.app()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bench_users (id INT PRIMARY KEY, name VARCHAR(64) NOT NULL,"
                    + " email VARCHAR(128) NOT NULL, created_at DATETIME NOT NULL)");
            s.execute("CREATE TABLE bench_events (id BIGINT AUTO_INCREMENT PRIMARY KEY, user_id INT NOT NULL,"
                    + " amount DECIMAL(10,2) NOT NULL, note VARCHAR(64) NOT NULL)");
            // multi-row inserts built here: portable to a MySQL server the sandbox may be told to run instead
            for (int from = 1; from <= USERS; from += ROWS_PER_INSERT) {
                StringBuilder sql = new StringBuilder("INSERT INTO bench_users VALUES ");
                for (int id = from; id < from + ROWS_PER_INSERT && id <= USERS; id++) {
                    if (id > from) {
                        sql.append(',');
                    }
                    sql.append('(').append(id).append(",'user").append(id).append("','user").append(id)
                            .append("@example.com','2024-01-01 00:00:00' + INTERVAL ").append(id).append(" MINUTE)");
                }
                s.executeUpdate(sql.toString());
            }
        }
    }

    Cluster cluster() {
        return cluster;
    }

    /** {@code SHOW GLOBAL STATUS LIKE name} of every node, primary first, by node name. */
    Map<String, Long> counters(String name) throws SQLException {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Node n : cluster.nodes()) {
            try (Connection c = n.connectAdmin(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE '" + name + "'")) {
                if (!rs.next()) {
                    throw new IllegalStateException(n.name() + " has no status variable " + name);
                }
                m.put(n.name(), rs.getLong(2));
            }
        }
        return m;
    }

    static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new LinkedHashMap<>();
        after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0L)));
        return d;
    }

    @Override
    public void close() {
        cluster.close();
    }
}
