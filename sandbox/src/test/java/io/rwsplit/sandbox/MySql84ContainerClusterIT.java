package io.rwsplit.sandbox;

import io.rwsplit.sandbox.container.MySqlContainerCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The cluster contract on MySQL 8.4 in Docker containers; skipped where no Docker engine runs. */
@Testcontainers(disabledWithoutDocker = true)
class MySql84ContainerClusterIT extends ClusterContract {

    private static Cluster cluster;

    @BeforeAll
    static void start() {
        cluster = MySqlContainerCluster.start(2);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected Cluster cluster() {
        return cluster;
    }
}
