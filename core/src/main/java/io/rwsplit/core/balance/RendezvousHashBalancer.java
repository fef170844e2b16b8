package io.rwsplit.core.balance;

import io.rwsplit.core.topology.NodeView;
import java.util.List;

/**
 * Affinity by rendezvous (highest random weight) hashing: every candidate gets a pseudo-random
 * score from the affinity key and its name, and the highest score wins. The score of a node
 * depends on nothing else, so the same key goes to the same node for as long as the candidate set
 * is unchanged (in any order, in any process, after a restart), and when a node leaves only the
 * keys it held move, each to the node that scored second for it; keys of other nodes stay put.
 *
 * <p>The score is weighted: with {@code u} in (0, 1) from the hash, {@code weight / -ln(u)} makes
 * each node win a share of keys proportional to its weight while keeping the properties above.
 * Nodes of weight 0 win no keys unless every candidate has weight 0, then weights are ignored.
 *
 * <p>The key, XORed with a 64-bit hash of the name, goes through the SplitMix64 finaliser, a
 * bijection whose every output bit depends on every input bit, so keys that differ little
 * (consecutive session ids) still get unrelated scores.
 */
final class RendezvousHashBalancer implements LoadBalancer {

    @Override
    public NodeView pick(List<NodeView> candidates, long affinityKey) {
        boolean weighted = false;
        for (NodeView node : candidates) {
            if (node.settings().weight() > 0) {
                weighted = true;
                break;
            }
        }
        NodeView best = null;
        double bestScore = 0;
        for (NodeView node : candidates) {
            int weight = weighted ? node.settings().weight() : 1;
            if (weight == 0) {
                continue;
            }
            double score = weight / -Math.log(unit(mix(affinityKey ^ nameHash(node.name()))));
            if (best == null || score > bestScore
                    || (score == bestScore && node.name().compareTo(best.name()) < 0)) {
                best = node;
                bestScore = score;
            }
        }
        return best;
    }

    /** The top 53 bits as a double strictly between 0 and 1, so its logarithm is finite and negative. */
    private static double unit(long hash) {
        return ((hash >>> 11) + 0.5) * 0x1.0p-53;
    }

    /** FNV-1a over the name's characters, then mixed: 64 bits, unlike {@link String#hashCode()}. */
    static long nameHash(String name) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < name.length(); i++) {
            h ^= name.charAt(i);
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    /** SplitMix64's finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
