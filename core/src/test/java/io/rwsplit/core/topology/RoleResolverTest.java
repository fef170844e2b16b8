package io.rwsplit.core.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.core.flavor.ReplicaStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoleResolverTest {

    private static final NodeId N1 = new NodeId("n1", "127.0.0.1", 3306);
    private static final NodeId N2 = new NodeId("n2", "127.0.0.1", 3307);
    private static final NodeId N3 = new NodeId("n3", "127.0.0.1", 3308);

    private static ProbeResult primary(NodeId id) {
        return new ProbeResult(id, true, null, null, false, ReplicaStatus.NOT_A_REPLICA, null, null);
    }

    private static ProbeResult replicaOf(NodeId id, NodeId source, boolean running, Long lagSeconds) {
        ReplicaStatus s = new ReplicaStatus(true, running, running, lagSeconds, source.host(), source.port(), "", null,
                null);
        return new ProbeResult(id, true, null, null, true, s, null, null);
    }

    private static ProbeResult fenced(NodeId id) {
        return new ProbeResult(id, true, null, null, true, ReplicaStatus.NOT_A_REPLICA, null, null);
    }

    private static NodeTracker tracker(NodeId id, ProbeResult... results) {
        NodeTracker t = new NodeTracker(id, NodeSettings.DEFAULT);
        for (ProbeResult r : results) {
            t.record(r, 3, 2, 0L);
        }
        return t;
    }

    @Test
    void theWritableNodeThatDoesNotReplicateIsPrimary() {
        List<Role> roles = RoleResolver.resolve(List.of(tracker(N1, primary(N1)),
                tracker(N2, replicaOf(N2, N1, true, 0L)), tracker(N3, replicaOf(N3, N1, true, 0L))));
        assertThat(roles).containsExactly(Role.PRIMARY, Role.REPLICA, Role.REPLICA);
    }

    @Test
    void ofTwoWritableNodesTheOneTheReplicasFollowWins() {
        // n2 was promoted and n3 repointed to it, but n1 came back writable
        List<Role> roles = RoleResolver.resolve(List.of(tracker(N1, primary(N1)), tracker(N2, primary(N2)),
                tracker(N3, replicaOf(N3, N2, true, 0L))));
        assertThat(roles).containsExactly(Role.UNKNOWN, Role.PRIMARY, Role.REPLICA);
    }

    @Test
    void aFencedOldPrimaryIsNeverPrimaryEvenWhenItIsTheOnlyWritableNode() {
        // n1 was replaced by failover and came back writable before anyone fenced it again
        List<Role> roles = RoleResolver.resolve(List.of(tracker(N1, primary(N1)),
                tracker(N2, replicaOf(N2, N1, true, 0L))), java.util.Set.of(N1));
        assertThat(roles).containsExactly(Role.UNKNOWN, Role.REPLICA);
    }

    @Test
    void aReadOnlyNodeThatDoesNotReplicateIsNotRoutedTo() {
        List<Role> roles = RoleResolver.resolve(List.of(tracker(N1, fenced(N1)), tracker(N2, primary(N2))));
        assertThat(roles).containsExactly(Role.UNKNOWN, Role.PRIMARY);
    }

    @Test
    void aPrimaryMissingOneProbeStaysPrimaryAndUpUntilTheFailCount() {
        NodeTracker p = tracker(N1, primary(N1), ProbeResult.failed(N1, "timeout"));
        List<Role> roles = RoleResolver.resolve(List.of(p, tracker(N2, replicaOf(N2, N1, true, 0L))));
        assertThat(roles.get(0)).isEqualTo(Role.PRIMARY);
        assertThat(p.health()).isEqualTo(Health.UP);
        p.record(ProbeResult.failed(N1, "timeout"), 3, 2, 0L);
        p.record(ProbeResult.failed(N1, "timeout"), 3, 2, 0L);
        assertThat(p.health()).isEqualTo(Health.DOWN);
        assertThat(p.view(Role.PRIMARY, 0L).isUp()).isFalse();
    }

    @Test
    void healthChangesOnlyAfterConsecutiveResults() {
        NodeTracker t = tracker(N2, replicaOf(N2, N1, true, 0L));
        assertThat(t.health()).as("the first result decides at once").isEqualTo(Health.UP);
        t.record(ProbeResult.failed(N2, "x"), 3, 2, 0L);
        t.record(replicaOf(N2, N1, true, 0L), 3, 2, 0L);
        t.record(ProbeResult.failed(N2, "x"), 3, 2, 0L);
        t.record(ProbeResult.failed(N2, "x"), 3, 2, 0L);
        assertThat(t.health()).as("failures were not consecutive").isEqualTo(Health.UP);
        t.record(ProbeResult.failed(N2, "x"), 3, 2, 0L);
        assertThat(t.health()).isEqualTo(Health.DOWN);
        t.record(replicaOf(N2, N1, true, 0L), 3, 2, 0L);
        assertThat(t.health()).as("one good probe is not enough to come back").isEqualTo(Health.DOWN);
        t.record(replicaOf(N2, N1, true, 0L), 3, 2, 0L);
        assertThat(t.health()).isEqualTo(Health.UP);
    }

    @Test
    void aFailedProbeMakesAReplicasLagUnknownAtOnce() {
        NodeTracker t = tracker(N2, replicaOf(N2, N1, true, 1L));
        assertThat(t.view(Role.REPLICA, 0L).lag()).isEqualTo(Duration.ofSeconds(1));
        t.record(ProbeResult.failed(N2, "timeout"), 3, 2, 0L);
        assertThat(t.view(Role.REPLICA, 0L).isUp()).isTrue();
        assertThat(t.view(Role.REPLICA, 0L).lag()).as("out of the read set while health waits for the count").isNull();
    }

    @Test
    void aStoppedApplierMeansUnknownLagAndTheHeartbeatWinsOverSeconds() {
        assertThat(tracker(N2, replicaOf(N2, N1, false, null)).view(Role.REPLICA, 0L).lag()).isNull();
        ReplicaStatus running = new ReplicaStatus(true, true, true, 1L, "127.0.0.1", 3306, "", null, null);
        NodeTracker hb = tracker(N2, new ProbeResult(N2, true, null, null, true, running, null, Duration.ofMillis(120)));
        assertThat(hb.view(Role.REPLICA, 0L).lag()).isEqualTo(Duration.ofMillis(120));
    }

    @Test
    void aReplicaCutOffFromItsPrimaryAgesFromWhenThatWasFirstSeen() {
        // receiver disconnected (the primary died or is unreachable), applier running
        ReplicaStatus cutOff = new ReplicaStatus(true, false, true, null, "127.0.0.1", 3306, "error reconnecting",
                null, null);
        ProbeResult r = new ProbeResult(N2, true, null, null, true, cutOff, null, null);
        NodeTracker t = new NodeTracker(N2, NodeSettings.DEFAULT);
        long second = 1_000_000_000L;
        t.record(r, 3, 2, 5 * second);
        assertThat(t.view(Role.REPLICA, 5 * second).lag()).as("still serves reads").isEqualTo(Duration.ZERO);
        t.record(r, 3, 2, 8 * second);
        assertThat(t.view(Role.REPLICA, 8 * second).lag()).isEqualTo(Duration.ofSeconds(3));
        t.record(replicaOf(N2, N1, true, 0L), 3, 2, 9 * second);
        assertThat(t.view(Role.REPLICA, 9 * second).lag()).as("connected again").isEqualTo(Duration.ZERO);
    }
}
