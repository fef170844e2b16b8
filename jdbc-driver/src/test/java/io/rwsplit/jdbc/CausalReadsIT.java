package io.rwsplit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Read-your-writes with replicas applying every write 2 s late: causal reads see the session's
 * write at once; without it, the same read misses it.
 */
@SandboxCluster(replicas = 2)
class CausalReadsIT {

    private final Cluster cluster;

    CausalReadsIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @BeforeEach
    void delayReplicas() throws SQLException {
        try (Connection c = cluster.primary().connect(cluster.app()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS notes (id INT AUTO_INCREMENT PRIMARY KEY, body VARCHAR(50))");
        }
        cluster.awaitReplicasCaughtUp(Duration.ofSeconds(10));
        for (Node r : cluster.replicas()) {
            r.delayReplication(Duration.ofSeconds(2));
        }
    }

    @AfterEach
    void undelay() {
        for (Node r : cluster.replicas()) {
            r.delayReplication(Duration.ZERO);
        }
        cluster.heal(Duration.ofSeconds(30));
    }

    private Connection connect(String mode) throws SQLException {
        return DriverManager.getConnection(Servers.url(cluster, "rwsplit.readYourWrites=" + mode,
                "rwsplit.causalWait=300ms"), cluster.app().user(), cluster.app().password());
    }

    private static long insert(Connection c, String body) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO notes (body) VALUES (?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, body);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static String read(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT body FROM notes WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Test
    void causalReadsSeeTheSessionsOwnWriteRightAway() throws SQLException {
        try (Connection c = connect("causal")) {
            long id = insert(c, "causal");
            assertThat(read(c, id)).as("read right after the write").isEqualTo("causal");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                // once a replica has applied the write, reads go back to the replicas
                assertThat(read(c, id)).isEqualTo("causal");
                assertThat(cluster.replicas().stream().map(Node::serverId).toList())
                        .contains(Servers.serverId(c));
            });
        }
    }

    @Test
    void withoutReadYourWritesTheSameReadMissesTheWrite() throws SQLException {
        try (Connection c = connect("none")) {
            long id = insert(c, "none");
            assertThat(read(c, id)).as("replicas apply it 2 s later").isNull();
        }
    }

    @Test
    void aWindowKeepsReadsOnThePrimaryRightAfterAWrite() throws SQLException {
        try (Connection c = DriverManager.getConnection(Servers.url(cluster, "rwsplit.readYourWrites=window",
                "rwsplit.readYourWritesWindow=1s"), cluster.app().user(), cluster.app().password())) {
            long id = insert(c, "window");
            assertThat(read(c, id)).isEqualTo("window");
            assertThat(Servers.serverId(c)).isEqualTo(cluster.primary().serverId());
        }
    }
}
