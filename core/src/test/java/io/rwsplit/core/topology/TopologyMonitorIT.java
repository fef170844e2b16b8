package io.rwsplit.core.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rwsplit.core.config.MonitorConfig;
import io.rwsplit.core.config.NodeConfig;
import io.rwsplit.core.flavor.Flavor;
import io.rwsplit.core.flavor.GtidSet;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The monitor against a real primary and two replicas: roles, lag, a stopped applier, a frozen and a killed replica. */
@SandboxCluster(replicas = 2)
class TopologyMonitorIT {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final Cluster cluster;
    private final List<TopologySnapshot> changes = new CopyOnWriteArrayList<>();
    private TopologyMonitor monitor;

    TopologyMonitorIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @BeforeEach
    void table() throws SQLException {
        try (Connection c = cluster.primary().connect(cluster.app()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS monitor_it (id INT AUTO_INCREMENT PRIMARY KEY, v INT)");
        }
        cluster.awaitReplicasCaughtUp(PATIENCE);
    }

    @AfterEach
    void stop() {
        if (monitor != null) {
            monitor.close();
        }
        cluster.heal(PATIENCE);
    }

    private TopologyMonitor start(String heartbeatTable) {
        MonitorConfig config = new MonitorConfig(Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofMillis(500),
                3, 2, cluster.admin().user(), cluster.admin().password(), heartbeatTable);
        List<NodeConfig> nodes = new ArrayList<>();
        for (Node n : cluster.nodes()) {
            nodes.add(new NodeConfig(n.name(), n.host(), n.port(), 1, false, true));
        }
        monitor = new TopologyMonitor(nodes, config, new JdbcProbeConnector(config.user(), config.password(),
                config.connectTimeout(), config.readTimeout()), (before, after) -> changes.add(after));
        monitor.start();
        return monitor;
    }

    private NodeView view(Node n) {
        return monitor.current().node(n.name()).orElseThrow();
    }

    private void write() throws SQLException {
        try (Connection c = cluster.primary().connect(cluster.app()); Statement s = c.createStatement()) {
            s.execute("INSERT INTO monitor_it (v) VALUES (1)");
        }
    }

    @Test
    void theFirstPassFindsThePrimaryTheReplicasAndTheirPositions() throws SQLException {
        TopologySnapshot first = start("").current();
        assertThat(first.primary()).map(NodeView::name).contains(cluster.primary().name());
        assertThat(first.replicas()).extracting(NodeView::name)
                .containsExactlyInAnyOrderElementsOf(cluster.replicas().stream().map(Node::name).toList());
        assertThat(first.nodes()).allSatisfy(n -> {
            assertThat(n.isUp()).isTrue();
            assertThat(n.lag()).isNotNull();
            assertThat(n.executed()).isNotNull();
        });

        write();
        GtidSet written = GtidSet.parse(Flavor.fromVersion(cluster.version().toString()), cluster.primary().gtidPosition());
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(monitor.current().replicas())
                .allSatisfy(r -> assertThat(r.executed().contains(written)).as("%s has %s", r, written).isTrue()));
    }

