package io.rwsplit.core.failover;

import io.rwsplit.core.topology.NodeId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of {@link CandidateChoice}: the replica to promote and why, or why there is none;
 * either way why each other node was passed over, for the log and the admin API.
 *
 * @param chosen     the replica to promote, {@code null} when none qualifies
 * @param reason     why it was chosen, or why nothing was
 * @param passedOver node name to the reason it was not chosen, in configuration order
 */
public record Candidate(NodeId chosen, String reason, Map<String, String> passedOver) {

    public Candidate {
        passedOver = Collections.unmodifiableMap(new LinkedHashMap<>(passedOver));
    }

    public Optional<NodeId> node() {
        return Optional.ofNullable(chosen);
    }

    @Override
    public String toString() {
        return (chosen == null ? "no candidate: " : "candidate " + chosen + ": ") + reason
                + (passedOver.isEmpty() ? "" : "; passed over " + passedOver);
    }
}
