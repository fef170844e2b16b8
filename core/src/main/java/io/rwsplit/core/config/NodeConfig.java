package io.rwsplit.core.config;

import io.rwsplit.core.topology.NodeId;
import io.rwsplit.core.topology.NodeSettings;

/**
 * One configured server.
 *
 * @param name       unique name used in logs, reasons and metrics (default {@code host:port})
 * @param weight     share of reads for weighted balancing
 * @param standby    takes reads only when no other replica is eligible
 * @param promotable may be promoted by failover
 */
public record NodeConfig(String name, String host, int port, int weight, boolean standby, boolean promotable) {

    public static final int DEFAULT_PORT = 3306;

    /** A node with the default settings, named {@code host:port}: what a bare JDBC URL host gives. */
    public static NodeConfig of(String host, int port) {
        NodeSettings d = NodeSettings.DEFAULT;
        return new NodeConfig(host + ":" + port, host, port, d.weight(), d.standby(), d.promotable());
    }

    public NodeId id() {
        return new NodeId(name, host, port);
    }

    public NodeSettings settings() {
        return new NodeSettings(weight, standby, promotable);
    }
}
