package io.rwsplit.core.failover;

import io.rwsplit.core.topology.NodeId;
import java.time.Duration;

/**
 * What one promotion attempt did.
 *
 * @param node   the new primary for {@link Kind#PROMOTED} and {@link Kind#ALREADY_PROMOTED}, else {@code null}
 * @param reason one line for the log
 * @param took   from the attempt's start to its end
 */
public record Promotion(Kind kind, NodeId node, String reason, Duration took) {

    public enum Kind {
        /** This instance promoted {@link #node()}. */
        PROMOTED,
        /** Another instance had already promoted {@link #node()}; nothing was changed. */
        ALREADY_PROMOTED,
        /** Another instance holds the failover lock, or too few servers answered to take it. */
        NOT_LOCKED,
        /** No replica qualifies; see the reason. */
        NO_CANDIDATE,
        /** A step failed part-way; the reason names it. */
        FAILED
    }

    @Override
    public String toString() {
        return kind + (node == null ? "" : " " + node) + ": " + reason + " (" + took.toMillis() + " ms)";
    }
}
