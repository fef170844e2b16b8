package io.rwsplit.core.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rwsplit.core.topology.Role;
import io.rwsplit.core.topology.TopologyMonitor;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code autoRejoin} refuses an old primary that committed a transaction no replica received: cut
 * off from its replicas (their receivers stopped), it takes a write, then dies; a replica is
 * promoted and writes on. Restarted, the old primary holds a transaction the new primary lacks,
 * although on MariaDB its sequence number is lower than the new primary's: it stays fenced and
 * the difference is reported.
 */
@SandboxCluster(replicas = 2, scope = SandboxCluster.Scope.CLASS)
class FailoverRejoinErrantIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final FailoverFixture f;

    FailoverRejoinErrantIT(Cluster cluster) {
        this.f = new FailoverFixture(cluster);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void anOldPrimaryWithATransactionNobodyElseHasStaysOut() throws Exception {
        Cluster cluster = f.cluster;
        Node old = cluster.primary();
        String table = cluster.database() + ".errant_it";
        f.execute(old, "CREATE TABLE " + table + " (id INT PRIMARY KEY)");
        f.execute(old, "INSERT INTO " + table + " VALUES (1)");
        cluster.awaitReplicasCaughtUp(PATIENCE);
        TopologyMonitor monitor = f.start(FailoverFixture.TIGHT, new FailoverSettings(Duration.ofSeconds(10), true,
                cluster.replication().user(), cluster.replication().password()));

        // the primary loses its replicas, takes one more write, and dies
        for (Node r : cluster.replicas()) {
            f.execute(r, "STOP SLAVE IO_THREAD");
        }
        f.execute(old, "INSERT INTO " + table + " VALUES (100)");
        String lost = old.gtidPosition();
        long killed = System.nanoTime();
        old.kill();
        await().atMost(PATIENCE).until(() -> f.firstNewPrimary(old.name(), killed).isPresent());
        Node promoted = cluster.node(FailoverFixture.primaryName(monitor));
        // the new primary writes on, past the lost transaction's sequence number
        f.execute(promoted, "INSERT INTO " + table + " VALUES (2), (3)");
        f.execute(promoted, "INSERT INTO " + table + " VALUES (4)");

        old.start();
        await().atMost(PATIENCE).until(() -> monitor.errant().containsKey(old.name()));
        assertThat(monitor.errant().get(old.name())).as("errant GTIDs reported").isEqualTo(lost);
        await().atMost(PATIENCE).until(() -> "1".equals(f.queryString(old, "SELECT @@GLOBAL.read_only")));
        assertThat(old.replicationStatus().configured()).as("the old primary replicates").isFalse();
        assertThat(monitor.fenced()).extracting(id -> id.name()).containsExactly(old.name());
        assertThat(monitor.current().nodes().stream().filter(v -> v.name().equals(old.name())).findFirst()
                .orElseThrow().role()).isEqualTo(Role.UNKNOWN);
        assertThat(f.count(old, "errant_it")).isEqualTo(2);
        assertThat(f.count(promoted, "errant_it")).isEqualTo(4);
    }
}
