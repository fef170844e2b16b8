package io.rwsplit.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One driver under test: the URL an application would give it for the sandbox cluster, and
 * whether the application has to call {@code setReadOnly} for reads to leave the primary.
 *
 * <p>Every driver here talks to the servers through the same Connector/J with the same options,
 * so what differs is the routing layer alone. The options are rwsplit's own defaults for its
 * physical connections, and part of what HikariCP recommends for MySQL. {@code
 * useLocalSessionState} matters most to the peers: it spares a round trip for a {@code
 * setReadOnly} that does not change a physical connection's state.
 */
enum Target {

    /** Raw Connector/J to the primary: every statement runs there. The baseline. */
    CONNECTORJ("connectorj", false, Reads.PRIMARY),
    /** Connector/J's replication driver: first host the source, the rest replicas, chosen by {@code setReadOnly}. */
    CONNECTORJ_REPLICATION("connectorj-replication", true, Reads.REPLICAS),
    /** The AWS Advanced JDBC Wrapper's read/write splitting plugin over Connector/J, also on {@code setReadOnly}. */
    AWS_WRAPPER("aws-wrapper", true, Reads.REPLICAS),
    /** rwsplit over the whole cluster: the application only changes the URL. */
    RWSPLIT("rwsplit", false, Reads.REPLICAS),
    /**
     * rwsplit given the primary alone, so it sends reads there too: the same server does the same
     * work as for the baseline, and the difference is the driver's own cost.
     */
    RWSPLIT_PRIMARY_ONLY("rwsplit-primary-only", false, Reads.PRIMARY),
    /**
     * ShardingSphere-JDBC with a read/write splitting rule over the whole cluster: it parses every
     * statement and sends autocommit reads to the replicas, so the application only changes its
     * data source. Configured by YAML rather than a URL: {@link ShardingSpherePeer}.
     */
    SHARDINGSPHERE("shardingsphere", false, Reads.REPLICAS);

    /** Where a point select is expected to run; the benchmark's setup checks it. */
    enum Reads { PRIMARY, REPLICAS }

    /** Connector/J's options, the same for every target (rwsplit passes them on to its physical connections). */
    static final String CONNECTOR_OPTIONS = "sslMode=DISABLED&useLocalSessionState=true&cachePrepStmts=true"
            + "&prepStmtCacheSize=250&prepStmtCacheSqlLimit=2048";

    private final String param;
    private final boolean togglesReadOnly;
    private final Reads reads;

    Target(String param, boolean togglesReadOnly, Reads reads) {
        this.param = param;
        this.togglesReadOnly = togglesReadOnly;
        this.reads = reads;
    }

    static Target of(String param) {
        for (Target t : values()) {
            if (t.param.equals(param)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no driver named " + param);
    }

    /** The targets named in a comma-separated list of {@code driver} values; all of them for an empty one. */
    static List<Target> list(String names) {
        if (names == null || names.isBlank()) {
            return List.of(values());
        }
        return Arrays.stream(names.split(",")).map(String::trim).map(Target::of).toList();
    }

    String param() {
        return param;
    }

    /** The application must wrap reads in {@code setReadOnly(true)} ... {@code setReadOnly(false)}. */
    boolean togglesReadOnly() {
        return togglesReadOnly;
    }

    Reads reads() {
        return reads;
    }

    /** The URL of a driver configured by its URL; ShardingSphere is configured by YAML instead. */
    private String url(Cluster cluster) {
        String db = "/" + cluster.database() + "?" + CONNECTOR_OPTIONS;
        return switch (this) {
            case CONNECTORJ -> "jdbc:mysql://" + cluster.primary().address() + db;
            case CONNECTORJ_REPLICATION -> "jdbc:mysql:replication://" + hosts(cluster.nodes()) + db;
            // singleWriterConnectionString=true is what makes it work on a plain cluster: without it
            // every host of the URL counts as a writer, setReadOnly(true) finds no reader and stays
            // on the primary, silently. wrapperDialect=mysql and wrapperTargetDriverDialect are what
            // it detects by itself here; given, it skips detecting. Only readWriteSplitting: the
            // default plugin list adds failover and monitoring plugins made for Aurora and RDS.
            case AWS_WRAPPER -> "jdbc:aws-wrapper:mysql://" + hosts(cluster.nodes()) + db
                    + "&wrapperPlugins=readWriteSplitting&singleWriterConnectionString=true"
                    + "&wrapperDialect=mysql&wrapperTargetDriverDialect=mysql-connector-j";
            case RWSPLIT -> rwsplit(cluster, cluster.nodes()) + monitor(cluster);
            case RWSPLIT_PRIMARY_ONLY -> rwsplit(cluster, List.of(cluster.primary())) + monitor(cluster);
            case SHARDINGSPHERE -> throw new IllegalStateException("ShardingSphere is configured by YAML");
        };
    }

    private static String rwsplit(Cluster cluster, List<Node> nodes) {
        return "jdbc:rwsplit:mysql://" + hosts(nodes) + "/" + cluster.database() + "?" + CONNECTOR_OPTIONS;
    }

    /** The monitor reads replication status, which the application account may not; default interval (1 s). */
    private static String monitor(Cluster cluster) {
        return "&rwsplit.monitor.user=" + cluster.admin().user() + "&rwsplit.monitor.password="
                + cluster.admin().password();
    }

    private static String hosts(List<Node> nodes) {
        return nodes.stream().map(Node::address).collect(Collectors.joining(","));
    }

    /**
     * The application's pool: {@code size} connections opened at start and kept, so no
     * connection is opened while JMH measures.
     */
    HikariDataSource pool(Cluster cluster, int size) {
        if (this == SHARDINGSPHERE) {
            return ShardingSpherePeer.pool(cluster, "bench-" + param, size);
        }
        HikariConfig h = new HikariConfig();
        h.setPoolName("bench-" + param);
        h.setJdbcUrl(url(cluster));
        h.setUsername(cluster.app().user());
        h.setPassword(cluster.app().password());
        h.setMaximumPoolSize(size);
        h.setMinimumIdle(size);
        return new HikariDataSource(h);
    }
}
