package io.rwsplit.core.balance;

import io.rwsplit.core.topology.NodeId;
import io.rwsplit.core.topology.NodeView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Smooth weighted round robin, as nginx does it. Every node has a current value, starting at 0.
 * Each pick adds every candidate's weight to its current value, picks the candidate with the
 * highest current value (the first listed on a tie) and subtracts the sum of the weights from the
 * winner. Over any {@code total weight} consecutive picks on an unchanged list each node is picked
 * exactly {@code weight} times, and the picks are interleaved: weights 5, 1, 1 give
 * {@code a a b a c a a}, not {@code a a a a a b c}, so a heavy replica is not hit in bursts.
 *
 * <p>Nodes with weight 0 never take a pick unless every candidate has weight 0; then plain round
 * robin keeps reads flowing rather than failing. The current values of nodes that are no longer
 * candidates are dropped, so a replica that comes back starts afresh and departed nodes do not
 * pile up. Picks take a lock: the update reads and writes every candidate's value together.
 */
final class SmoothWeightedBalancer implements LoadBalancer {

    /** A node's running value; {@code seen} is the pick that last counted it. */
    private static final class Current {
        long value;
        long seen;
    }

    private final Object lock = new Object();
    private final Map<NodeId, Current> current = new HashMap<>();
    private final RoundRobinCursor allZero = new RoundRobinCursor();
    private long picks;

    @Override
    public NodeView pick(List<NodeView> candidates, long affinityKey) {
        synchronized (lock) {
            long stamp = ++picks;
            long total = 0;
            int counted = 0;
            NodeView best = null;
            Current bestCurrent = null;
            for (NodeView node : candidates) {
                int weight = node.settings().weight();
                if (weight == 0) {
                    continue;
                }
                Current c = current.computeIfAbsent(node.id(), id -> new Current());
                if (c.seen == stamp) {
                    continue; // listed twice: count its weight once
                }
                c.seen = stamp;
                counted++;
                c.value += weight;
                total += weight;
                if (bestCurrent == null || c.value > bestCurrent.value) {
                    best = node;
                    bestCurrent = c;
                }
            }
            if (current.size() > counted) {
                current.values().removeIf(c -> c.seen != stamp);
            }
            if (best == null) {
                return candidates.get(allZero.next(candidates.size()));
            }
            bestCurrent.value -= total;
            return best;
        }
    }

    /** How many nodes have a current value kept; for tests of the clean-up. */
    int trackedNodes() {
        synchronized (lock) {
            return current.size();
        }
    }
}
