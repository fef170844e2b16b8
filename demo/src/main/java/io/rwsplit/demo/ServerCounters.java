package io.rwsplit.demo;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The servers' own statement counters ({@code SHOW GLOBAL STATUS}) on every node at one moment,
 * read over an admin connection straight to each server, not through the proxy.
 *
 * <p>Which counters tell the truth about where clients' statements ran: {@code Questions} counts
 * the statements clients sent a server, and never what replication applies. {@code Com_select}
 * on a replica is likewise only its clients' reads. But MariaDB counts the row events its replica
 * applier runs in {@code Com_insert} / {@code Com_update} / {@code Com_commit}, as if a client had
 * sent them, so those only say where writes ran when read on the primary.
 */
final class ServerCounters {

    static final String QUESTIONS = "Questions";
    static final String SELECT = "Com_select";
    static final String INSERT = "Com_insert";
    static final String UPDATE = "Com_update";
    static final String COMMIT = "Com_commit";
    static final List<String> NAMES = List.of(QUESTIONS, SELECT, INSERT, UPDATE, COMMIT);

    /** Node name to counter name to value. */
    private final Map<String, Map<String, Long>> values;

    private ServerCounters(Map<String, Map<String, Long>> values) {
        this.values = values;
    }

    static ServerCounters read(Cluster cluster) {
        Map<String, Map<String, Long>> all = new LinkedHashMap<>();
        StringBuilder in = new StringBuilder();
        for (String n : NAMES) {
            in.append(in.length() == 0 ? "" : ", ").append('\'').append(n).append('\'');
        }
        for (Node node : cluster.nodes()) {
            Map<String, Long> one = new LinkedHashMap<>();
            try (Connection c = node.connectAdmin(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN (" + in + ")")) {
                Map<String, Long> read = new LinkedHashMap<>();
                while (rs.next()) {
                    read.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getLong(2));
                }
                for (String n : NAMES) {
                    one.put(n, read.getOrDefault(n.toLowerCase(Locale.ROOT), 0L));
                }
            } catch (SQLException e) {
                throw new DemoException("cannot read the status counters of " + node.name() + " ("
                        + node.address() + "): " + e.getMessage(), e);
            }
            all.put(node.name(), one);
        }
        return new ServerCounters(all);
    }

    /** What each counter grew by since {@code before}. */
    ServerCounters since(ServerCounters before) {
        Map<String, Map<String, Long>> d = new LinkedHashMap<>();
        values.forEach((node, now) -> {
            Map<String, Long> was = before.values.getOrDefault(node, Map.of());
            Map<String, Long> one = new LinkedHashMap<>();
            now.forEach((k, v) -> one.put(k, v - was.getOrDefault(k, 0L)));
            d.put(node, one);
        });
        return new ServerCounters(d);
    }

    long get(String node, String counter) {
        Map<String, Long> one = values.get(node);
        if (one == null || !one.containsKey(counter)) {
            throw new IllegalArgumentException("no counter " + counter + " for node " + node);
        }
        return one.get(counter);
    }
}
