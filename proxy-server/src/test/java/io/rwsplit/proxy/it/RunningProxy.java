package io.rwsplit.proxy.it;

import io.rwsplit.core.config.ConfigLoader;
import io.rwsplit.core.config.RwsplitConfig;
import io.rwsplit.proxy.config.AdminConfig;
import io.rwsplit.proxy.config.BackendConfig;
import io.rwsplit.proxy.config.ClientTlsConfig;
import io.rwsplit.proxy.config.LimitsConfig;
import io.rwsplit.proxy.config.ListenConfig;
import io.rwsplit.proxy.config.ProxyConfig;
import io.rwsplit.proxy.config.UserConfig;
import io.rwsplit.proxy.server.ProxyServer;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A proxy in front of a sandbox cluster, on a free port of 127.0.0.1, with the cluster's app account. */
final class RunningProxy implements AutoCloseable {

    final Cluster cluster;
    final ProxyServer server;

    private RunningProxy(Cluster cluster, ProxyServer server) {
        this.cluster = cluster;
        this.server = server;
    }

    static RunningProxy start(Cluster cluster) {
        return start(cluster, "", LimitsConfig.DEFAULTS, ClientTlsConfig.OFF);
    }

    /** @param extraYaml more routing keys (balance, pool, readYourWrites...) */
    static RunningProxy start(Cluster cluster, String extraYaml, LimitsConfig limits, ClientTlsConfig tls) {
        return start(cluster, extraYaml, limits, tls, List.of());
    }

    /** @param nodes the nodes the proxy is told about (a cluster without its primary, say) */
    static RunningProxy start(Cluster cluster, List<Node> nodes, String extraYaml, LimitsConfig limits,
            ClientTlsConfig tls) {
        return start(cluster, nodes, extraYaml, limits, tls, List.of(), BackendConfig.BackendTls.DISABLED);
    }

    /** @param moreUsers proxy accounts besides the cluster's app account */
    static RunningProxy start(Cluster cluster, String extraYaml, LimitsConfig limits, ClientTlsConfig tls,
            List<UserConfig> moreUsers) {
        return start(cluster, extraYaml, limits, tls, moreUsers, BackendConfig.BackendTls.DISABLED);
    }

    /** @param backendTls TLS towards the servers */
    static RunningProxy start(Cluster cluster, String extraYaml, LimitsConfig limits, ClientTlsConfig tls,
            List<UserConfig> moreUsers, BackendConfig.BackendTls backendTls) {
        return start(cluster, cluster.nodes(), extraYaml, limits, tls, moreUsers, backendTls);
    }

    static RunningProxy start(Cluster cluster, List<Node> nodes, String extraYaml, LimitsConfig limits,
            ClientTlsConfig tls, List<UserConfig> moreUsers, BackendConfig.BackendTls backendTls) {
        return start(cluster, nodes, "", extraYaml, limits, tls, moreUsers, backendTls);
    }

    /** @param monitorKeys more keys of the monitor map ({@code "connectTimeout: 500ms, failCount: 3"}) */
    static RunningProxy startMonitored(Cluster cluster, String monitorKeys, String extraYaml) {
        return start(cluster, cluster.nodes(), monitorKeys, extraYaml, LimitsConfig.DEFAULTS, ClientTlsConfig.OFF,
                List.of(), BackendConfig.BackendTls.DISABLED);
    }

    /** With the admin listener on a free port of 127.0.0.1, with {@code token} (or none, when {@code null}). */
    static RunningProxy startWithAdmin(Cluster cluster, String token) {
        return startWithAdmin(cluster, AdminConfig.on("127.0.0.1", 0, token));
    }

    /** With this admin listener (on a free port of 127.0.0.1 in tests: port 0). */
    static RunningProxy startWithAdmin(Cluster cluster, AdminConfig admin) {
        return start(cluster, cluster.nodes(), Node::host, "", "", LimitsConfig.DEFAULTS, ClientTlsConfig.OFF,
                List.of(), new BackendConfig(BackendConfig.BackendTls.DISABLED, Duration.ofSeconds(2)), admin);
    }

