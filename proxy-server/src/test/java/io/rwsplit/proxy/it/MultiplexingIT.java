package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rwsplit.proxy.config.ClientTlsConfig;
import io.rwsplit.proxy.config.LimitsConfig;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A thousand client connections through a proxy whose pools hold at most {@link #POOL_MAX}
 * connections per node: autocommit reads give their backend connection back after each
 * statement, so the servers see a handful of the application's connections, not a thousand.
 * Counted by the servers themselves ({@code information_schema.processlist}), sampled all along.
 */
@SandboxCluster(replicas = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiplexingIT {

    private static final int CLIENTS = 1_000;
    private static final int READS_PER_CLIENT = 3;
    /** The proxy's pool size per node (split between its event loops). */
    private static final int POOL_MAX = 8;
    /**
     * A connection the pool replaces (broken, too old, or made room for another kind) is closed
     * asynchronously: the server lists it until it has seen the close, next to its successor.
     */
    private static final int CLOSING_SLACK = 2;

    private final Cluster cluster;
    private RunningProxy proxy;
    private Set<Integer> replicaIds;

    MultiplexingIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    void start() {
        replicaIds = cluster.replicas().stream().map(Node::serverId).collect(Collectors.toSet());
        LimitsConfig limits = new LimitsConfig(CLIENTS + 100, Duration.ofSeconds(10), 64L << 20,
                Duration.ofSeconds(2), 2);
        proxy = RunningProxy.start(cluster, "pool: {maxSize: " + POOL_MAX + ", acquireTimeout: 10s}\n", limits,
                ClientTlsConfig.OFF);
    }

    @AfterAll
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    /** The application account's connections on each node, by node name. */
    private Map<String, Integer> appConnections(Map<String, Connection> admin) throws SQLException {
        Map<String, Integer> m = new ConcurrentHashMap<>();
        for (Map.Entry<String, Connection> e : admin.entrySet()) {
            try (Statement s = e.getValue().createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.processlist WHERE user = '"
                            + cluster.app().user() + "'")) {
                rs.next();
                m.put(e.getKey(), rs.getInt(1));
            }
        }
        return m;
    }

    @Test
    void aThousandClientsShareAFewServerConnections() throws Exception {
        Map<String, Connection> admin = new ConcurrentHashMap<>();
        for (Node n : cluster.nodes()) {
            admin.put(n.name(), n.connectAdmin());
        }
        // connections other tests on this shared cluster just closed may linger in the processlist for a moment
        await().atMost(Duration.ofSeconds(10)).until(() -> appConnections(admin).values().stream()
                .allMatch(n -> n <= 2));
        Map<String, Integer> peak = new ConcurrentHashMap<>();
        AtomicInteger samples = new AtomicInteger();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleWithFixedDelay(() -> {
            try {
                appConnections(admin).forEach((node, n) -> peak.merge(node, n, Math::max));
                samples.incrementAndGet();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, 0, 10, TimeUnit.MILLISECONDS);
        List<Connection> clients = Collections.synchronizedList(new ArrayList<>(CLIENTS));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            String options = "cacheServerConfiguration=true&useLocalSessionState=true&socketTimeout=20000";
            List<Future<?>> opening = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                opening.add(pool.submit(() -> clients.add(proxy.connect(options))));
            }
            for (Future<?> f : opening) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertThat(clients).hasSize(CLIENTS);
            assertThat(proxy.server.runtime().clientCount()).isEqualTo(CLIENTS);

            // every client reads, up to 16 at a time, while all thousand stay connected
            Map<Integer, AtomicInteger> servedBy = new ConcurrentHashMap<>();
            List<Future<?>> reading = new ArrayList<>();
            for (Connection c : clients) {
                reading.add(pool.submit(() -> {
                    try (Statement s = c.createStatement()) {
                        for (int r = 0; r < READS_PER_CLIENT; r++) {
                            try (ResultSet rs = s.executeQuery("SELECT @@server_id")) {
                                rs.next();
                                servedBy.computeIfAbsent(rs.getInt(1), k -> new AtomicInteger()).incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : reading) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertThat(servedBy.keySet()).isEqualTo(replicaIds);
            assertThat(servedBy.values().stream().mapToInt(AtomicInteger::get).sum())
                    .isEqualTo(CLIENTS * READS_PER_CLIENT);
            Map<String, Integer> now = appConnections(admin);
            assertThat(proxy.server.runtime().clientCount()).isEqualTo(CLIENTS);
            assertThat(now.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(POOL_MAX + CLOSING_SLACK));
        } finally {
            sampler.shutdown();
            sampler.awaitTermination(5, TimeUnit.SECONDS);
            pool.shutdownNow();
            for (Connection c : clients) {
                c.close();
            }
        }
        assertThat(samples.get()).isPositive();
        // at no moment did a node carry more of the application's connections than the proxy's pool allows
        assertThat(peak).containsOnlyKeys(cluster.nodes().stream().map(Node::name).toList());
        assertThat(peak.values()).allSatisfy(n -> assertThat(n).isBetween(0, POOL_MAX + CLOSING_SLACK));
        assertThat(peak.entrySet().stream().filter(e -> !e.getKey().equals(cluster.primary().name()))
                .mapToInt(Map.Entry::getValue)).allSatisfy(n -> assertThat(n).isPositive());
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.server.runtime().clientCount() == 0);
        for (Connection c : admin.values()) {
            c.close();
        }
    }
}
