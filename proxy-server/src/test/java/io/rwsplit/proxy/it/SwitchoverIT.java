package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rwsplit.core.topology.NodeView;
import io.rwsplit.proxy.frontend.SwitchoverOutcome;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import io.rwsplit.sandbox.load.SteadyLoad;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A planned switchover under a steady write + read load through the proxy (issue 6, fault test 6):
 * no client sees an error, nothing acknowledged is lost, the roles swap, and the old primary
 * replicates from the new one. Then back again.
 */
@SandboxCluster(replicas = 2, semiSync = true, scope = SandboxCluster.Scope.CLASS)
class SwitchoverIT {

    private static final Logger log = LoggerFactory.getLogger(SwitchoverIT.class);
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final Cluster cluster;
    private RunningProxy proxy;

    SwitchoverIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void switchingOverAndBackUnderLoadShowsClientsNoError() throws Exception {
        Node first = cluster.primary();
        String table = cluster.database() + ".switchover_load";
        try (Connection c = first.connect(cluster.admin()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, v VARCHAR(40))");
        }
        cluster.awaitReplicasCaughtUp(PATIENCE);
        proxy = RunningProxy.startMonitored(cluster, KillPrimaryIT.TIGHT, "failover: promote\n");

        try (SteadyLoad load = new SteadyLoad(() -> proxy.connect("socketTimeout=10000&connectTimeout=5000"), table)
                .start(3, 3)) {
            await().atMost(PATIENCE).until(() -> load.acknowledgedWrites() >= 100 && load.reads() >= 100);

            long readsBefore = load.reads();
            long firstStart = System.nanoTime();
            SwitchoverOutcome.Switched there = switched(proxy.server.switchover(Optional.empty()));
            long firstEnd = System.nanoTime();
            Node second = cluster.node(there.newPrimary());
            assertThat(there.oldPrimary()).isEqualTo(first.name());
            assertThat(second).isNotSameAs(first);
            await().atMost(PATIENCE).until(() -> load.writesAfter(firstEnd) >= 100 && load.reads() > readsBefore + 100);
            assertRoles(second, first);

            long backStart = System.nanoTime();
            SwitchoverOutcome.Switched back = switched(proxy.server.switchover(Optional.of(first.name())));
            long backEnd = System.nanoTime();
            assertThat(back.oldPrimary()).isEqualTo(second.name());
            assertThat(back.newPrimary()).isEqualTo(first.name());
            await().atMost(PATIENCE).until(() -> load.writesAfter(backEnd) >= 100);
            load.close();

            Duration pauseThere = load.longestWritePause(firstStart, firstEnd + Duration.ofSeconds(1).toNanos());
            Duration pauseBack = load.longestWritePause(backStart, backEnd + Duration.ofSeconds(1).toNanos());
            log.info("switchover under load (semi-sync, 3 writers, 3 readers): {} -> {} took {} ms, longest pause "
                    + "between acknowledged writes {} ms, {} statements held (longest {} ms); back {} -> {} took {} ms, "
                    + "longest write pause {} ms, {} held (longest {} ms); {} writes, {} reads, {} errors",
                    there.oldPrimary(), there.newPrimary(), there.took().toMillis(), pauseThere.toMillis(), there.held(),
                    there.longestHold().toMillis(), back.oldPrimary(), back.newPrimary(), back.took().toMillis(),
                    pauseBack.toMillis(), back.held(), back.longestHold().toMillis(), load.acknowledgedWrites(),
                    load.reads(), load.failures.size());

            assertThat(load.failures).as("client-visible errors during the switchovers").isEmpty();
            assertThat(there.heldTimedOut() + back.heldTimedOut()).isZero();
            assertRoles(first, second);

            // writes go on through the proxy, on the original primary again
            try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
                s.execute("INSERT INTO " + table + " (id, v) VALUES (-1, 'after')");
                try (ResultSet rs = s.executeQuery("SELECT @@server_id /* rwsplit:primary */")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(first.serverId());
                }
            }

            Map<Integer, String> rows = rows(first, table);
            Map<Integer, String> missing = new HashMap<>(load.ledger);
            missing.keySet().removeAll(rows.keySet());
            assertThat(missing).as("acknowledged writes missing on the primary").isEmpty();
            load.ledger.forEach((id, v) -> assertThat(rows.get(id)).as("value of id " + id).isEqualTo(v));
            // and the old primary has them too, through replication from the new one
            second.awaitCaughtUpWith(first, PATIENCE);
            assertThat(rows(second, table)).isEqualTo(rows);
        }
    }

    @Test
    void aSwitchoverThatCannotFinishChangesNothingAndHeldStatementsGetAClearError() throws Exception {
        Node primary = cluster.primary();
        Node slow = cluster.replica(1);
        String table = cluster.database() + ".switchover_refused";
        try (Connection c = primary.connect(cluster.admin()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
        }
        cluster.awaitReplicasCaughtUp(PATIENCE);
        proxy = RunningProxy.startMonitored(cluster, KillPrimaryIT.TIGHT,
                "failover: promote\nswitchover: {catchupTimeout: 2s, holdTimeout: 1s}\n");
        try (Connection open = proxy.connect(""); Statement tx = open.createStatement()) {
            // a transaction open on the primary is let finish, but not for ever: the switchover gives up
            open.setAutoCommit(false);
            tx.execute("INSERT INTO " + table + " VALUES (1)");
            SwitchoverOutcome o = proxy.server.switchover(Optional.of(slow.name()));
            assertThat(o).isInstanceOf(SwitchoverOutcome.Failed.class);
            assertThat(((SwitchoverOutcome.Failed) o).reason()).contains("transaction");
            open.commit();
        }

        // a target that cannot catch up in time: the primary is writable again, and a statement held
        // longer than holdTimeout gets the proxy's own error instead of hanging
        slow.delayReplication(Duration.ofSeconds(5));
        try {
            try (Connection c = primary.connect(cluster.admin()); Statement s = c.createStatement()) {
                s.execute("INSERT INTO " + table + " VALUES (2)");
            }
            // the monitor has seen the replica replicate again, with its delay
            await().atMost(PATIENCE).until(() -> !proxy.server.runtime().monitor()
                    .planSwitchover(Optional.of(slow.name())).refused());
            java.util.concurrent.CompletableFuture<SwitchoverOutcome> running = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> proxy.server.switchover(Optional.of(slow.name())));
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(5))
                    .until(() -> proxy.server.runtime().switchoverRunning() || running.isDone());
            SQLException held = null;
            long t0 = System.nanoTime();
            try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
                s.execute("INSERT INTO " + table + " VALUES (3)");
            } catch (SQLException e) {
                held = e;
            }
            long waited = (System.nanoTime() - t0) / 1_000_000;
            SwitchoverOutcome o = running.get();
            assertThat(o).isInstanceOf(SwitchoverOutcome.Failed.class);
            assertThat(((SwitchoverOutcome.Failed) o).reason()).contains("did not apply").contains("nothing changed");
            assertThat(held == null ? null : held.getErrorCode()).as("errno of the held INSERT (it waited " + waited
                    + " ms)").isEqualTo(9004);
            assertThat(held.getSQLState()).isEqualTo("HY000");
            assertThat(held.getMessage()).contains("switchover.holdTimeout");
        } finally {
            slow.delayReplication(Duration.ZERO);
        }
        assertThat(KillPrimaryIT.queryLong(primary, "SELECT @@GLOBAL.read_only")).isZero();
        assertThat(proxy.server.runtime().monitor().current().primary()).map(NodeView::name).contains(primary.name());
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            s.execute("INSERT INTO " + table + " VALUES (4)");
        }
        assertThat(KillPrimaryIT.queryLong(primary, "SELECT COUNT(*) FROM " + table)).isEqualTo(3);
    }

    private static SwitchoverOutcome.Switched switched(SwitchoverOutcome o) {
        assertThat(o).as("switchover outcome").isInstanceOf(SwitchoverOutcome.Switched.class);
        return (SwitchoverOutcome.Switched) o;
    }

    /** {@code primary} is writable and what the proxy routes writes to; {@code replica} is read-only and replicates from it. */
    private void assertRoles(Node primary, Node replica) throws SQLException {
        assertThat(KillPrimaryIT.queryLong(primary, "SELECT @@GLOBAL.read_only")).as("read_only on " + primary.name())
                .isZero();
        assertThat(KillPrimaryIT.queryLong(replica, "SELECT @@GLOBAL.read_only")).as("read_only on " + replica.name())
                .isEqualTo(1);
        assertThat(proxy.server.runtime().monitor().current().primary()).map(NodeView::name).contains(primary.name());
        await().atMost(PATIENCE).until(() -> replica.replicationStatus().healthy());
        assertThat(sourcePort(replica)).as("the port " + replica.name() + " replicates from").isEqualTo(primary.port());
        for (Node n : cluster.nodes()) {
            if (n != primary) {
                assertThat(sourcePort(n)).as("the port " + n.name() + " replicates from").isEqualTo(primary.port());
            }
        }
    }

    private static int sourcePort(Node n) throws SQLException {
        try (Connection c = n.connectAdmin(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(n.dialect().replicaStatusSql())) {
            if (!rs.next()) {
                return 0;
            }
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                String label = md.getColumnLabel(i);
                if (label.equalsIgnoreCase("Master_Port") || label.equalsIgnoreCase("Source_Port")) {
                    return rs.getInt(i);
                }
            }
            return 0;
        }
    }

    private static Map<Integer, String> rows(Node n, String table) throws SQLException {
        return KillPrimaryIT.rows(n, table);
    }
}
