package io.rwsplit.core.balance;

import static io.rwsplit.core.balance.Nodes.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.core.config.BalanceStrategy;
import io.rwsplit.core.topology.NodeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

/** Many sessions share one balancer; picks from several threads must add up as if made in turn. */
class ConcurrentPicksTest {

    private static final int THREADS = 4;
    private static final int PICKS_PER_THREAD = 10_000;
    private static final int TOTAL = THREADS * PICKS_PER_THREAD;

    private static Map<String, Long> pickConcurrently(LoadBalancer balancer, List<NodeView> nodes) throws Exception {
        Map<String, LongAdder> counts = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < PICKS_PER_THREAD; i++) {
                        counts.computeIfAbsent(balancer.pick(nodes, i).name(), k -> new LongAdder()).increment();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, Long> totals = new TreeMap<>();
        counts.forEach((name, n) -> totals.put(name, n.sum()));
        return totals;
    }

    @Test
    void roundRobinStaysExact() throws Exception {
        Map<String, Long> counts = pickConcurrently(new RoundRobinBalancer(), List.of(node("a"), node("b"), node("c")));

        // 40,000 consecutive counter values: one node gets the one left over.
        assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(TOTAL);
        assertThat(counts.values()).containsExactlyInAnyOrder(13_334L, 13_333L, 13_333L);
    }

    @Test
    void weightedStaysExact() throws Exception {
        Map<String, Long> counts =
                pickConcurrently(new SmoothWeightedBalancer(), List.of(node("a", 1), node("b", 3)));

        assertThat(counts).isEqualTo(Map.of("a", 10_000L, "b", 30_000L));
    }

    @Test
    void randomWithANonThreadSafeGeneratorStaysUniform() throws Exception {
        LoadBalancer balancer = LoadBalancers.create(BalanceStrategy.RANDOM,
                RandomGeneratorFactory.of("L64X128MixRandom").create(99));

        Map<String, Long> counts = pickConcurrently(balancer, List.of(node("a"), node("b"), node("c"), node("d")));

        assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(TOTAL);
        counts.values().forEach(n -> assertThat(n).isBetween(9_500L, 10_500L));
    }
}
