package io.rwsplit.core.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rwsplit.core.topology.NodeView;
import io.rwsplit.core.topology.Role;
import io.rwsplit.core.topology.TopologyMonitor;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code autoRejoin}: a primary killed and replaced comes back as a replica of the new primary
 * when it lost nothing the new primary lacks.
 */
@SandboxCluster(replicas = 2, scope = SandboxCluster.Scope.CLASS)
class FailoverRejoinIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final FailoverFixture f;

    FailoverRejoinIT(Cluster cluster) {
        this.f = new FailoverFixture(cluster);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void theRestartedOldPrimaryReplicatesFromTheNewOneAndTakesReadsAgain() throws Exception {
        Cluster cluster = f.cluster;
        Node old = cluster.primary();
        String table = cluster.database() + ".rejoin_it";
        f.execute(old, "CREATE TABLE " + table + " (id INT PRIMARY KEY)");
        f.execute(old, "INSERT INTO " + table + " VALUES (1)");
        cluster.awaitReplicasCaughtUp(PATIENCE);
        TopologyMonitor monitor = f.start(FailoverFixture.TIGHT, new FailoverSettings(Duration.ofSeconds(10), true,
                cluster.replication().user(), cluster.replication().password()));

        long killed = System.nanoTime();
        old.kill();
        await().atMost(PATIENCE).until(() -> f.firstNewPrimary(old.name(), killed).isPresent());
        Node promoted = cluster.node(FailoverFixture.primaryName(monitor));
        assertThat(monitor.fenced()).extracting(id -> id.name()).containsExactly(old.name());
        f.execute(promoted, "INSERT INTO " + table + " VALUES (2), (3)");

        old.start();
        await().atMost(PATIENCE).until(() -> monitor.current().nodes().stream()
                .anyMatch(v -> v.name().equals(old.name()) && v.role() == Role.REPLICA && v.isUp()));
        // it applies what the new primary wrote meanwhile, and stays read-only
        await().atMost(PATIENCE).until(() -> f.count(old, "rejoin_it") == 3);
        assertThat(f.queryString(old, "SELECT @@GLOBAL.read_only")).isEqualTo("1");
        assertThat(old.replicationStatus().healthy()).isTrue();
        assertThat(monitor.fenced()).isEmpty();
        assertThat(monitor.errant()).isEmpty();
        assertThat(monitor.current().primary()).map(NodeView::name).contains(promoted.name());
        // and it is in the read set once caught up
        await().atMost(PATIENCE).until(() -> monitor.current().replicas().stream()
                .anyMatch(v -> v.name().equals(old.name())));
    }
}
