package io.rwsplit.core.failover;

import io.rwsplit.core.topology.NodeId;
import java.util.List;
import java.util.Optional;

/**
 * Whether a planned switchover may go ahead, and to which replica: a pure function of the nodes'
 * states, asked once before a front end holds its writes and again under the failover lock.
 *
 * <p>The current primary must be healthy and act as one (writable, replicating from nobody): a
 * switchover swaps two working servers, and a failed primary is failover's business. The target is
 * the replica named, or else the one {@link CandidateChoice} would promote. It must be healthy, allowed
 * to be promoted, and replicate from the current primary with both threads running, because the
 * switchover waits for it to apply the primary's last transaction: a replica that cannot get there
 * would only make the wait run out.
 *
 * @param primary the primary to replace; {@code null} when there is none to replace
 * @param target  the replica to promote; {@code null} when refused
 * @param reason  why this target, or why the switchover is refused
 */
public record SwitchoverPlan(NodeId primary, NodeId target, String reason) {

    public boolean refused() {
        return target == null;
    }

    /**
     * @param primary the node the topology shows as primary, {@code null} when none
     * @param target  the name of the replica to promote; empty to take the best candidate
     * @param nodes   every configured node, in configuration order
     */
    public static SwitchoverPlan plan(NodeId primary, Optional<String> target, List<NodeState> nodes) {
        if (primary == null) {
            return refuse(null, "there is no healthy primary to switch over from (a failed primary is failover's "
                    + "business)");
        }
        NodeState p = find(nodes, primary.name());
        if (p == null || !p.reachable() || !p.up()) {
            return refuse(primary, "the primary " + primary.name() + " is not healthy");
        }
        if (!p.looksPrimary()) {
            return refuse(primary, "the primary " + primary.name() + " does not act as one (it is read-only or "
                    + "replicates)");
        }
        NodeState t;
        String why;
        if (target.isPresent()) {
            t = find(nodes, target.get());
            if (t == null) {
                return refuse(primary, "no node named '" + target.get() + "'");
            }
            if (t == p) {
                return refuse(primary, target.get() + " is the primary already");
            }
            why = "named by the operator";
        } else {
            Candidate c = CandidateChoice.choose(primary, nodes);
            if (c.chosen() == null) {
                return refuse(primary, "no replica can take over: " + c.reason() + " " + c.passedOver());
            }
            t = find(nodes, c.chosen().name());
            why = c.reason();
        }
        String unfit = unfit(t, primary);
        if (unfit != null) {
            return refuse(primary, t.id().name() + " cannot take over: " + unfit);
        }
        return new SwitchoverPlan(primary, t.id(), t.id().name() + " takes over from " + primary.name() + " (" + why
                + ")");
    }

    /** Why {@code n} cannot be switched to, or {@code null} when it can. */
    private static String unfit(NodeState n, NodeId primary) {
        if (!n.reachable()) {
            return "unreachable";
        }
        if (!n.up()) {
            return "down";
        }
        if (!n.settings().promotable()) {
            return "promotable: false";
        }
        if (!n.replica().replicating()) {
            return "not a replica";
        }
        if (!n.replicatesFrom(primary)) {
            return "replicates from " + n.replica().sourceHost() + ":" + n.replica().sourcePort() + ", not from "
                    + primary.name();
        }
        if (!n.replica().ioRunning() || !n.replica().sqlRunning()) {
            String error = n.replica().lastError();
            return "replication is not running (receiver " + (n.replica().ioRunning() ? "on" : "off") + ", applier "
                    + (n.replica().sqlRunning() ? "on" : "off") + (error.isEmpty() ? "" : ": " + error) + ")";
        }
        if (n.executed() == null) {
            return "GTID position unknown";
        }
        return null;
    }

    private static NodeState find(List<NodeState> nodes, String name) {
        return nodes.stream().filter(n -> n.id().name().equals(name)).findFirst().orElse(null);
    }

    private static SwitchoverPlan refuse(NodeId primary, String reason) {
        return new SwitchoverPlan(primary, null, reason);
    }

    @Override
    public String toString() {
        return refused() ? "switchover refused: " + reason : "switchover: " + reason;
    }
}
