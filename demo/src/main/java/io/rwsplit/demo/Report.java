package io.rwsplit.demo;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Flavor;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.Role;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The demo's text: where the workload's statements went, and how to connect. */
final class Report {

    /** Connector/J options for a proxy without TLS towards clients. */
    static final String PROXY_URL_OPTIONS = "sslMode=DISABLED&allowPublicKeyRetrieval=true";

    private Report() {
    }

    /** What the clients did, then the servers' counters per node, then how to read them. */
    static String whereItWent(Cluster cluster, ServerCounters delta, Tally.Snapshot t) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "The clients sent %,d reads, %,d INSERTs and %,d UPDATEs, and committed "
                + "%,d transactions; %,d errors.%n", t.reads(), t.inserts(), t.updates(), t.transactions(), t.errors()));
        if (t.ownWriteReads() > 0) {
            sb.append(String.format(Locale.ROOT, "Of %,d reads right after the session's own INSERT, %s%n",
                    t.ownWriteReads(), t.staleReads() == 0 ? "every one found the new row (readYourWrites: causal)."
                            : String.format(Locale.ROOT, "%,d did NOT find it.", t.staleReads())));
        }
        for (String e : t.firstErrors()) {
            sb.append("  ").append(e).append('\n');
        }
        sb.append('\n');
        sb.append("Where they ran, by each server's own counters (SHOW GLOBAL STATUS, growth during the workload):\n\n");
        String row = "  %-4s  %-7s  %-15s  %11s  %10s  %10s  %10s  %10s%n";
        sb.append(String.format(Locale.ROOT, row, "node", "role", "address", "Questions", "Com_select", "Com_insert",
                "Com_update", "Com_commit"));
        long replicaReads = 0;
        for (Node n : cluster.nodes()) {
            boolean primary = n.role() == Role.PRIMARY;
            long select = delta.get(n.name(), ServerCounters.SELECT);
            if (!primary) {
                replicaReads += select;
            }
            sb.append(String.format(Locale.ROOT, row, n.name(), primary ? "primary" : "replica", n.address(),
                    num(delta.get(n.name(), ServerCounters.QUESTIONS)), num(select),
                    primary ? num(delta.get(n.name(), ServerCounters.INSERT)) : "-",
                    primary ? num(delta.get(n.name(), ServerCounters.UPDATE)) : "-",
                    primary ? num(delta.get(n.name(), ServerCounters.COMMIT)) : "-"));
        }
        Node p = cluster.primary();
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "  Reads:  %,d SELECTs on the replicas, %,d on the primary.%n",
                replicaReads, delta.get(p.name(), ServerCounters.SELECT)));
        sb.append(String.format(Locale.ROOT, "  Writes: %,d INSERTs, %,d UPDATEs, %,d COMMITs on the primary; the clients "
                + "sent %,d, %,d, %,d.%n", delta.get(p.name(), ServerCounters.INSERT),
                delta.get(p.name(), ServerCounters.UPDATE), delta.get(p.name(), ServerCounters.COMMIT), t.inserts(),
                t.updates(), t.transactions()));
        sb.append('\n');
        sb.append("  Questions: every statement clients sent the server (the proxy's sessions and monitor);\n"
                + "  replication is not counted. Com_insert/update/commit are shown for the primary only: on a\n"
                + "  replica they also count what replication applies. Com_select includes the proxy's own small\n"
                + "  queries: monitor probes, the GTID it reads after each write (primary), and the wait for that\n"
                + "  GTID before a read that follows its session's write (replicas).\n");
        return sb.toString();
    }

    /** How to reach the proxy and the servers. */
    static String howToConnect(Cluster cluster, InetSocketAddress proxy, Optional<InetSocketAddress> admin,
            Optional<Path> client, Path config,
            String clusterName) {
        String host = proxy.getHostString();
        int port = proxy.getPort();
        String user = cluster.app().user();
        String password = cluster.app().password();
        String db = cluster.database();
        String noTls = cluster.flavor() == Flavor.MARIADB ? "--skip-ssl" : "--ssl-mode=DISABLED";
        String nodes = cluster.nodes().stream().map(Node::address).collect(Collectors.joining(","));
        StringBuilder sb = new StringBuilder();
        String row = "  %-10s %s%n";
        sb.append(String.format(row, "proxy", host + ":" + port + "   user " + user + "   password " + password
                + "   database " + db));
        sb.append(String.format(row, "CLI", client.map(Path::toString).orElse("mysql") + " -h " + host + " -P " + port
                + " -u " + user + " -p" + password + " " + noTls + " " + db));
        sb.append(String.format(row, "JDBC", "jdbc:mysql://" + host + ":" + port + "/" + db + "?" + PROXY_URL_OPTIONS
                + "   (Connector/J, through the proxy)"));
        sb.append(String.format(row, "JDBC", "jdbc:rwsplit:mysql://" + nodes + "/" + db + "?rwsplit.monitor.user="
                + cluster.admin().user() + "&rwsplit.monitor.password=" + cluster.admin().password()
                + "   (the rwsplit driver, straight to the servers)"));
        admin.ifPresent(x -> sb.append(String.format(row, "status", "http://" + x.getHostString() + ":" + x.getPort()
                + "/   (metrics: /metrics, topology: /api/topology, explain: /api/explain?sql=...)")));
        sb.append(String.format(row, "servers", "./rwsplit sandbox status --name " + clusterName));
        sb.append(String.format(row, "config", config + "   (the proxy's config, as ./rwsplit proxy --config reads it)"));
        return sb.toString();
    }

    private static String num(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
