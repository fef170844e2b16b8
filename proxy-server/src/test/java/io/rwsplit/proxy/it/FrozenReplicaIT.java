package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica frozen (SIGSTOP) under autocommit reads: the reads that were waiting on it fail over
 * to the other replica once the monitor marks it down, instead of waiting until it is thawed; no
 * client sees an error.
 */
@SandboxCluster(replicas = 2, scope = SandboxCluster.Scope.CLASS)
class FrozenReplicaIT {

    private static final Logger log = LoggerFactory.getLogger(FrozenReplicaIT.class);
    /** How long the replica stays frozen: longer than any read may take. */
    private static final Duration FROZEN = Duration.ofSeconds(15);

    private final Cluster cluster;
    private RunningProxy proxy;

    FrozenReplicaIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        cluster.heal(Duration.ofSeconds(30));
    }

    @Test
    void readsWaitingOnAFrozenReplicaMoveToTheOtherOneWithinTheMonitorsDetection() throws Exception {
        proxy = RunningProxy.startMonitored(cluster, KillPrimaryIT.TIGHT, "");
        Node frozen = cluster.replicas().get(0);
        Node other = cluster.replicas().get(1);
        AtomicLong longestMs = new AtomicLong();
        ConcurrentLinkedQueue<SQLException> errors = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Integer> servedBy = new ConcurrentLinkedQueue<>();
        long end = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread reader = new Thread(() -> {
                try (Connection c = proxy.connect("socketTimeout=" + FROZEN.plusSeconds(10).toMillis());
                        Statement s = c.createStatement()) {
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        try (ResultSet rs = s.executeQuery("SELECT @@server_id")) {
                            rs.next();
                            servedBy.add(rs.getInt(1));
                        } catch (SQLException e) {
                            errors.add(e);
                        }
                        longestMs.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                    }
                } catch (SQLException e) {
                    errors.add(e);
                }
            }, "reader-" + i);
            reader.start();
            readers.add(reader);
        }
        Thread.sleep(500);
        frozen.freeze();
        long frozenAt = System.nanoTime();
        for (Thread t : readers) {
            t.join(FROZEN.plusSeconds(20).toMillis());
        }
        long readersDoneMs = (System.nanoTime() - frozenAt) / 1_000_000;
        frozen.thaw();
        log.info("frozen replica: longest read {} ms, readers done {} ms after the freeze, {} reads, {} errors",
                longestMs.get(), readersDoneMs, servedBy.size(), errors.size());

        assertThat(errors).as("reads that failed").isEmpty();
        assertThat(longestMs.get()).as("the longest read, ms: not until the thaw").isLessThan(
                FROZEN.toMillis() / 2);
        assertThat(readersDoneMs).as("readers finished while the replica was still frozen")
                .isLessThan(FROZEN.toMillis());
        assertThat(servedBy).as("reads after the freeze went on on the other replica").contains(other.serverId());
    }
}
