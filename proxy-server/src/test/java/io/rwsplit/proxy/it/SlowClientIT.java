package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading a large result holds up the server that produces it (backpressure
 * through the proxy), rather than the proxy reading the whole result into its memory.
 */
@SandboxCluster(replicas = 2)
class SlowClientIT {

    private static final String MARKER = "px_slow_client_marker";

    private final Cluster cluster;

    SlowClientIT(Cluster cluster) {
        this.cluster = cluster;
    }

    /** Whether some node is still running the marked query. */
    private boolean stillRunning() throws SQLException {
        for (Node n : cluster.nodes()) {
            try (Connection c = n.connectAdmin(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.processlist "
                            + "WHERE command = 'Query' AND id <> CONNECTION_ID() AND info LIKE '%" + MARKER + " %'")) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void aClientThatStopsReadingHoldsUpTheServer() throws Exception {
        try (RunningProxy proxy = RunningProxy.start(cluster)) {
            try (RawClient c = RawClient.connect(proxy.port(), Duration.ofSeconds(10))
                    .login(cluster.app().user(), cluster.app().password(), cluster.database())) {
                c.socket().setReceiveBufferSize(16 * 1024);
                // about 200 MB of rows, far beyond every socket and proxy buffer
                c.query("SELECT /* " + MARKER + " */ REPEAT('x', 1000) FROM seq_1_to_200000");
                await().atMost(Duration.ofSeconds(10)).until(this::stillRunning);
                Thread.sleep(2_000);
                assertThat(stillRunning()).as("the server still waits for the client to read").isTrue();
            }
            // the client is gone: the proxy notices, drops the server connection, and the server stops
            await().atMost(Duration.ofSeconds(20)).until(() -> proxy.server.runtime().clientCount() == 0);
            await().atMost(Duration.ofSeconds(20)).until(() -> !stillRunning());
        }
    }
}
