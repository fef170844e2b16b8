package io.rwsplit.core.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides each node's role from the latest probes: a pure function.
 *
 * <ul>
 * <li>A node that replicates is a replica.</li>
 * <li>A node that is writable and does not replicate is a primary candidate. With more than one
 * (a split brain, or a failover another instance is part-way through), the one most replicas
 * replicate from wins, then the earliest in configuration order; the others are not routed to.</li>
 * <li>A read-only node that does not replicate (a fenced old primary) is not routed to.</li>
 * <li>A fenced node (an old primary that failover replaced) is never the primary, whatever its
 * flags say.</li>
 * <li>A node whose last probe failed keeps the role of its last good probe, so a primary that
 * misses one probe keeps taking writes until its health says it is down.</li>
 * </ul>
 */
final class RoleResolver {

    private RoleResolver() {
    }

    static List<Role> resolve(List<NodeTracker> nodes) {
        return resolve(nodes, Set.of());
    }

    static List<Role> resolve(List<NodeTracker> nodes, Set<NodeId> fenced) {
        List<Integer> candidates = new ArrayList<>(1);
        for (int i = 0; i < nodes.size(); i++) {
            ProbeResult r = current(nodes.get(i));
            if (r != null && r.looksPrimary() && !fenced.contains(nodes.get(i).id)) {
                candidates.add(i);
            }
        }
        int primary = candidates.isEmpty() ? -1 : candidates.get(0);
        if (candidates.size() > 1) {
            int best = -1;
            for (int c : candidates) {
                int followers = followers(nodes, nodes.get(c).id);
                if (followers > best) {
                    best = followers;
                    primary = c;
                }
            }
        }
        List<Role> roles = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            ProbeResult r = current(nodes.get(i));
            if (r == null) {
                roles.add(Role.UNKNOWN);
            } else if (r.replica().replicating()) {
                roles.add(Role.REPLICA);
            } else if (i == primary) {
                roles.add(Role.PRIMARY);
            } else {
                roles.add(Role.UNKNOWN);
            }
        }
        return roles;
    }

    /** The probe roles are judged by: the latest, or the last good one when the latest failed. */
    private static ProbeResult current(NodeTracker n) {
        ProbeResult last = n.last();
        return last != null && last.ok() ? last : n.lastGood();
    }

    private static int followers(List<NodeTracker> nodes, NodeId candidate) {
        int n = 0;
        for (NodeTracker t : nodes) {
            ProbeResult r = current(t);
            if (r != null && r.replica().replicating() && candidate.port() == r.replica().sourcePort()
                    && sameHost(candidate.host(), r.replica().sourceHost())) {
                n++;
            }
        }
        return n;
    }

    private static boolean sameHost(String a, String b) {
        if (b == null) {
            return false;
        }
        return a.equalsIgnoreCase(b) || (isLoopback(a) && isLoopback(b));
    }

    private static boolean isLoopback(String h) {
        return h.equals("127.0.0.1") || h.equalsIgnoreCase("localhost") || h.equals("::1");
    }
}
