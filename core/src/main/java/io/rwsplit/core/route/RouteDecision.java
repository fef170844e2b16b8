package io.rwsplit.core.route;

import io.rwsplit.core.flavor.GtidSet;
import io.rwsplit.core.topology.NodeView;
import java.time.Duration;
import java.util.Objects;

/**
 * Where one statement goes and why: a value tests assert on, the admin API shows and logs print.
 *
 * @param node        the node to run it on; {@code null} when {@link #error()} is set
 * @param reason      why, for a person ("locking read (FOR UPDATE)", "pinned: temporary table t")
 * @param sessionWide the statement changes session state: run it on {@code node} now and re-apply
 *                    it on every other backend the session uses
 * @param causalWait  for causal reads: wait on {@code node} for the session's last write before
 *                    reading, and go to the fallback if it does not arrive in time; else {@code null}
 * @param error       the statement cannot be routed; the client gets this error
 */
public record RouteDecision(NodeView node, String reason, boolean sessionWide, CausalWait causalWait,
        RouteError error) {

    /** Wait up to {@code timeout} for {@code gtid} on the chosen replica, else run on {@code fallback}. */
    public record CausalWait(GtidSet gtid, Duration timeout, NodeView fallback) {
    }

    public RouteDecision {
        Objects.requireNonNull(reason, "reason");
        if ((node == null) == (error == null)) {
            throw new IllegalArgumentException("a decision has a node or an error, not both or neither");
        }
    }

    static RouteDecision to(NodeView node, String reason) {
        return new RouteDecision(node, reason, false, null, null);
    }

    static RouteDecision session(NodeView node, String reason) {
        return new RouteDecision(node, reason, true, null, null);
    }

    static RouteDecision fail(RouteError error) {
        return new RouteDecision(null, error.message(), false, null, error);
    }

    public boolean failed() {
        return error != null;
    }

    @Override
    public String toString() {
        return failed() ? "error " + error.errno() + ": " + reason : node.name() + ": " + reason;
    }
}
