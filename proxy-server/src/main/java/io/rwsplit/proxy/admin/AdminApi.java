package io.rwsplit.proxy.admin;

import io.rwsplit.proxy.frontend.ProxyRuntime.DrainOutcome;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** What the admin HTTP endpoints ask of the proxy: the seam between HTTP and the running proxy. */
interface AdminApi {

    String metricsContentType();

    void writeMetrics(OutputStream out) throws IOException;

    /** Why the proxy is not ready for clients, or {@code null} when it is. */
    String notReady();

    Topology topology();

    Explained explain(String sql);

    DrainOutcome drain(String node, boolean on);

    /** Reads the config file again and applies what can change without a restart; may take a few seconds. */
    ReloadOutcome reload();

    /** A planned switchover to {@code target} (or the best candidate); blocks for its length. */
    io.rwsplit.proxy.frontend.SwitchoverOutcome switchover(java.util.Optional<String> target);

    /** The {@code /api/topology} answer; see {@link AdminHandler} for its JSON. */
    record Topology(String primary, String failover, long version, List<Node> nodes) {
    }

    record Node(String name, String address, String role, String health, Double lagSeconds, int weight,
            boolean standby, boolean drained, Pool pool, double statementsPerSecond) {
    }

    record Pool(int inUse, int idle) {
    }

    /** The {@code /api/explain} answer. */
    record Explained(String route, String reason, String kind, String node, String cause) {
    }
}
