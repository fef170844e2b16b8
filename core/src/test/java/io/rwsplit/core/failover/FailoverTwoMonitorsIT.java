package io.rwsplit.core.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rwsplit.core.topology.TopologyMonitor;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two promoting monitors on one cluster (two proxies, or a proxy and a driver): one promotion. */
@SandboxCluster(replicas = 2, scope = SandboxCluster.Scope.CLASS)
class FailoverTwoMonitorsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final FailoverFixture f;

    FailoverTwoMonitorsIT(Cluster cluster) {
        this.f = new FailoverFixture(cluster);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void exactlyOnePromotionHappens() throws Exception {
        Cluster cluster = f.cluster;
        Node old = cluster.primary();
        TopologyMonitor a = f.start(FailoverFixture.TIGHT);
        TopologyMonitor b = f.start(FailoverFixture.TIGHT);

        old.kill();
        await().atMost(PATIENCE).until(() -> FailoverFixture.primaryName(a) != null
                && !old.name().equals(FailoverFixture.primaryName(a))
                && FailoverFixture.primaryName(a).equals(FailoverFixture.primaryName(b)));
        // five more passes of each: neither promotes again
        long passesA = a.passes();
        long passesB = b.passes();
        await().atMost(PATIENCE).until(() -> a.passes() >= passesA + 5 && b.passes() >= passesB + 5);
        assertThat(a.promotions() + b.promotions()).isEqualTo(1);
        assertThat(FailoverFixture.primaryName(b)).isEqualTo(FailoverFixture.primaryName(a));

        Node promoted = cluster.node(FailoverFixture.primaryName(a));
        List<Node> survivors = cluster.replicas();
        for (Node n : survivors) {
            assertThat(f.actsAsPrimary(n)).as(n.name()).isEqualTo(n == promoted);
        }
        Node other = survivors.stream().filter(n -> n != promoted).findFirst().orElseThrow();
        assertThat(other.replicationStatus().healthy()).isTrue();
        assertThat(b.fenced()).extracting(id -> id.name()).containsExactly(old.name());
    }
}
