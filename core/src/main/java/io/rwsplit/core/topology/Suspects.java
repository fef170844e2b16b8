package io.rwsplit.core.topology;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Nodes a front end saw fail (a statement or connection attempt found the server gone) before the
 * monitor says so: the monitor declares a node down only after {@code failCount} failed passes,
 * while the failure is known at once. A suspect counts as down until the monitor has passed
 * {@code failCount + 1} more times and still finds it up (a pass may have probed before the
 * failure, so an "up" from it clears nothing), and, for a replica, knows its lag again.
 * Thread-safe.
 */
public final class Suspects {

    private final Map<NodeId, Long> sincePass = new ConcurrentHashMap<>();
    private final long settle;

    /** @param failCount the monitor's failed passes before it declares a node down */
    public Suspects(int failCount) {
        this.settle = Math.max(1, failCount) + 1L;
    }

    /** {@code node} just failed; {@code pass} is the monitor's pass count now. */
    public void suspect(NodeId node, long pass) {
        sincePass.put(node, pass);
    }

    /** {@code t} with every suspect still unsettled marked down; clears the settled ones. */
    public TopologySnapshot apply(TopologySnapshot t, long passes) {
        if (sincePass.isEmpty()) {
            return t;
        }
        for (Map.Entry<NodeId, Long> s : sincePass.entrySet()) {
            NodeView n = t.node(s.getKey()).orElse(null);
            if (n == null) {
                continue;
            }
            boolean cleared = passes > s.getValue() + settle && n.isUp()
                    && (n.role() != Role.REPLICA || n.lag() != null);
            if (cleared) {
                sincePass.remove(s.getKey(), s.getValue());
            } else {
                t = t.with(n.withHealth(Health.DOWN));
            }
        }
        return t;
    }
}