    private static RunningProxy start(Cluster cluster, List<Node> nodes, String monitorKeys, String extraYaml,
            LimitsConfig limits, ClientTlsConfig tls, List<UserConfig> moreUsers,
            BackendConfig.BackendTls backendTls) {
        return start(cluster, nodes, Node::host, monitorKeys, extraYaml, limits, tls, moreUsers,
                new BackendConfig(backendTls, Duration.ofSeconds(2)), AdminConfig.OFF);
    }

    /**
     * @param backend  how the proxy connects to the servers (TLS mode, CA file)
     * @param nodeHost the host name the proxy is told for each node (another name of the same address, say)
     */
    static RunningProxy start(Cluster cluster, BackendConfig backend, Function<Node, String> nodeHost,
            ClientTlsConfig tls, List<UserConfig> moreUsers) {
        return start(cluster, cluster.nodes(), nodeHost, "", "", LimitsConfig.DEFAULTS, tls, moreUsers, backend,
                AdminConfig.OFF);
    }

    private static RunningProxy start(Cluster cluster, List<Node> nodes, Function<Node, String> nodeHost,
            String monitorKeys, String extraYaml, LimitsConfig limits, ClientTlsConfig tls,
            List<UserConfig> moreUsers, BackendConfig backend, AdminConfig admin) {
        StringBuilder yaml = new StringBuilder(nodesAndMonitorYaml(cluster, nodes, nodeHost, monitorKeys));
        yaml.append(extraYaml);
        RwsplitConfig routing = ConfigLoader.fromYaml(yaml.toString());
        List<UserConfig> users = new java.util.ArrayList<>();
        users.add(UserConfig.plain(cluster.app().user(), cluster.app().password()));
        users.addAll(moreUsers);
        ProxyConfig config = new ProxyConfig(new ListenConfig("127.0.0.1", 0), users, tls, backend, limits, routing,
                admin);
        return new RunningProxy(cluster, ProxyServer.start(config));
    }

    /** {@code http://127.0.0.1:port} of the admin listener, which must be on. */
    String adminUrl() {
        return "http://127.0.0.1:" + server.adminAddress().orElseThrow().getPort();
    }

    /**
     * The {@code nodes:} and {@code monitor:} keys of a proxy config for {@code nodes} of
     * {@code cluster}: the monitor on the cluster's admin account, a pass every 200 ms.
     *
     * @param monitorKeys more keys of the monitor map ({@code "failCount: 3"}), or empty
     */
    static String nodesAndMonitorYaml(Cluster cluster, List<Node> nodes, Function<Node, String> nodeHost,
            String monitorKeys) {
        StringBuilder yaml = new StringBuilder("nodes:\n");
        for (Node n : nodes) {
            yaml.append("  - {name: ").append(n.name()).append(", host: '").append(nodeHost.apply(n))
                    .append("', port: ").append(n.port()).append("}\n");
        }
        yaml.append("monitor: {interval: 200ms, user: ").append(cluster.admin().user()).append(", password: '")
                .append(cluster.admin().password()).append("'").append(monitorKeys.isEmpty() ? "" : ", " + monitorKeys)
                .append("}\n");
        return yaml.toString();
    }

    /** {@link #nodesAndMonitorYaml(Cluster, List, Function, String)} for every node, by its own host. */
    static String nodesAndMonitorYaml(Cluster cluster) {
        return nodesAndMonitorYaml(cluster, cluster.nodes(), Node::host, "");
    }

    int port() {
        return server.address().getPort();
    }

    String jdbcUrl(String options) {
        return "jdbc:mysql://127.0.0.1:" + port() + "/" + cluster.database() + "?sslMode=DISABLED"
                + "&allowPublicKeyRetrieval=true" + (options.isEmpty() ? "" : "&" + options);
    }

    Connection connect(String options) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(options), cluster.app().user(), cluster.app().password());
    }

    /** {@code SHOW GLOBAL STATUS LIKE name} on every node, read directly, by node name. */
    Map<String, Long> status(String name) throws SQLException {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Node n : cluster.nodes()) {
            try (Connection c = n.connectAdmin(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE '" + name + "'")) {
                rs.next();
                m.put(n.name(), rs.getLong(2));
            }
        }
        return m;
    }

    static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new LinkedHashMap<>();
        after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0L)));
        return d;
    }

    @Override
    public void close() {
        server.shutdown(Duration.ofSeconds(2));
    }
}
