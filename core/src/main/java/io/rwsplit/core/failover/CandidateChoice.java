package io.rwsplit.core.failover;

import io.rwsplit.core.flavor.GtidSet;
import io.rwsplit.core.topology.NodeId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks the replica to promote when the primary is gone: a pure function of the nodes' states.
 *
 * <p>A node may be chosen when it is reachable and healthy, replicates (a fenced old primary or a
 * reset node does not), is {@code promotable}, and its applier runs (a stopped applier, stopped by
 * hand or by an error, applies nothing more, so what it received is not what it holds; receiver
 * errors are expected, the primary being gone). Among those,
 * the chosen one must hold every transaction each other replica holds, compared by
 * {@link GtidSet#contains}: then no replica has a transaction it lacks, so every other replica can
 * be repointed to it by GTID without losing anything and without errant transactions making
 * auto-positioning fail. A node's position is what it applied plus, while its applier runs, what
 * it has received (it applies that before being promoted; see {@link Promoter}). A lagging replica
 * is therefore never chosen while a fresher one exists: the fresher one holds something it lacks.
 * Ties (equal positions, the usual case) go to the earliest node in configuration order, so that
 * every instance chooses alike. When no eligible node holds everything (divergent replicas: errant
 * transactions, or the most advanced one is not promotable) there is no candidate; promoting one
 * would drop the others' transactions.
 */
public final class CandidateChoice {

    private CandidateChoice() {
    }

    /**
     * @param oldPrimary the failed primary, never chosen and not compared against
     * @param nodes      every configured node, in configuration order
     */
    public static Candidate choose(NodeId oldPrimary, List<NodeState> nodes) {
        Map<String, String> passedOver = new LinkedHashMap<>();
        List<NodeState> followers = new ArrayList<>();
        List<NodeState> eligible = new ArrayList<>();
        for (NodeState n : nodes) {
            if (n.id().equals(oldPrimary)) {
                continue;
            }
            if (n.reachable() && n.replica().replicating()) {
                followers.add(n);
            }
            String why = ineligible(n);
            if (why == null) {
                eligible.add(n);
            } else {
                passedOver.put(n.id().name(), why);
            }
        }
        if (eligible.isEmpty()) {
            return new Candidate(null, "no replica is eligible for promotion", passedOver);
        }
        NodeState chosen = null;
        for (NodeState e : eligible) {
            GtidSet mine = e.position();
            String lacks = null;
            for (NodeState other : followers) {
                GtidSet theirs = other.position();
                if (other != e && theirs != null && !mine.contains(theirs)) {
                    lacks = "lacks transactions " + other.id().name() + " has (" + mine.text() + " does not contain "
                            + theirs.text() + ")";
                    break;
                }
            }
            if (lacks != null) {
                passedOver.put(e.id().name(), lacks);
            } else if (chosen == null) {
                chosen = e;
            } else {
                passedOver.put(e.id().name(), "as advanced as " + chosen.id().name()
                        + ", which comes first in the configuration");
            }
        }
        if (chosen == null) {
            return new Candidate(null, "no eligible replica holds every transaction the others hold"
                    + " (errant transactions, or the most advanced replica may not be promoted)", passedOver);
        }
        return new Candidate(chosen.id(), "holds every transaction of the other replicas (at "
                + chosen.position().text() + ")", passedOver);
    }

    /**
     * The applier's part of the status row's errors: all of it while the receiver runs (its error
     * is then old news or none), the part after "applier: " when both report one, else none (a
     * lone error with the receiver down is the receiver's: the primary is gone).
     */
    private static String applierError(NodeState n) {
        String error = n.replica().lastError();
        int both = error.indexOf("; applier: ");
        if (both >= 0) {
            return error.substring(both + "; applier: ".length());
        }
        return n.replica().ioRunning() ? error : "";
    }

    /** Why a node may not be promoted at all, or {@code null} when it may. */
    private static String ineligible(NodeState n) {
        if (!n.reachable()) {
            return "unreachable";
        }
        if (!n.up()) {
            return "down";
        }
        if (!n.replica().replicating()) {
            return "not a replica";
        }
        if (!n.settings().promotable()) {
            return "promotable: false";
        }
        if (!n.replica().sqlRunning()) {
            // an applier error stops the applier too (gtid_strict_mode refuses an errant sequence)
            String error = applierError(n);
            return "applier stopped" + (error.isEmpty() ? "" : " (" + error + ")") + ": it is behind what it received";
        }
        if (n.executed() == null) {
            return "GTID position unknown";
        }
        return null;
    }
}
