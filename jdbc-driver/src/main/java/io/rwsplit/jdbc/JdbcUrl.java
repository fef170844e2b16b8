package io.rwsplit.jdbc;

import io.rwsplit.core.config.NodeConfig;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code jdbc:rwsplit:mysql://host1[:port1][,host2[:port2]...][/database][?key=value&...]}: the hosts
 * (the first is the primary until the monitor finds otherwise), the database, and the options.
 * Options starting with {@code rwsplit.} are rwsplit's; everything else goes to Connector/J.
 * Properties passed to {@code connect} override options of the same name in the URL.
 */
record JdbcUrl(List<NodeConfig> nodes, String database, Map<String, String> options) {

    static final String PREFIX = "jdbc:rwsplit:mysql://";

    static boolean accepts(String url) {
        return url != null && url.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    static JdbcUrl parse(String url, Properties info) throws SQLException {
        if (!accepts(url)) {
            throw Errors.badUrl(url, "it must start with " + PREFIX);
        }
        String rest = url.substring(PREFIX.length());
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String database = "";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            database = decode(rest.substring(slash + 1));
            rest = rest.substring(0, slash);
        }
        List<NodeConfig> nodes = new ArrayList<>();
        for (String h : rest.split(",")) {
            String hostPort = h.trim();
            if (hostPort.isEmpty()) {
                continue;
            }
            nodes.add(node(url, hostPort));
        }
        if (nodes.isEmpty()) {
            throw Errors.badUrl(url, "it names no host");
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (String kv : query.split("&")) {
            if (kv.isEmpty()) {
                continue;
            }
            int eq = kv.indexOf('=');
            options.put(decode(eq < 0 ? kv : kv.substring(0, eq)), eq < 0 ? "" : decode(kv.substring(eq + 1)));
        }
        if (info != null) {
            for (String name : info.stringPropertyNames()) {
                options.put(name, info.getProperty(name));
            }
        }
        return new JdbcUrl(List.copyOf(nodes), database, options);
    }

    private static NodeConfig node(String url, String hostPort) throws SQLException {
        String host = hostPort;
        int port = NodeConfig.DEFAULT_PORT;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw Errors.badUrl(url, "unclosed [ in host " + hostPort);
            }
            host = hostPort.substring(1, close);
            String after = hostPort.substring(close + 1);
            if (after.startsWith(":")) {
                port = port(url, after.substring(1));
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            if (colon >= 0) {
                host = hostPort.substring(0, colon);
                port = port(url, hostPort.substring(colon + 1));
            }
        }
        return NodeConfig.of(host, port);
    }

    private static int port(String url, String text) throws SQLException {
        try {
            int p = Integer.parseInt(text);
            if (p < 1 || p > 65535) {
                throw Errors.badUrl(url, "port " + text + " is out of range");
            }
            return p;
        } catch (NumberFormatException e) {
            throw Errors.badUrl(url, "'" + text + "' is not a port");
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** rwsplit's options ({@code rwsplit.}-prefixed). */
    Map<String, String> rwsplitOptions() {
        Map<String, String> m = new LinkedHashMap<>();
        options.forEach((k, v) -> {
            if (k.startsWith("rwsplit.")) {
                m.put(k, v);
            }
        });
        return m;
    }

    /** Connector/J's options: everything else, user and password included. */
    Map<String, String> connectorOptions() {
        Map<String, String> m = new LinkedHashMap<>();
        options.forEach((k, v) -> {
            if (!k.startsWith("rwsplit.")) {
                m.put(k, v);
            }
        });
        return m;
    }

    String user() {
        return options.getOrDefault("user", "");
    }

    String password() {
        return options.getOrDefault("password", "");
    }

    /** What identifies one cluster runtime: every connection with the same key shares pools and monitor. */
    String runtimeKey() {
        return nodes + "|" + new java.util.TreeMap<>(options);
    }

    @Override
    public String toString() {
        return PREFIX + nodes.stream().map(n -> n.host() + ":" + n.port()).reduce((a, b) -> a + "," + b).orElse("")
                + "/" + database;
    }
}
