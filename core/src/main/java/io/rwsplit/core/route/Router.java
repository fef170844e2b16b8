package io.rwsplit.core.route;

import io.rwsplit.core.balance.LoadBalancer;
import io.rwsplit.core.config.Fallback;
import io.rwsplit.core.config.ReadYourWrites;
import io.rwsplit.core.flavor.GtidSet;
import io.rwsplit.core.route.RouteDecision.Cause;
import io.rwsplit.core.session.SessionState;
import io.rwsplit.core.session.Transaction;
import io.rwsplit.core.sql.Classification;
import io.rwsplit.core.sql.Hint;
import io.rwsplit.core.sql.StatementKind;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.core.topology.NodeView;
import io.rwsplit.core.topology.TopologySnapshot;
import java.time.Duration;
import java.util.Objects;

/**
 * Decides where a classified statement runs, given the session and the topology. Apart from the
 * balancer's choice among equal candidates it is a pure function: no connections, no clock of its
 * own, no state.
 *
 * <p>Order of precedence, first match wins:
 * <ol>
 * <li>Transaction control: {@code BEGIN} on the primary (a read-only {@code BEGIN} on a replica),
 * {@code COMMIT}/{@code ROLLBACK} where the transaction runs.</li>
 * <li>An open read-only transaction keeps every statement on its replica; a write in it fails.</li>
 * <li>An open read-write transaction (explicit, or autocommit off) keeps everything on the primary.</li>
 * <li>A pinned session (temporary table, locks, user variables, text PREPARE) stays on the primary.</li>
 * <li>The statement's kind: writes and primary-bound reads to the primary, {@code FOUND_ROWS()}
 * and friends to the previous statement's node, session settings where the session last ran.</li>
 * <li>Reads: hints, then read-your-writes, then the eligible replicas ({@link ReadCandidates}),
 * else the fallback.</li>
 * </ol>
 * A write is never sent to a replica, whatever the hints say.
 */
public final class Router {

    private final RoutingPolicy policy;
    private final LoadBalancer balancer;

