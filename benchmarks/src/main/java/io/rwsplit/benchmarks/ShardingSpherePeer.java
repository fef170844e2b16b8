package io.rwsplit.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.apache.shardingsphere.driver.api.yaml.YamlShardingSphereDataSourceFactory;

/**
 * ShardingSphere-JDBC set up for read/write splitting the way its documentation shows: a YAML
 * configuration whose data sources are the cluster's servers, each a HikariCP pool, and a {@code
 * READWRITE_SPLITTING} rule that makes the primary the write data source and the two replicas the
 * read data sources, round robin (rwsplit's default balancing too). A {@code SINGLE} rule with
 * {@code *.*} loads the existing tables into its metadata, which its SQL binder needs to accept a
 * statement that names them.
 *
 * <p>The application's HikariCP pool sits in front of ShardingSphere's data source, as in front of
 * every other driver here (what its {@code jdbc:shardingsphere:} driver URL gives a pool too; the
 * data source is built here from the same YAML only so that the benchmark can close it). A logical
 * ShardingSphere connection keeps the physical connection it got from a server's pool until it is
 * closed, so each server's pool is as large as the application's.
 *
 * <p>ShardingSphere routes on the statement: an autocommit read goes to a replica, anything else
 * to the primary, so the application does not call {@code setReadOnly}. The physical connections
 * get the same Connector/J options as every other driver ({@link Target#CONNECTOR_OPTIONS}).
 */
final class ShardingSpherePeer {

    private ShardingSpherePeer() {
    }

    /** The application's pool of {@code size} ShardingSphere connections over the whole cluster. */
    static HikariDataSource pool(Cluster cluster, String poolName, int size) {
        DataSource sharding;
        try {
            sharding = YamlShardingSphereDataSourceFactory.createDataSource(
                    yaml(cluster, size).getBytes(StandardCharsets.UTF_8));
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("ShardingSphere did not start: " + e.getMessage(), e);
        }
        HikariConfig h = new HikariConfig();
        h.setPoolName(poolName);
        // no user name: HikariCP would call getConnection(user, password), which ShardingSphere ignores
        h.setDataSource(sharding);
        h.setMaximumPoolSize(size);
        h.setMinimumIdle(size);
        try {
            return new Closing(h, (AutoCloseable) sharding);
        } catch (RuntimeException e) {
            close((AutoCloseable) sharding);
            throw e;
        }
    }

    /** The YAML an application would keep in its resources, with the sandbox's ports and accounts. */
    static String yaml(Cluster cluster, int poolSize) {
        List<Node> replicas = cluster.replicas();
        StringBuilder y = new StringBuilder();
        y.append("databaseName: bench\n");
        y.append("dataSources:\n");
        dataSource(y, "primary_ds", cluster, cluster.primary(), poolSize);
        for (int i = 0; i < replicas.size(); i++) {
            dataSource(y, "replica_ds_" + i, cluster, replicas.get(i), poolSize);
        }
        y.append("rules:\n");
        y.append("- !READWRITE_SPLITTING\n");
        y.append("  dataSourceGroups:\n");
        y.append("    readwrite_ds:\n");
        y.append("      writeDataSourceName: primary_ds\n");
        y.append("      readDataSourceNames:\n");
        for (int i = 0; i < replicas.size(); i++) {
            y.append("        - replica_ds_").append(i).append('\n');
        }
        // rwsplit's own rule: a transaction's reads stay on the primary (the benchmarks run none)
        y.append("      transactionalReadQueryStrategy: PRIMARY\n");
        y.append("      loadBalancerName: round_robin\n");
        y.append("  loadBalancers:\n");
        y.append("    round_robin:\n");
        y.append("      type: ROUND_ROBIN\n");
        y.append("- !SINGLE\n");
        y.append("  tables:\n");
        y.append("    - \"*.*\"\n");
        y.append("props:\n");
        y.append("  sql-show: false\n");
        return y.toString();
    }

    private static void dataSource(StringBuilder y, String name, Cluster cluster, Node node, int poolSize) {
        y.append("  ").append(name).append(":\n");
        y.append("    dataSourceClassName: com.zaxxer.hikari.HikariDataSource\n");
        y.append("    driverClassName: com.mysql.cj.jdbc.Driver\n");
        y.append("    jdbcUrl: ").append(quoted("jdbc:mysql://" + node.address() + "/" + cluster.database() + "?"
                + Target.CONNECTOR_OPTIONS)).append('\n');
        y.append("    username: ").append(quoted(cluster.app().user())).append('\n');
        y.append("    password: ").append(quoted(cluster.app().password())).append('\n');
        y.append("    maximumPoolSize: ").append(poolSize).append('\n');
        y.append("    minimumIdle: ").append(poolSize).append('\n');
        // a fixed-size pool, like the application's; 0 because ShardingSphere sets one otherwise, which
        // HikariCP warns has no effect on a fixed-size pool
        y.append("    idleTimeout: 0\n");
    }

    /** A YAML single-quoted scalar: nothing in it is special but the quote, which is doubled. */
    private static String quoted(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not close ShardingSphere: " + e.getMessage(), e);
        }
    }

    /** The application's pool, which also closes ShardingSphere (and so the servers' pools) behind it. */
    private static final class Closing extends HikariDataSource {
        private final AutoCloseable sharding;

        Closing(HikariConfig config, AutoCloseable sharding) {
            super(config);
            this.sharding = sharding;
        }

        @Override
        public void close() {
            try {
                super.close();
            } finally {
                ShardingSpherePeer.close(sharding);
            }
        }
    }
}
