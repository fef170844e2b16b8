package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.proxy.config.ClientTlsConfig;
import io.rwsplit.proxy.config.LimitsConfig;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Causal read-your-writes through the proxy, with replicas applying every write a second or two
 * late: a session reads its own write at once, from a replica that waited for it or from the
 * primary when waiting would take too long; a session without read-your-writes misses it.
 */
@SandboxCluster(replicas = 2)
class CausalReadsIT {

    private final Cluster cluster;

    CausalReadsIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @BeforeEach
    void table() throws SQLException {
        try (Connection c = cluster.primary().connect(cluster.app()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS px_notes (id INT AUTO_INCREMENT PRIMARY KEY, body VARCHAR(50))");
        }
        cluster.awaitReplicasCaughtUp(Duration.ofSeconds(10));
    }

    @AfterEach
    void undelay() {
        for (Node r : cluster.replicas()) {
            r.delayReplication(Duration.ZERO);
        }
        cluster.heal(Duration.ofSeconds(30));
    }

    private void delayReplicas(Duration delay) {
        for (Node r : cluster.replicas()) {
            r.delayReplication(delay);
        }
    }

    private static RunningProxy proxy(Cluster cluster, String yaml) {
        return RunningProxy.start(cluster, yaml, LimitsConfig.DEFAULTS, ClientTlsConfig.OFF);
    }

    private static long insert(Connection c, String body) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO px_notes (body) VALUES (?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, body);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** The row's body (or null) and the server that answered, in one statement. */
    private static Object[] read(Connection c, long id) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT (SELECT body FROM px_notes WHERE id = " + id + "), @@server_id")) {
            rs.next();
            return new Object[] {rs.getString(1), rs.getInt(2)};
        }
    }

    private Set<Integer> replicaIds() {
        return cluster.replicas().stream().map(Node::serverId).collect(Collectors.toSet());
    }

    @Test
    void aReplicaWaitsForTheSessionsWriteAndThenServesTheRead() throws SQLException {
        delayReplicas(Duration.ofSeconds(1));
        try (RunningProxy proxy = proxy(cluster, "readYourWrites: causal\ncausalWait: 10s\n");
                Connection c = proxy.connect("")) {
            long id = insert(c, "waited");
            long start = System.nanoTime();
            Object[] got = read(c, id);
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(got[0]).as("the read right after the write").isEqualTo("waited");
            assertThat((Integer) got[1]).as("a replica answered, after waiting ~1 s").isIn(replicaIds());
            assertThat(tookMs).as("it waited for the replica to apply the write").isGreaterThan(200);
        }
    }

    @Test
    void aReplicaTooFarBehindLeavesTheReadToThePrimary() throws SQLException {
        delayReplicas(Duration.ofSeconds(3));
        try (RunningProxy proxy = proxy(cluster, "readYourWrites: causal\ncausalWait: 200ms\n");
                Connection c = proxy.connect("")) {
            long id = insert(c, "primary");
            Object[] got = read(c, id);
            assertThat(got[0]).isEqualTo("primary");
            assertThat((Integer) got[1]).isEqualTo(cluster.primary().serverId());
        }
    }

    @Test
    void aCommittedTransactionsWriteIsSeenToo() throws SQLException {
        delayReplicas(Duration.ofSeconds(3));
        try (RunningProxy proxy = proxy(cluster, "readYourWrites: causal\ncausalWait: 200ms\n");
                Connection c = proxy.connect("")) {
            c.setAutoCommit(false);
            long id = insert(c, "in a transaction");
            c.commit();
            c.setAutoCommit(true);
            assertThat(read(c, id)[0]).isEqualTo("in a transaction");
        }
    }

    @Test
    void withoutReadYourWritesTheSameReadMissesTheWrite() throws SQLException {
        delayReplicas(Duration.ofSeconds(3));
        try (RunningProxy proxy = proxy(cluster, "readYourWrites: none\n"); Connection c = proxy.connect("")) {
            long id = insert(c, "missed");
            Object[] got = read(c, id);
            assertThat((Integer) got[1]).isIn(replicaIds());
            assertThat(got[0]).as("replicas apply it 3 s later").isNull();
        }
    }
}
