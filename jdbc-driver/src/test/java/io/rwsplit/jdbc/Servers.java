package io.rwsplit.jdbc;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** What the servers themselves say about where statements ran: their status counters. */
final class Servers {

    private Servers() {
    }

    /** The URL an application would use for {@code cluster}, with the monitor on the admin account. */
    static String url(Cluster cluster, String... options) {
        String hosts = cluster.nodes().stream().map(Node::address).collect(Collectors.joining(","));
        StringBuilder url = new StringBuilder("jdbc:rwsplit:mysql://" + hosts + "/" + cluster.database()
                + "?sslMode=DISABLED&rwsplit.monitor.user=" + cluster.admin().user() + "&rwsplit.monitor.password="
                + cluster.admin().password() + "&rwsplit.monitor.interval=200ms");
        for (String o : options) {
            url.append('&').append(o);
        }
        return url.toString();
    }

    /** {@code SHOW GLOBAL STATUS LIKE name} on every node, by node name. */
    static Map<String, Long> status(Cluster cluster, String name) throws SQLException {
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

    /** The server id of the node that answers on {@code c}. */
    static int serverId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@server_id")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
