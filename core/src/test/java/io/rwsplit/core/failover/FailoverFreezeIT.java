package io.rwsplit.core.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rwsplit.core.topology.Role;
import io.rwsplit.core.topology.TopologyMonitor;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGSTOP the primary: it is failed over once its probes time out and its replicas' receivers give
 * up on it (slave_net_timeout, 2 s here); thawed, it is fenced and never primary again.
 */
@SandboxCluster(replicas = 2, scope = SandboxCluster.Scope.CLASS)
class FailoverFreezeIT {

    private static final Logger log = LoggerFactory.getLogger(FailoverFreezeIT.class);
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final FailoverFixture f;

    FailoverFreezeIT(Cluster cluster) {
        this.f = new FailoverFixture(cluster);
    }

    @AfterEach
    void stop() {
        Node old = f.cluster.primary();
        if (old.isFrozen()) {
            old.thaw();
        }
        f.close();
    }

    @Test
    void aFrozenPrimaryIsReplacedAndFencedWhenItThaws() throws Exception {
        Cluster cluster = f.cluster;
        Node old = cluster.primary();
        String table = cluster.database() + ".freeze_it";
        f.execute(old, "CREATE TABLE " + table + " (id INT PRIMARY KEY)");
        for (Node r : cluster.replicas()) {
            // the replicas' view breaks the tie only once their receivers notice the silence
            f.execute(r, "STOP SLAVE");
            f.execute(r, "SET GLOBAL slave_net_timeout = 2");
            f.execute(r, "START SLAVE");
        }
        cluster.awaitReplicasCaughtUp(PATIENCE);
        TopologyMonitor monitor = f.start(FailoverFixture.TIGHT);
        Connection client = old.connect(cluster.app());

        long frozen = System.nanoTime();
        old.freeze();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
                .until(() -> f.firstNewPrimary(old.name(), frozen).isPresent());
        FailoverFixture.Published promotedAt = f.firstNewPrimary(old.name(), frozen).orElseThrow();
        log.info("SIGSTOP to the new primary published (interval 200ms, timeouts 500ms, failCount 3,"
                + " slave_net_timeout 2s): {} ms", (promotedAt.nanos() - frozen) / 1_000_000);
        Node promoted = cluster.node(FailoverFixture.primaryName(monitor));
        assertThat(f.actsAsPrimary(promoted)).isTrue();

        old.thaw();
        // the fence kills the old primary's client connections, this poll's among them at times
        await().atMost(PATIENCE).ignoreExceptions()
                .until(() -> "1".equals(f.queryString(old, "SELECT @@GLOBAL.read_only")));

        // the session opened before the freeze was killed by the fence; a new one is refused writes
        assertThat((Throwable) insertError(client, table, 1)).as("a write on the fenced session").isNotNull();
        try (Connection c = old.connect(cluster.app())) {
            SQLException e = insertError(c, table, 2);
            assertThat((Throwable) e).as("a write on a new session").isNotNull();
            assertThat(e.getErrorCode()).as("ER_OPTION_PREVENTS_STATEMENT (read_only)").isEqualTo(1290);
            assertThat(e.getSQLState()).isEqualTo("HY000");
        }
        await().atMost(PATIENCE).until(() -> monitor.current().node(old.name()).orElseThrow().isUp());
        // five more passes with the old primary up and answering: it never becomes primary again
        long passes = monitor.passes();
        await().atMost(PATIENCE).until(() -> monitor.passes() >= passes + 5);
        assertThat(FailoverFixture.primaryName(monitor)).isEqualTo(promoted.name());
        assertThat(f.published).filteredOn(p -> p.nanos() >= promotedAt.nanos()).allSatisfy(p -> assertThat(
                p.snapshot().node(old.name()).orElseThrow().role()).isNotEqualTo(Role.PRIMARY));
        assertThat(monitor.promotions()).isEqualTo(1);
    }

    /** The error an insert gets, or {@code null} if it succeeded. */
    private static SQLException insertError(Connection c, String table, int id) {
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO " + table + " VALUES (" + id + ")");
            return null;
        } catch (SQLException e) {
            return e;
        }
    }
}
