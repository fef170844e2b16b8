package io.rwsplit.core.balance;

import io.rwsplit.core.topology.NodeView;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Picks the candidate with the lowest score, taking the tied lowest in turn. Without the rotation
 * every tie (all replicas idle, say) would go to the first listed node and pile load on it; with it
 * equal nodes share picks evenly. The rotation only advances on ties, so it spreads tied picks
 * whatever happens in between.
 */
final class LowestScore {

    private final RoundRobinCursor ties = new RoundRobinCursor();

    NodeView pick(List<NodeView> candidates, ToDoubleFunction<NodeView> score) {
        int size = candidates.size();
        if (size == 1) {
            return candidates.get(0);
        }
        // Live counters move while we look; read each once so both passes agree on the winner.
        double[] scores = new double[size];
        double lowest = Double.POSITIVE_INFINITY;
        int tied = 0;
        for (int i = 0; i < size; i++) {
            double s = score.applyAsDouble(candidates.get(i));
            scores[i] = s;
            if (s < lowest) {
                lowest = s;
                tied = 1;
            } else if (s == lowest) {
                tied++;
            }
        }
        int skip = tied == 1 ? 0 : ties.next(tied);
        for (int i = 0; i < size; i++) {
            if (scores[i] == lowest && skip-- == 0) {
                return candidates.get(i);
            }
        }
        throw new IllegalStateException("no lowest score among " + candidates);
    }
}
