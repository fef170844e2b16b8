package io.rwsplit.core.route;

import io.rwsplit.core.flavor.GtidSet;
import io.rwsplit.core.topology.NodeSettings;
import io.rwsplit.core.topology.NodeView;
import io.rwsplit.core.topology.Role;
import io.rwsplit.core.topology.TopologySnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Which nodes may serve a read: a pure function of the topology and the read's constraints, with
 * the reason each left-out node was left out.
 *
 * <ol>
 * <li>A replica is eligible when it is up, not draining, its lag is known and at most
 * {@code maxLag}, its weight is not 0, and (for causal reads) it has applied the session's last
 * write. Unknown lag means replication is stopped or broken: never fresh.</li>
 * <li>Standby replicas (active-passive) are used only when no other replica is eligible.</li>
 * <li>With a primary read weight (active-active) the primary joins the candidates with that weight.</li>
 * </ol>
 *
 * <p>Worked example, {@code maxLag} 1 s: r1 lag 0.2 s, r2 lag 3 s, r3 standby lag 0 s, r4 down →
 * candidates [r1]; excluded "r2 over max_lag (3.0 s > 1.0 s)", "r4 down"; r3 is not needed. Stop r1's
 * applier → r1 lag unknown → candidates [r3] (the standby steps in).
 */
final class ReadCandidates {

    private ReadCandidates() {
    }

    record Result(List<NodeView> nodes, List<String> excluded) {

        boolean isEmpty() {
            return nodes.isEmpty();
        }

        String excludedText() {
            return excluded.isEmpty() ? "no replicas configured" : String.join("; ", excluded);
        }
    }

    static Result of(TopologySnapshot topology, Duration maxLag, int primaryReadWeight, GtidSet mustHave) {
        List<NodeView> active = new ArrayList<>(topology.nodes().size());
        List<NodeView> standby = new ArrayList<>(1);
        List<String> excluded = new ArrayList<>(0);
        for (NodeView n : topology.nodes()) {
            if (n.role() != Role.REPLICA) {
                continue;
            }
            String why = exclusion(n, maxLag, mustHave);
            if (why != null) {
                excluded.add(n.name() + " " + why);
            } else if (n.settings().standby()) {
                standby.add(n);
            } else {
                active.add(n);
            }
        }
        List<NodeView> chosen = active.isEmpty() ? standby : active;
        if (primaryReadWeight > 0) {
            NodeView p = topology.primary().orElse(null);
            if (p != null && !p.draining()) {
                NodeSettings s = p.settings();
                List<NodeView> withPrimary = new ArrayList<>(chosen.size() + 1);
                withPrimary.addAll(chosen);
                withPrimary.add(new NodeView(p.id(), p.role(), p.health(), Duration.ZERO, p.executed(),
                        new NodeSettings(primaryReadWeight, false, s.promotable()), false, p.stats()));
                chosen = withPrimary;
            }
        }
        return new Result(chosen, excluded);
    }

    /** Why a replica cannot serve the read, or {@code null} if it can. */
    private static String exclusion(NodeView n, Duration maxLag, GtidSet mustHave) {
        if (!n.isUp()) {
            return "down";
        }
        if (n.draining()) {
            return "draining";
        }
        if (n.settings().weight() == 0) {
            return "has weight 0";
        }
        if (n.lag() == null) {
            return "replication not running (lag unknown)";
        }
        if (n.lag().compareTo(maxLag) > 0) {
            return "over max_lag (" + seconds(n.lag()) + " > " + seconds(maxLag) + ")";
        }
        if (mustHave != null && (n.executed() == null || !n.executed().contains(mustHave))) {
            return "has not applied this session's last write";
        }
        return null;
    }

    static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
