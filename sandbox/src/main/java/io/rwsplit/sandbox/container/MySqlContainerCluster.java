package io.rwsplit.sandbox.container;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.ClusterSettings;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.ReplicationSetup;
import io.rwsplit.sandbox.Role;
import io.rwsplit.sandbox.SandboxException;
import io.rwsplit.sandbox.ServerVersion;
import io.rwsplit.sandbox.flavor.ReplicationDialect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A MySQL primary + replicas in Docker containers (Testcontainers), set up the same way as a local
 * cluster: GTID replication with auto-positioning, the same accounts, the same {@link Cluster} API.
 * Replicas reach their primary by network alias; tests reach every node through its mapped port.
 * Only usable where a Docker engine runs; see {@link #dockerAvailable()}.
 */
public final class MySqlContainerCluster {

    public static final String DEFAULT_IMAGE = "mysql:8.4";

    private MySqlContainerCluster() {
    }

    public static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    public static Cluster start(int replicas) {
        return start(replicas, ClusterSettings.DEFAULTS, DEFAULT_IMAGE);
    }

    public static Cluster start(int replicas, ClusterSettings settings, String image) {
        ServerVersion version = ServerVersion.parse("MySQL " + imageVersion(image));
        ReplicationDialect dialect = ReplicationDialect.of(version);
        Network network = Network.newNetwork();
        List<MySQLContainer> containers = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        try {
            for (int i = 0; i <= replicas; i++) {
                String alias = "n" + (i + 1);
                Role role = i == 0 ? Role.PRIMARY : Role.REPLICA;
                List<String> command = new ArrayList<>();
                command.add("mysqld");
                command.add("--server-id=" + (i + 1));
                command.add("--report-host=" + alias);
                for (Map.Entry<String, String> o : dialect.serverOptions(role, settings.semiSync(),
                        settings.semiSyncTimeout()).entrySet()) {
                    command.add("--" + o.getKey() + (o.getValue().isEmpty() ? "" : "=" + o.getValue()));
                }
                @SuppressWarnings("resource") // closed with the cluster
                MySQLContainer c = new MySQLContainer(DockerImageName.parse(image))
                        .withNetwork(network)
                        .withNetworkAliases(alias)
                        .withUsername("root")
                        .withPassword(settings.admin().password())
                        .withDatabaseName(settings.database())
                        .withCommand(command.toArray(String[]::new));
                containers.add(c);
                nodes.add(new Node(alias, i + 1, role, version, settings.admin(), settings.database(),
                        new ContainerProcess(c, alias)));
            }
            Startables.deepStart(containers).join();
            new ReplicationSetup(settings, Duration.ofSeconds(60), false).run(nodes.get(0), nodes.subList(1, nodes.size()),
                    settings.admin());
        } catch (RuntimeException e) {
            containers.forEach(MySQLContainer::stop);
            network.close();
            throw new SandboxException("could not start a MySQL container cluster from " + image + ": "
                    + e.getMessage(), e);
        }
        return new Cluster("mysql-containers", nodes.get(0), nodes.subList(1, nodes.size()), settings,
                Optional.empty(), () -> {
                    containers.forEach(MySQLContainer::stop);
                    network.close();
                });
    }

    /** {@code mysql:8.4} reads as 8.4.0: the dialect only needs major and minor. */
    static String imageVersion(String image) {
        int colon = image.lastIndexOf(':');
        String tag = colon < 0 ? "8.4" : image.substring(colon + 1);
        String[] parts = tag.split("[^0-9]+");
        return (parts.length > 0 && !parts[0].isEmpty() ? parts[0] : "8") + "."
                + (parts.length > 1 ? parts[1] : "4") + "." + (parts.length > 2 ? parts[2] : "0");
    }
}