    @Test
    void reconfiguringRemovesAddsAndReweighsNodesWithoutLosingWhatItKnowsOfTheOthers() {
        start("");
        Node primary = cluster.primary();
        Node keep = cluster.replicas().get(0);
        Node moving = cluster.replicas().get(1);
        monitor.setDraining(keep.name(), true);

        TopologyMonitor.NodeChanges removed = monitor.reconfigure(List.of(
                new NodeConfig(primary.name(), primary.host(), primary.port(), 1, false, true),
                new NodeConfig(keep.name(), keep.host(), keep.port(), 5, false, true)));
        assertThat(removed.removed()).containsExactly(moving.name());
        assertThat(removed.settingsChanged()).containsExactly(keep.name());
        assertThat(monitor.current().nodes()).extracting(NodeView::name).containsExactly(primary.name(), keep.name());
        assertThat(view(keep).settings().weight()).isEqualTo(5);
        assertThat(view(keep).draining()).as("a drain survives a reload").isTrue();
        assertThat(view(keep).isUp()).as("health is kept, not probed again").isTrue();
        long passes = monitor.passes();
        await().atMost(PATIENCE).until(() -> monitor.passes() > passes + 2);
        assertThat(monitor.current().nodes()).extracting(NodeView::name).containsExactly(primary.name(), keep.name());

        TopologyMonitor.NodeChanges added = monitor.reconfigure(List.of(
                new NodeConfig(primary.name(), primary.host(), primary.port(), 1, false, true),
                new NodeConfig(keep.name(), keep.host(), keep.port(), 5, false, true),
                new NodeConfig(moving.name(), moving.host(), moving.port(), 1, false, true)));
        assertThat(added.added()).containsExactly(moving.name());
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(view(moving).isUp()).isTrue();
            assertThat(view(moving).role()).isEqualTo(Role.REPLICA);
        });

        assertThatThrownBy(() -> monitor.reconfigure(List.of(
                new NodeConfig(keep.name(), keep.host(), keep.port(), 1, false, true))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leaves out " + primary.name() + ", the current primary");
        assertThat(monitor.current().nodes()).hasSize(3);
        monitor.setDraining(keep.name(), false);
    }

    @Test
    void aReplicaWhoseApplierStopsLeavesTheReadSetWithinTwoPassesAndReturnsAfterCatchingUp() throws SQLException {
        start("");
        Node lagging = cluster.replica(0);
        assertThat(view(lagging).lag()).isNotNull();

        lagging.stopApplier();
        long stoppedAt = monitor.passes();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> view(lagging).lag() == null);
        assertThat(monitor.passes() - stoppedAt).as("passes until the replica left the read set").isLessThanOrEqualTo(2);
        assertThat(view(lagging).isUp()).as("a stopped applier is lag, not a dead node").isTrue();
        assertThat(view(cluster.replica(1)).lag()).isNotNull();

        write();
        lagging.startApplier();
        await().atMost(PATIENCE).until(() -> view(lagging).lag() != null);
        lagging.awaitCaughtUpWith(cluster.primary(), PATIENCE);
        assertThat(view(lagging).role()).isEqualTo(Role.REPLICA);
    }

    @Test
    void aFrozenReplicaIsMarkedDownWithoutStallingTheOtherProbes() throws SQLException {
        start("");
        Node frozen = cluster.replica(1);
        frozen.freeze();
        long frozenAt = monitor.passes();
        await().atMost(PATIENCE).until(() -> view(frozen).health() == Health.DOWN);
        assertThat(monitor.passes() - frozenAt).as("down after failCount passes").isBetween(3L, 6L);

        // the other nodes are still probed every pass: a write shows up in the primary's view
        write();
        GtidSet written = GtidSet.parse(Flavor.fromVersion(cluster.version().toString()),
                cluster.primary().gtidPosition());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(view(cluster.primary()).executed().contains(written)).isTrue());
        assertThat(view(cluster.primary()).isUp()).isTrue();
        assertThat(view(cluster.replica(0)).isUp()).isTrue();
        assertThat(changes).anySatisfy(s -> assertThat(s.node(frozen.name()).orElseThrow().health())
                .isEqualTo(Health.DOWN));

        frozen.thaw();
        await().atMost(PATIENCE).until(() -> view(frozen).health() == Health.UP && view(frozen).lag() != null);
    }

    @Test
    void aKilledReplicaGoesDownAndComesBackWhenRestarted() {
        start("");
        Node victim = cluster.replica(0);
        victim.kill();
        await().atMost(PATIENCE).until(() -> view(victim).health() == Health.DOWN);
        assertThat(monitor.current().primary()).isPresent();

        victim.start();
        await().atMost(PATIENCE).until(() -> view(victim).health() == Health.UP && view(victim).lag() != null);
    }

    @Test
    void theHeartbeatTableMeasuresLagInMilliseconds() throws SQLException {
        start("rwsplit_it.heartbeat");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(monitor.current().replicas())
                .allSatisfy(r -> assertThat(r.lag()).isNotNull().isLessThan(Duration.ofSeconds(1))));

        Node delayed = cluster.replica(0);
        delayed.delayReplication(Duration.ofSeconds(2));
        try {
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(view(delayed).lag())
                    .isNotNull().isBetween(Duration.ofMillis(1500), Duration.ofMillis(4000)));
            assertThat(view(cluster.replica(1)).lag()).isLessThan(Duration.ofSeconds(1));
        } finally {
            delayed.delayReplication(Duration.ZERO);
        }
    }
}
