package io.rwsplit.sandbox;

import io.rwsplit.sandbox.junit.SandboxCluster;

/**
 * The cluster contract on the default server (the bundled MariaDB 11.4, or whatever
 * {@code rwsplit.sandbox.server} / {@code RWSPLIT_SANDBOX_SERVER} names), through the JUnit extension.
 */
@SandboxCluster(replicas = 2)
class BundledMariaDbClusterIT extends ClusterContract {

    private final Cluster cluster;

    BundledMariaDbClusterIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @Override
    protected Cluster cluster() {
        return cluster;
    }
}
