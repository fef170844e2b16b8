package io.rwsplit.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * What every cluster the sandbox makes must do, whichever server runs it: the same tests run on
 * the bundled MariaDB, on Debian's MariaDB and on MySQL 8.4 in containers. Each test leaves the
 * cluster as it found it.
 */
abstract class ClusterContract {

    static final Duration CATCH_UP = Duration.ofSeconds(30);

    private String table;

    protected abstract Cluster cluster();

    @BeforeEach
    void createTable(TestInfo test) throws SQLException {
        table = ("t_" + getClass().getSimpleName() + "_" + test.getTestMethod().orElseThrow().getName())
                .toLowerCase(Locale.ROOT);
        table = table.substring(0, Math.min(64, table.length()));
        exec(cluster().primary(), "DROP TABLE IF EXISTS " + table);
        exec(cluster().primary(), "CREATE TABLE " + table + " (id INT PRIMARY KEY, v VARCHAR(20))");
        cluster().awaitReplicasCaughtUp(CATCH_UP);
    }

    @AfterEach
    void restore() {
        cluster().heal(CATCH_UP);
    }

    @Test
    void everyNodeHasItsOwnServerIdAndOnlyReplicasAreReadOnly() throws SQLException {
        for (Node n : cluster().nodes()) {
            try (Connection c = n.connect(cluster().app()); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT @@server_id, @@read_only")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("server_id of %s", n).isEqualTo(n.serverId());
                assertThat(rs.getBoolean(2)).as("read_only of %s", n).isEqualTo(n.role() == Role.REPLICA);
            }
        }
        assertThat(cluster().nodes()).extracting(Node::serverId).doesNotHaveDuplicates();
        assertThat(cluster().replicas()).allSatisfy(r -> assertThat(r.replicationStatus().healthy()).isTrue());
        assertThat(cluster().primary().replicationStatus().configured()).isFalse();
    }

    @Test
    void rowsWrittenOnThePrimaryAreReadBackOnEveryReplica() throws SQLException {
        exec(cluster().primary(), "INSERT INTO " + table + " VALUES (1, 'one'), (2, 'two'), (3, 'three')");
        cluster().awaitReplicasCaughtUp(CATCH_UP);
        for (Node r : cluster().replicas()) {
            try (Connection c = r.connect(cluster().app()); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT @@server_id, COUNT(*), GROUP_CONCAT(v ORDER BY id) FROM "
                            + table)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(r.serverId());
                assertThat(rs.getInt(2)).isEqualTo(3);
                assertThat(rs.getString(3)).isEqualTo("one,two,three");
            }
        }
    }

    @Test
    void replicasRefuseTheApplicationsWrites() {
        assertThatThrownBy(() -> exec(cluster().replica(0), "INSERT INTO " + table + " VALUES (1, 'x')"))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getErrorCode()).as("ER_OPTION_PREVENTS_STATEMENT").isEqualTo(1290);
                    assertThat(e.getMessage()).containsIgnoringCase("read-only");
                });
    }

    @Test
    void aReplicaWhoseApplierIsStoppedLagsAndThenCatchesUp() throws SQLException {
        Node lagging = cluster().replica(0);
        lagging.stopApplier();
        exec(cluster().primary(), "INSERT INTO " + table + " VALUES (1, 'late')");
        String position = cluster().primary().gtidPosition();
        for (Node other : cluster().replicas().subList(1, cluster().replicas().size())) {
            assertThat(other.awaitGtid(position, CATCH_UP)).isTrue();
            assertThat(count(other)).isEqualTo(1);
        }
        assertThat(lagging.awaitGtid(position, Duration.ofSeconds(1))).as("stopped applier applies nothing").isFalse();
        assertThat(count(lagging)).isZero();
        ReplicationStatus status = lagging.replicationStatus();
        assertThat(status.ioRunning()).isTrue();
        assertThat(status.sqlRunning()).isFalse();
        assertThat(status.secondsBehind()).as("no lag estimate while the applier is stopped").isNull();

        lagging.startApplier();
        lagging.awaitCaughtUpWith(cluster().primary(), CATCH_UP);
        assertThat(count(lagging)).isEqualTo(1);
        assertThat(lagging.replicationStatus().healthy()).isTrue();
    }

    @Test
    void aReplicaKilledWithSigkillComesBackAndCatchesUp() throws SQLException {
        Node victim = cluster().replica(0);
        long pid = victim.pid();
        victim.kill();
        assertThat(victim.isRunning()).isFalse();
        if (pid > 0) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
        assertThatThrownBy(() -> victim.connect(cluster().app()).close()).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).startsWith("08"));
        exec(cluster().primary(), "INSERT INTO " + table + " VALUES (1, 'while dead')");

        victim.start();
        assertThat(victim.isRunning()).isTrue();
        if (pid > 0) {
            assertThat(victim.pid()).isNotEqualTo(pid);
        }
        victim.awaitCaughtUpWith(cluster().primary(), CATCH_UP);
        assertThat(count(victim)).isEqualTo(1);
        assertThat(victim.replicationStatus().healthy()).isTrue();
    }

    @Test
    void aFrozenReplicaAnswersNothingUntilThawed() throws SQLException {
        Node frozen = cluster().replica(cluster().replicas().size() - 1);
        try (Connection c = frozen.connect(cluster().app(), cluster().database(), Duration.ofSeconds(1))) {
            frozen.freeze();
            assertThat(frozen.isFrozen()).isTrue();
            assertThat(frozen.isRunning()).isTrue();
            assertThatThrownBy(() -> count(c)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).startsWith("08"));
        }
        frozen.thaw();
        assertThat(frozen.isFrozen()).isFalse();
        assertThat(count(frozen)).isZero();
    }

    @Test
    void aPrimaryRestartedCleanlyKeepsItsReplicas() throws SQLException {
        cluster().primary().restart();
        exec(cluster().primary(), "INSERT INTO " + table + " VALUES (1, 'after restart')");
        cluster().awaitReplicasCaughtUp(CATCH_UP);
        for (Node r : cluster().replicas()) {
            assertThat(count(r)).isEqualTo(1);
        }
    }

    private void exec(Node node, String sql) throws SQLException {
        try (Connection c = node.connect(cluster().app()); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private int count(Node node) throws SQLException {
        try (Connection c = node.connect(cluster().app())) {
            return count(c);
        }
    }

    private int count(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
