package io.rwsplit.core.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cluster as of one monitor pass: immutable, published whole, read without locks by every
 * routing decision.
 *
 * @param version increases with every published snapshot
 */
public record TopologySnapshot(long version, List<NodeView> nodes) {

    public TopologySnapshot {
        nodes = List.copyOf(nodes);
    }

    /** The node seen as primary and up, if there is one. */
    public Optional<NodeView> primary() {
        for (NodeView n : nodes) {
            if (n.role() == Role.PRIMARY && n.isUp()) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    /** Nodes seen as replicas, whatever their health. */
    public List<NodeView> replicas() {
        List<NodeView> r = new ArrayList<>(nodes.size());
        for (NodeView n : nodes) {
            if (n.role() == Role.REPLICA) {
                r.add(n);
            }
        }
        return r;
    }

    public Optional<NodeView> node(NodeId id) {
        for (NodeView n : nodes) {
            if (n.id().equals(id)) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    public Optional<NodeView> node(String name) {
        for (NodeView n : nodes) {
            if (n.id().name().equals(name)) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    public TopologySnapshot with(NodeView changed) {
        List<NodeView> copy = new ArrayList<>(nodes);
        for (int i = 0; i < copy.size(); i++) {
            if (copy.get(i).id().equals(changed.id())) {
                copy.set(i, changed);
                return new TopologySnapshot(version + 1, copy);
            }
        }
        throw new IllegalArgumentException("no node " + changed.id() + " in " + this);
    }
}
