package io.rwsplit.sandbox;

import io.rwsplit.sandbox.local.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The cluster contract on Debian's MariaDB 10.11 ({@code apt-get install mariadb-server-core
 * mariadb-client-core}), selected through the binary override. Shows as skipped where it is not
 * installed.
 */
@EnabledIf(value = "debianServerInstalled", disabledReason = "Debian's /usr/sbin/mariadbd is not installed")
class DebianMariaDbClusterIT extends ClusterContract {

    static final Path DEBIAN_SERVER = Path.of("/usr/sbin/mariadbd");

    private static Cluster cluster;

    static boolean debianServerInstalled() {
        return Files.isExecutable(DEBIAN_SERVER);
    }

    @BeforeAll
    static void start() {
        cluster = LocalCluster.builder().serverBinary(DEBIAN_SERVER).replicas(2).start();
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
