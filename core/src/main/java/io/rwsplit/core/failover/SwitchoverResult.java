package io.rwsplit.core.failover;

import io.rwsplit.core.topology.NodeId;
import java.time.Duration;

/**
 * What one switchover attempt did.
 *
 * @param oldPrimary the primary it replaced, or was to replace; {@code null} when there was none
 * @param newPrimary the promoted replica for {@link Kind#SWITCHED}, else {@code null}
 * @param reason     one line for the log and the admin API
 * @param took       from the attempt's start to its end
 */
public record SwitchoverResult(Kind kind, NodeId oldPrimary, NodeId newPrimary, String reason, Duration took) {

    public enum Kind {
        /** {@link #newPrimary()} is the primary; the old one replicates from it. */
        SWITCHED,
        /** The cluster is not in a state to switch over (see the reason); nothing was changed. */
        REFUSED,
        /** Another instance holds the failover lock, or too few servers answered; nothing was changed. */
        NOT_LOCKED,
        /**
         * A step failed. Up to the wait for the target to catch up everything is undone and the old
         * primary takes writes again; a later failure says in the reason what state it left.
         */
        FAILED
    }

    public boolean switched() {
        return kind == Kind.SWITCHED;
    }

    @Override
    public String toString() {
        return kind + (newPrimary == null ? "" : " " + (oldPrimary == null ? "?" : oldPrimary.name()) + " -> "
                + newPrimary.name()) + ": " + reason + " (" + took.toMillis() + " ms)";
    }
}