    public Router(RoutingPolicy policy, LoadBalancer balancer) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.balancer = Objects.requireNonNull(balancer, "balancer");
    }

    public RoutingPolicy policy() {
        return policy;
    }

    /**
     * @param affinityKey stable per client or session, for the {@code hash} balancer
     * @param nowNanos    {@link System#nanoTime()} now, for the read-your-writes window
     */
    public RouteDecision route(Classification c, SessionState s, TopologySnapshot topology, long affinityKey,
            long nowNanos) {
        StatementKind kind = c.kind();
        switch (kind) {
            case BEGIN, BEGIN_READ_ONLY -> {
                Boolean explicit = c.effects().nextTransactionReadOnly();
                if (kind == StatementKind.BEGIN_READ_ONLY || (explicit != null ? explicit : s.nextTransactionReadOnly())) {
                    return readOnlyStart(s, topology, affinityKey, "read-only transaction");
                }
                return primary(topology, c.reason(), Cause.TRANSACTION);
            }
            case END -> {
                return end(c, s, topology);
            }
            default -> {
                // the session's state decides next
            }
        }
        Transaction tx = s.transaction();
        boolean sessionWide = kind == StatementKind.SESSION;
        if (tx == Transaction.READ_ONLY) {
            return inReadOnlyTransaction(c, s, topology, affinityKey);
        }
        if (tx == Transaction.READ_WRITE) {
            String why = s.explicitTransaction() ? "in transaction" : "autocommit off (implicit transaction)";
            NodeId node = s.transactionNode();
            if (node != null) {
                NodeView p = topology.primary().orElse(null);
                if (p == null || !p.id().equals(node)) {
                    return RouteDecision.fail(RouteError.transactionNodeGone(node.name()), Cause.TRANSACTION);
                }
            }
            return withScope(primary(topology, why, Cause.TRANSACTION), sessionWide);
        }
        if (s.pinned()) {
            return withScope(primary(topology, "pinned: " + s.pinReason(), Cause.PINNED), sessionWide);
        }
        return switch (kind) {
            case READ -> read(c, s, topology, affinityKey, nowNanos);
            case PREVIOUS -> previous(c, s, topology);
            case SESSION -> session(c, s, topology);
            default -> primary(topology, c.hint().target() == Hint.Target.REPLICA
                    ? c.reason() + "; rwsplit:replica ignored: a write never goes to a replica" : c.reason(),
                    Cause.of(kind));
        };
    }

    private RouteDecision end(Classification c, SessionState s, TopologySnapshot topology) {
        NodeId node = s.transactionNode();
        if (s.transaction() == Transaction.NONE || node == null) {
            // nothing open here: the statement is a no-op wherever it runs
            return primary(topology, c.reason(), Cause.TRANSACTION);
        }
        NodeView n = topology.node(node).filter(NodeView::isUp).orElse(null);
        if (n == null) {
            return RouteDecision.fail(RouteError.transactionNodeGone(node.name()), Cause.TRANSACTION);
        }
        return RouteDecision.to(n, c.reason() + " on " + n.name(), Cause.TRANSACTION);
    }

    private RouteDecision inReadOnlyTransaction(Classification c, SessionState s, TopologySnapshot topology,
            long affinityKey) {
        StatementKind kind = c.kind();
        // a statement nobody could read may write: it gets the same refusal as a write
        if (kind == StatementKind.WRITE || kind == StatementKind.UNKNOWN) {
            return RouteDecision.fail(RouteError.writeInReadOnlyTransaction(), Cause.READ_ONLY_TRANSACTION);
        }
        NodeId node = s.transactionNode();
        if (node == null) {
            return withScope(readOnlyStart(s, topology, affinityKey, "read-only transaction"),
                    kind == StatementKind.SESSION);
        }
        NodeView n = topology.node(node).filter(NodeView::isUp).orElse(null);
        if (n == null) {
            return RouteDecision.fail(RouteError.transactionNodeGone(node.name()), Cause.READ_ONLY_TRANSACTION);
        }
        return new RouteDecision(n, "read-only transaction on " + n.name(), kind == StatementKind.SESSION, null, null,
                Cause.READ_ONLY_TRANSACTION);
    }

    /**
     * Picks the replica a read-only transaction will keep; the primary if none is fit, if the
     * session is pinned there, or if it has a read-write transaction open there that this one commits.
     */
    private RouteDecision readOnlyStart(SessionState s, TopologySnapshot topology, long affinityKey, String why) {
        if (s.pinned()) {
            return primary(topology, why + " on the primary, pinned: " + s.pinReason(), Cause.PINNED);
        }
        if (s.transaction() == Transaction.READ_WRITE && s.transactionNode() != null) {
            return primary(topology, why + " on the primary, where it commits the open transaction", Cause.TRANSACTION);
        }
        ReadCandidates.Result r = ReadCandidates.of(topology, policy.maxLag(), policy.primaryReadWeight(), null);
        if (r.isEmpty()) {
            return fallback(topology, why + ": no replica can take it (" + r.excludedText() + ")");
        }
        NodeView n = balancer.pick(r.nodes(), affinityKey);
        return RouteDecision.to(n, why + " on " + n.name(), Cause.READ_ONLY_TRANSACTION);
    }

    private RouteDecision read(Classification c, SessionState s, TopologySnapshot topology, long affinityKey,
            long nowNanos) {
        Hint hint = c.hint();
        if (hint.target() == Hint.Target.PRIMARY) {
            return primary(topology, c.reason() + "; hint rwsplit:primary", Cause.HINT);
        }
        GtidSet mustHave = null;
        if (hint.target() != Hint.Target.REPLICA && s.wrote()) {
            if (policy.readYourWrites() == ReadYourWrites.WINDOW) {
                long since = nowNanos - s.lastWriteNanos();
                if (since < policy.window().toNanos()) {
                    return primary(topology, "read-your-writes: " + since / 1_000_000 + " ms since this session's"
                            + " last write (window " + policy.window().toMillis() + " ms)", Cause.READ_YOUR_WRITES);
                }
            } else if (policy.readYourWrites() == ReadYourWrites.CAUSAL) {
                if (s.lastWriteGtidUnknown()) {
                    return primary(topology, "read-your-writes: the GTID of this session's last write is unknown",
                            Cause.READ_YOUR_WRITES);
                }
                mustHave = s.lastWriteGtid();
            }
        }
        // a hint may ask for fresher data than the policy, never for staler
        Duration maxLag = hint.maxLag() != null && hint.maxLag().compareTo(policy.maxLag()) < 0 ? hint.maxLag()
                : policy.maxLag();
        ReadCandidates.Result r = ReadCandidates.of(topology, maxLag, policy.primaryReadWeight(), mustHave);
        if (!r.isEmpty()) {
            NodeView n = balancer.pick(r.nodes(), affinityKey);
            return mustHave == null ? RouteDecision.to(n, c.reason(), Cause.READ)
                    : RouteDecision.to(n, c.reason() + "; read-your-writes: " + n.name()
                            + " has applied this session's last write", Cause.READ_YOUR_WRITES);
        }
        if (mustHave != null) {
            ReadCandidates.Result fresh = ReadCandidates.of(topology, maxLag, policy.primaryReadWeight(), null);
            NodeView p = topology.primary().orElse(null);
            if (!fresh.isEmpty() && p != null) {
                NodeView n = balancer.pick(fresh.nodes(), affinityKey);
                return new RouteDecision(n, c.reason() + "; read-your-writes: waiting up to "
                        + policy.causalWait().toMillis() + " ms for " + n.name()
                        + " to apply this session's last write, else the primary", false,
                        new RouteDecision.CausalWait(mustHave, policy.causalWait(), p), null, Cause.READ_YOUR_WRITES);
            }
        }
        String limit = hint.maxLag() != null ? " within the rwsplit:max_lag hint" : "";
        return fallback(topology, "no replica can serve it" + limit + " (" + r.excludedText() + ")");
    }

    private RouteDecision fallback(TopologySnapshot topology, String why) {
        if (policy.fallback() == Fallback.ERROR) {
            return RouteDecision.fail(RouteError.noReplica(why), Cause.FALLBACK);
        }
        return primary(topology, why + ", fell back to primary", Cause.FALLBACK);
    }

    private RouteDecision previous(Classification c, SessionState s, TopologySnapshot topology) {
        NodeId prev = s.previousNode();
        NodeView n = prev == null ? null : topology.node(prev).filter(NodeView::isUp).orElse(null);
        if (n == null) {
            return primary(topology, c.reason() + "; no previous statement's server, so the primary", Cause.PREVIOUS);
        }
        return RouteDecision.to(n, c.reason() + " on " + n.name(), Cause.PREVIOUS);
    }

    private RouteDecision session(Classification c, SessionState s, TopologySnapshot topology) {
        NodeId prev = s.previousNode();
        NodeView n = prev == null ? null : topology.node(prev).filter(NodeView::isUp).orElse(null);
        if (n == null) {
            return withScope(primary(topology, c.reason(), Cause.SESSION), true);
        }
        return RouteDecision.session(n, c.reason(), Cause.SESSION);
    }

    private static RouteDecision primary(TopologySnapshot topology, String reason, Cause cause) {
        NodeView p = topology.primary().orElse(null);
        if (p == null) {
            return RouteDecision.fail(RouteError.noPrimary(reason + "; nodes: " + describe(topology)), cause);
        }
        return RouteDecision.to(p, reason, cause);
    }

    private static RouteDecision withScope(RouteDecision d, boolean sessionWide) {
        if (!sessionWide || d.failed() || d.sessionWide()) {
            return d;
        }
        return new RouteDecision(d.node(), d.reason(), true, d.causalWait(), d.error(), d.cause());
    }

    private static String describe(TopologySnapshot topology) {
        StringBuilder sb = new StringBuilder();
        for (NodeView n : topology.nodes()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(n.name()).append(' ').append(n.role().name().toLowerCase(java.util.Locale.ROOT)).append(' ')
                    .append(n.health().name().toLowerCase(java.util.Locale.ROOT));
        }
        return sb.length() == 0 ? "no nodes" : sb.toString();
    }
}
