package io.rwsplit.core.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rwsplit.core.topology.TopologyMonitor;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A replica whose applier is stopped is passed over, although it comes first in the configuration. */
@SandboxCluster(replicas = 2, scope = SandboxCluster.Scope.CLASS)
class FailoverLaggingReplicaIT {

    private static final Logger log = LoggerFactory.getLogger(FailoverLaggingReplicaIT.class);
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final FailoverFixture f;

    FailoverLaggingReplicaIT(Cluster cluster) {
        this.f = new FailoverFixture(cluster);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void theFresherReplicaIsPromoted() throws Exception {
        Cluster cluster = f.cluster;
        Node old = cluster.primary();
        Node lagging = cluster.replica(0);
        Node fresh = cluster.replica(1);
        String table = cluster.database() + ".lag_it";
        f.execute(old, "CREATE TABLE " + table + " (id INT PRIMARY KEY)");
        cluster.awaitReplicasCaughtUp(PATIENCE);
        lagging.stopApplier();
        for (int i = 1; i <= 3; i++) {
            f.execute(old, "INSERT INTO " + table + " VALUES (" + i + ")");
        }
        fresh.awaitCaughtUpWith(old, PATIENCE);
        assertThat(f.count(lagging, "lag_it")).isZero();
        TopologyMonitor monitor = f.start(FailoverFixture.TIGHT);

        long killed = System.nanoTime();
        old.kill();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
                .until(() -> f.firstNewPrimary(old.name(), killed).isPresent());
        log.info("kill -9 to the new primary published (interval 200ms, timeouts 500ms, failCount 3): {} ms",
                (f.firstNewPrimary(old.name(), killed).orElseThrow().nanos() - killed) / 1_000_000);

        assertThat(FailoverFixture.primaryName(monitor)).isEqualTo(fresh.name());
        assertThat(f.actsAsPrimary(fresh)).isTrue();
        // repointed, its applier runs again and it catches up from the new primary
        await().atMost(PATIENCE).until(() -> f.count(lagging, "lag_it") == 3);
        assertThat(lagging.replicationStatus().healthy()).isTrue();
        assertThat(f.actsAsPrimary(lagging)).isFalse();
    }
}
