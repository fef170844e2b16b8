package io.rwsplit.proxy.it;

import io.rwsplit.sandbox.load.SteadyLoad;
import static io.rwsplit.proxy.it.KillPrimaryIT.cleanError;
import static io.rwsplit.proxy.it.KillPrimaryIT.queryLong;
import static io.rwsplit.proxy.it.KillPrimaryIT.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rwsplit.core.topology.NodeView;
import io.rwsplit.core.topology.TopologyMonitor;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGSTOP the primary under a steady load through the proxy, then thaw it (issue 6, fault test 2):
 * writes move to the promoted replica; the thawed primary is fenced (read_only, errno 1290 to a
 * writer) and the proxy never takes it as primary again; with semi-synchronous replication no
 * write a client saw committed is missing from the new primary.
 */
@SandboxCluster(replicas = 2, semiSync = true, scope = SandboxCluster.Scope.CLASS)
class FreezePrimaryIT {

    private static final Logger log = LoggerFactory.getLogger(FreezePrimaryIT.class);
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final Cluster cluster;
    private RunningProxy proxy;

    FreezePrimaryIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @AfterEach
    void stop() {
        if (cluster.primary().isFrozen()) {
            cluster.primary().thaw();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void writesMoveToThePromotedReplicaAndTheThawedPrimaryIsFenced() throws Exception {
        Node old = cluster.primary();
        String table = cluster.database() + ".failover_freeze";
        try (Connection c = old.connect(cluster.admin()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, v VARCHAR(40))");
        }
        for (Node r : cluster.replicas()) {
            // the replicas' view breaks the tie only once their receivers notice the silence
            try (Connection c = r.connectAdmin(); Statement s = c.createStatement()) {
                s.execute("STOP SLAVE");
                s.execute("SET GLOBAL slave_net_timeout = 2");
                s.execute("START SLAVE");
            }
        }
        cluster.awaitReplicasCaughtUp(PATIENCE);
        proxy = RunningProxy.startMonitored(cluster, KillPrimaryIT.TIGHT, "failover: promote\n");
        TopologyMonitor monitor = proxy.server.runtime().monitor();
        // what the proxy takes as primary, sampled all along
        List<String> primaries = new CopyOnWriteArrayList<>();

        try (SteadyLoad load = new SteadyLoad(() -> proxy.connect("socketTimeout=30000&connectTimeout=5000"), table)
                .start(3, 3); Sampler sampler = new Sampler(() -> {
                    String p = primaryName(monitor);
                    if (p != null) {
                        primaries.add(p);
                    }
                })) {
            await().atMost(PATIENCE).until(() -> load.acknowledgedWrites() >= 100 && load.reads() >= 100);
            long frozen = System.nanoTime();
            old.freeze();
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(10))
                    .until(() -> primaryName(monitor) != null && !old.name().equals(primaryName(monitor)));
            long promotedSeen = System.nanoTime();
            Node promoted = cluster.node(primaryName(monitor));
            try {
                await().atMost(PATIENCE).until(() -> load.writesAfter(promotedSeen) >= 20);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                load.summary().forEach((kind, n) -> log.info("so far: {} x {}", n, kind));
                diagnose(promoted, cluster);
                throw e;
            }
            long resumed = load.resumedAfter(frozen).orElseThrow();
            log.info("proxy, SIGSTOP of the primary (monitor interval 200ms, timeouts 500ms, failCount 3, "
                    + "slave_net_timeout 2s, semi-sync): write outage {} ms", (resumed - frozen) / 1_000_000);
            // a figure, not a pass mark: about 5.1-5.6 s here, of which about 3 s is detection (probe timeouts
            // and the replicas' slave_net_timeout) and about 2 s the candidate's STOP SLAVE, which waits for its
            // receiver's reconnect attempt to the frozen server and for semi-sync's own connection to it (1 s)
            // writes stuck on the frozen primary were answered (with an error) when another server
            // was promoted, not left to commit there when it thaws
            assertThat(load.writePendingSince(frozen)).as("a write from before the freeze still waiting").isFalse();

            old.thaw();
            // the fence kills the old primary's client connections, this poll's among them at times
            await().atMost(PATIENCE).ignoreExceptions()
                    .until(() -> queryLong(old, "SELECT @@GLOBAL.read_only") == 1);
            await().atMost(PATIENCE).until(() -> monitor.current().node(old.name()).orElseThrow().isUp());
            long fenced = System.nanoTime();
            long insertsOnOld = queryLong(old, "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
                    + " WHERE VARIABLE_NAME = 'COM_INSERT'");
            // five more monitor passes under load with the old primary up, answering and fenced
            long passes = monitor.passes();
            await().atMost(PATIENCE).until(() -> monitor.passes() >= passes + 5 && load.writesAfter(fenced) >= 50);
            load.close();

            log.info("{} writes acknowledged, {} write errors, {} reads, {} read errors", load.acknowledgedWrites(),
                    load.writeFailures().size(), load.reads(), load.readFailures().size());
            load.summary().forEach((kind, n) -> log.info("{} x {}", n, kind));

            List<String> seen = List.copyOf(primaries);
            assertThat(seen.subList(seen.indexOf(promoted.name()), seen.size()))
                    .as("the proxy's primary, once it moved").containsOnly(promoted.name());
            assertThat(queryLong(old, "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
                    + " WHERE VARIABLE_NAME = 'COM_INSERT'")).as("inserts the fenced primary got")
                    .isEqualTo(insertsOnOld);
            assertThat(load.failures).as("failures after the fence")
                    .noneMatch(f -> f.nanos() > fenced);
            assertThat(load.readFailures()).as("autocommit reads that failed").isEmpty();
            assertThat(load.writeFailures()).as("every write error is an ERR from the proxy or a server")
                    .allSatisfy(f -> cleanError(f.error()));

            // the thawed primary refuses writes itself
            try (Connection c = old.connect(cluster.app()); Statement s = c.createStatement()) {
                SQLException e = null;
                try {
                    s.execute("INSERT INTO " + table + " (id, v) VALUES (-2, 'on the old primary')");
                } catch (SQLException x) {
                    e = x;
                }
                assertThat((Throwable) e).as("a write on the fenced primary").isNotNull();
                assertThat(e.getErrorCode()).as("ER_OPTION_PREVENTS_STATEMENT (read_only)").isEqualTo(1290);
            }

            Map<Integer, String> there = rows(promoted, table);
            Map<Integer, String> missing = new HashMap<>(load.ledger);
            missing.keySet().removeAll(there.keySet());
            assertThat(missing).as("acknowledged writes missing on the new primary").isEmpty();
            load.ledger.forEach((id, v) -> assertThat(there.get(id)).as("value of id " + id).isEqualTo(v));
        }
    }

    /** What the new primary is doing when writes do not resume there. */
    private static void diagnose(Node n, Cluster cluster) {
        try (Connection c = n.connect(cluster.admin(), cluster.database(), Duration.ofSeconds(3));
                Statement s = c.createStatement()) {
            try (java.sql.ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync%'")) {
                while (rs.next()) {
                    log.info("{}: {} = {}", n.name(), rs.getString(1), rs.getString(2));
                }
            }
            try (java.sql.ResultSet rs = s.executeQuery("SELECT ID, USER, COMMAND, TIME, STATE, INFO"
                    + " FROM information_schema.PROCESSLIST")) {
                while (rs.next()) {
                    log.info("{}: process {} {} {} {}s state={} info={}", n.name(), rs.getLong(1), rs.getString(2),
                            rs.getString(3), rs.getLong(4), rs.getString(5), rs.getString(6));
                }
            }
        } catch (SQLException e) {
            log.info("cannot diagnose {}: {}", n.name(), e.toString());
        }
    }

    private static String primaryName(TopologyMonitor m) {
        return m.current().primary().map(NodeView::name).orElse(null);
    }

    /** Runs {@code probe} every 10 ms on a thread of its own until closed. */
    private static final class Sampler implements AutoCloseable {
        private final Thread thread;
        private volatile boolean stopping;

        Sampler(Runnable probe) {
            thread = new Thread(() -> {
                while (!stopping) {
                    probe.run();
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "primary-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            stopping = true;
            thread.join(2_000);
        }
    }
}
