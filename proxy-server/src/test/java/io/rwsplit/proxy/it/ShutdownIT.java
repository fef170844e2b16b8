package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A shutdown lets the statement a client is running finish and answers it, closes idle clients,
 * and takes no new ones; statements still running after the grace are cut off.
 */
@SandboxCluster(replicas = 2)
class ShutdownIT {

    private final Cluster cluster;

    ShutdownIT(Cluster cluster) {
        this.cluster = cluster;
    }

    private static CompletableFuture<Long> sleepOn(Connection c, double seconds) {
        return CompletableFuture.supplyAsync(() -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT SLEEP(" + seconds + ")")) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aRunningStatementFinishesWithinTheGraceAndIdleClientsAreClosed() throws Exception {
        RunningProxy proxy = RunningProxy.start(cluster);
        int port = proxy.port();
        try (Connection busy = proxy.connect(""); Connection idle = proxy.connect("")) {
            CompletableFuture<Long> running = sleepOn(busy, 1.5);
            Thread.sleep(300);
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> proxy.server.shutdown(Duration.ofSeconds(10)));
            assertThat(running.get(10, TimeUnit.SECONDS)).as("SLEEP finished normally").isZero();
            stopping.get(15, TimeUnit.SECONDS);
            assertThatThrownBy(() -> idle.createStatement().executeQuery("SELECT 1"))
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> java.sql.DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/"
                    + cluster.database() + "?sslMode=DISABLED&connectTimeout=2000", cluster.app().user(),
                    cluster.app().password())).as("no new clients").isInstanceOf(SQLException.class);
        } finally {
            proxy.close();
        }
    }

    @Test
    void aStatementOutlastingTheGraceIsCutOff() throws Exception {
        RunningProxy proxy = RunningProxy.start(cluster);
        try (Connection busy = proxy.connect("")) {
            CompletableFuture<Long> running = sleepOn(busy, 30);
            Thread.sleep(300);
            long start = System.nanoTime();
            proxy.server.shutdown(Duration.ofMillis(500));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(10_000);
            assertThat(running).failsWithin(Duration.ofSeconds(10));
        } finally {
            proxy.close();
        }
    }
}
