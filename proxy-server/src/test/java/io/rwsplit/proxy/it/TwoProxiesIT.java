package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rwsplit.core.topology.NodeView;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import io.rwsplit.sandbox.load.SteadyLoad;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two proxies in front of one cluster, both with {@code failover: promote}, both under load (issue
 * 6, fault test 4): kill -9 the primary and exactly one promotion happens; both proxies follow it
 * and writes through either land on the same new primary, with nothing acknowledged lost.
 */
@SandboxCluster(replicas = 2, semiSync = true, scope = SandboxCluster.Scope.CLASS)
class TwoProxiesIT {

    private static final Logger log = LoggerFactory.getLogger(TwoProxiesIT.class);
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final Cluster cluster;
    private RunningProxy a;
    private RunningProxy b;

    TwoProxiesIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @AfterEach
    void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @Test
    void exactlyOnePromotionAndBothProxiesWriteToTheSameNewPrimary() throws Exception {
        Node old = cluster.primary();
        String tableA = cluster.database() + ".two_proxies_a";
        String tableB = cluster.database() + ".two_proxies_b";
        try (Connection c = old.connect(cluster.admin()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + tableA + " (id INT PRIMARY KEY, v VARCHAR(40))");
            s.execute("CREATE TABLE " + tableB + " (id INT PRIMARY KEY, v VARCHAR(40))");
        }
        cluster.awaitReplicasCaughtUp(PATIENCE);
        a = RunningProxy.startMonitored(cluster, KillPrimaryIT.TIGHT, "failover: promote\n");
        b = RunningProxy.startMonitored(cluster, KillPrimaryIT.TIGHT, "failover: promote\n");

        long killed;
        try (SteadyLoad viaA = new SteadyLoad(() -> a.connect("socketTimeout=5000&connectTimeout=5000"), tableA)
                .start(2, 1);
                SteadyLoad viaB = new SteadyLoad(() -> b.connect("socketTimeout=5000&connectTimeout=5000"), tableB)
                        .start(2, 1)) {
            await().atMost(PATIENCE).until(() -> viaA.acknowledgedWrites() >= 50 && viaB.acknowledgedWrites() >= 50);
            killed = System.nanoTime();
            old.kill();
            await().atMost(PATIENCE).until(() -> viaA.writesAfter(killed) >= 50 && viaB.writesAfter(killed) >= 50);
            viaA.close();
            viaB.close();
            log.info("two proxies, kill -9 of the primary: write outage {} ms via A, {} ms via B; promotions "
                    + "A {}, B {}", (viaA.resumedAfter(killed).orElseThrow() - killed) / 1_000_000,
                    (viaB.resumedAfter(killed).orElseThrow() - killed) / 1_000_000,
                    a.server.runtime().monitor().promotions(), b.server.runtime().monitor().promotions());

            assertThat(a.server.runtime().monitor().promotions() + b.server.runtime().monitor().promotions())
                    .as("promotions by both proxies together").isEqualTo(1);
            NodeView pa = a.server.runtime().monitor().current().primary().orElseThrow();
            NodeView pb = b.server.runtime().monitor().current().primary().orElseThrow();
            assertThat(pa.id()).isEqualTo(pb.id());
            Node now = cluster.node(pa.name());
            assertThat(now).isNotSameAs(old);
            long writable = cluster.nodes().stream().filter(n -> n != old).filter(n -> {
                try {
                    return KillPrimaryIT.queryLong(n, "SELECT @@GLOBAL.read_only") == 0;
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            }).count();
            assertThat(writable).as("writable servers left").isEqualTo(1);

            for (RunningProxy p : new RunningProxy[] {a, b}) {
                try (Connection c = p.connect(""); Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT @@server_id /* rwsplit:primary */")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(now.serverId());
                }
            }
            assertThat(viaA.readFailures()).isEmpty();
            assertThat(viaB.readFailures()).isEmpty();
            Map<Integer, String> missingA = new HashMap<>(viaA.ledger);
            missingA.keySet().removeAll(KillPrimaryIT.rows(now, tableA).keySet());
            Map<Integer, String> missingB = new HashMap<>(viaB.ledger);
            missingB.keySet().removeAll(KillPrimaryIT.rows(now, tableB).keySet());
            assertThat(missingA).as("writes acknowledged through A missing on the new primary").isEmpty();
            assertThat(missingB).as("writes acknowledged through B missing on the new primary").isEmpty();
        }
    }
}
