package io.rwsplit.core.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rwsplit.core.config.MonitorConfig;
import io.rwsplit.core.topology.TopologyMonitor;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** kill -9 the primary under a promoting monitor at its default settings. */
@SandboxCluster(replicas = 2, scope = SandboxCluster.Scope.CLASS)
class FailoverKillIT {

    private static final Logger log = LoggerFactory.getLogger(FailoverKillIT.class);
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final FailoverFixture f;

    FailoverKillIT(Cluster cluster) {
        this.f = new FailoverFixture(cluster);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void aReplicaIsPromotedAndTheOtherReplicatesFromIt() throws Exception {
        Cluster cluster = f.cluster;
        Node old = cluster.primary();
        f.execute(old, "CREATE TABLE " + cluster.database() + ".kill_it (id INT PRIMARY KEY, v VARCHAR(20))");
        f.execute(old, "INSERT INTO " + cluster.database() + ".kill_it VALUES (1, 'before')");
        cluster.awaitReplicasCaughtUp(PATIENCE);
        TopologyMonitor monitor = f.start(MonitorConfig.DEFAULTS);

        long killed = System.nanoTime();
        old.kill();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
                .until(() -> f.firstNewPrimary(old.name(), killed).isPresent());
        long outage = f.firstNewPrimary(old.name(), killed).orElseThrow().nanos() - killed;
        log.info("kill -9 to the new primary published (defaults: interval 1s, failCount 3): {} ms",
                outage / 1_000_000);
        // a figure, not a pass mark: about 3.2 s on an idle machine (the goal is 5 s), and up to 10 s
        // while a benchmark loads the two cores; the await above bounds it

        Node promoted = cluster.node(FailoverFixture.primaryName(monitor));
        Node other = cluster.replicas().stream().filter(n -> n != promoted).findFirst().orElseThrow();
        assertThat(monitor.promotions()).isEqualTo(1);
        assertThat(f.actsAsPrimary(promoted)).isTrue();
        assertThat(monitor.fenced()).extracting(id -> id.name()).containsExactly(old.name());

        f.execute(promoted, "INSERT INTO " + cluster.database() + ".kill_it VALUES (2, 'after')");
        await().atMost(PATIENCE).until(() -> f.count(other, "kill_it") == 2);
        assertThat(other.replicationStatus().healthy()).isTrue();
        assertThat(monitor.current().replicas()).extracting(v -> v.name()).containsExactly(other.name());
    }
}
