package io.rwsplit.core.topology;

/** Told when a node's role or health changes, or the primary changes; called on the monitor's thread. */
@FunctionalInterface
public interface TopologyListener {

    TopologyListener NONE = (before, after) -> { };

    void changed(TopologySnapshot before, TopologySnapshot after);
}
