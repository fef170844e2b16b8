package io.rwsplit.core.topology;

/**
 * What the configuration says about a node, independent of what the monitor sees.
 *
 * @param weight     share of reads for weighted balancing (1 or more; 0 never takes reads)
 * @param standby    takes reads only when no other replica is eligible (active-passive)
 * @param promotable may be promoted to primary by failover
 */
public record NodeSettings(int weight, boolean standby, boolean promotable) {

    public static final NodeSettings DEFAULT = new NodeSettings(1, false, true);

    public NodeSettings {
        if (weight < 0) {
            throw new IllegalArgumentException("weight must be 0 or more, was " + weight);
        }
    }
}
