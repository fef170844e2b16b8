package io.rwsplit.core.failover;

import io.rwsplit.core.topology.NodeId;
import java.util.List;

/**
 * Whether a primary the monitor marked down is really gone: a pure function of the nodes' states.
 *
 * <p>The monitor marks a node down after {@code failCount} failed passes in a row. That alone
 * only says this instance cannot reach it: a network problem between this front end and the
 * primary looks the same. So the replicas break the tie: while a reachable replica reports its
 * receiver connected to the primary, the primary is alive for the cluster and is not failed over
 * (clients of this instance get errors until it can reach it again, which is better than two
 * primaries). A killed primary drops its replicas' connections at once; a frozen one keeps them
 * until the replicas' {@code slave_net_timeout} / {@code replica_net_timeout} expires, which
 * therefore bounds how fast a frozen primary is failed over.
 */
public final class Detection {

    private Detection() {
    }

    /** The verdict, and why, for the log. */
    public record Verdict(boolean failOver, String reason) {
    }

    /**
     * @param primary the node last seen as primary
     * @param nodes   every configured node, the primary among them
     */
    public static Verdict judge(NodeId primary, List<NodeState> nodes) {
        NodeState p = nodes.stream().filter(n -> n.id().equals(primary)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + primary));
        if (p.up()) {
            return new Verdict(false, primary.name() + " is up");
        }
        int reachableReplicas = 0;
        for (NodeState n : nodes) {
            if (n == p || !n.reachable() || !n.replica().replicating()) {
                continue;
            }
            reachableReplicas++;
            if (n.replicatesFrom(primary) && n.replica().ioRunning()) {
                return new Verdict(false, primary.name() + " is down for this instance, but " + n.id().name()
                        + " still receives from it");
            }
        }
        if (reachableReplicas == 0) {
            return new Verdict(false, primary.name() + " is down and no replica is reachable");
        }
        return new Verdict(true, primary.name() + " is down and none of the " + reachableReplicas
                + " reachable replicas receives from it");
    }
}
