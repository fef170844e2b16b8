package io.rwsplit.proxy.admin;

import io.rwsplit.core.topology.NodeView;
import io.rwsplit.core.topology.TopologySnapshot;
import java.util.HashMap;
import java.util.Map;

/**
 * Statements per second of each node over the last few seconds, from the nodes' completed-statement
 * counters ({@link io.rwsplit.core.topology.NodeStats#completed()}): a sample a second in a ring,
 * and the rate is the difference between the newest and the oldest sample over the time between
 * them. Sampled and read on the admin event loop; synchronized all the same, since it is cheap.
 */
final class StatementRates {

    /** Six samples a second apart: a five-second window. */
    static final int SAMPLES = 6;

    private final long[] times = new long[SAMPLES];
    private final Map<String, long[]> counts = new HashMap<>();
    private int next;
    private int filled;

    synchronized void sample(TopologySnapshot topology, long nowNanos) {
        times[next] = nowNanos;
        for (NodeView n : topology.nodes()) {
            counts.computeIfAbsent(n.name(), k -> new long[SAMPLES])[next] = n.stats().completed();
        }
        next = (next + 1) % SAMPLES;
        filled = Math.min(SAMPLES, filled + 1);
    }

    /** Statements a second on {@code node}; 0 until two samples were taken. */
    synchronized double perSecond(String node) {
        long[] c = counts.get(node);
        if (c == null || filled < 2) {
            return 0;
        }
        int newest = (next - 1 + SAMPLES) % SAMPLES;
        int oldest = filled < SAMPLES ? 0 : next;
        double seconds = (times[newest] - times[oldest]) / 1e9;
        return seconds <= 0 ? 0 : Math.max(0, c[newest] - c[oldest]) / seconds;
    }
}
