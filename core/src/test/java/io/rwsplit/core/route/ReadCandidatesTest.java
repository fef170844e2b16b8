package io.rwsplit.core.route;

import static io.rwsplit.core.route.FakeTopology.down;
import static io.rwsplit.core.route.FakeTopology.draining;
import static io.rwsplit.core.route.FakeTopology.executed;
import static io.rwsplit.core.route.FakeTopology.lagging;
import static io.rwsplit.core.route.FakeTopology.primary;
import static io.rwsplit.core.route.FakeTopology.replica;
import static io.rwsplit.core.route.FakeTopology.standby;
import static io.rwsplit.core.route.FakeTopology.topology;
import static io.rwsplit.core.route.FakeTopology.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.core.flavor.Flavor;
import io.rwsplit.core.flavor.GtidSet;
import io.rwsplit.core.topology.NodeView;
import io.rwsplit.core.topology.Role;
import io.rwsplit.core.topology.TopologySnapshot;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Which nodes may serve a read, and the reason each left-out replica was left out. */
class ReadCandidatesTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private static ReadCandidates.Result of(TopologySnapshot t, Duration maxLag) {
        return ReadCandidates.of(t, maxLag, 0, null);
    }

    private static GtidSet mariadb(String text) {
        return GtidSet.parse(Flavor.MARIADB, text);
    }

    /** The worked example of the class comment. */
    @Test
    void workedExampleFromTheClassComment() {
        NodeView r1 = lagging("r1", 200);
        TopologySnapshot t = topology(primary("p"), r1, lagging("r2", 3000), standby("r3"), down(replica("r4")));

        ReadCandidates.Result r = of(t, ONE_SECOND);
        assertThat(r.nodes()).extracting(NodeView::name).containsExactly("r1");
        assertThat(r.excluded()).containsExactly("r2 over max_lag (3.0 s > 1.0 s)", "r4 down");

        // stop r1's applier: its lag becomes unknown and the standby steps in
        ReadCandidates.Result stopped = of(t.with(r1.withLag(null)), ONE_SECOND);
        assertThat(stopped.nodes()).extracting(NodeView::name).containsExactly("r3");
        assertThat(stopped.excluded()).contains("r1 replication not running (lag unknown)");
    }

    @Test
    void everyFreshUpReplicaIsACandidateInTopologyOrder() {
        ReadCandidates.Result r = of(topology(replica("r1"), primary("p"), replica("r2"), replica("r3")), ONE_SECOND);
        assertThat(r.nodes()).extracting(NodeView::name).containsExactly("r1", "r2", "r3");
        assertThat(r.excluded()).isEmpty();
    }

    @Test
    void primaryIsNotACandidateWithoutAReadWeight() {
        ReadCandidates.Result r = of(topology(primary("p")), ONE_SECOND);
        assertThat(r.isEmpty()).isTrue();
        assertThat(r.excludedText()).isEqualTo("no replicas configured");
    }

    @Test
    void lagEqualToMaxLagIsStillFresh() {
        assertThat(of(topology(lagging("r1", 1000)), ONE_SECOND).nodes()).hasSize(1);
        assertThat(of(topology(lagging("r1", 1001)), ONE_SECOND).nodes()).isEmpty();
    }

    @Test
    void overMaxLagReasonNamesTheNodeAndBothNumbers() {
        ReadCandidates.Result r = of(topology(lagging("r1", 12_345)), Duration.ofSeconds(10));
        assertThat(r.excluded()).containsExactly("r1 over max_lag (12.3 s > 10.0 s)");
    }

    @Test
    void unknownLagIsNeverFresh() {
        ReadCandidates.Result r = of(topology(replica("r1", null)), Duration.ofDays(365));
        assertThat(r.isEmpty()).isTrue();
        assertThat(r.excludedText()).isEqualTo("r1 replication not running (lag unknown)");
    }

    @Test
    void downDrainingAndWeightZeroReplicasAreLeftOutWithTheirReasons() {
        ReadCandidates.Result r = of(topology(down(replica("r1")), draining(replica("r2")),
                weighted(replica("r3"), 0), replica("r4")), ONE_SECOND);
        assertThat(r.nodes()).extracting(NodeView::name).containsExactly("r4");
        assertThat(r.excluded()).containsExactly("r1 down", "r2 draining", "r3 has weight 0");
        assertThat(r.excludedText()).isEqualTo("r1 down; r2 draining; r3 has weight 0");
    }

    @Test
    void downIsReportedBeforeLag() {
        ReadCandidates.Result r = of(topology(down(replica("r1", null))), ONE_SECOND);
        assertThat(r.excluded()).containsExactly("r1 down");
    }

    @Test
    void standbyIsUsedOnlyWhenNoOtherReplicaIsEligible() {
        TopologySnapshot t = topology(primary("p"), standby("s1"), replica("r1"));
        assertThat(of(t, ONE_SECOND).nodes()).extracting(NodeView::name).containsExactly("r1");
        assertThat(of(topology(primary("p"), standby("s1"), down(replica("r1"))), ONE_SECOND).nodes())
                .extracting(NodeView::name).containsExactly("s1");
    }

    @Test
    void standbyIsStillSubjectToTheSameChecks() {
        ReadCandidates.Result r = of(topology(down(standby("s1")), down(replica("r1"))), ONE_SECOND);
        assertThat(r.isEmpty()).isTrue();
        assertThat(r.excluded()).containsExactly("s1 down", "r1 down");
    }

    @Test
    void nodesThatAreNotReplicasAreIgnored() {
        NodeView unknown = replica("u").withRole(Role.UNKNOWN);
        ReadCandidates.Result r = of(topology(primary("p"), unknown), ONE_SECOND);
        assertThat(r.nodes()).isEmpty();
        assertThat(r.excluded()).isEmpty();
    }

    @Test
    void primaryReadWeightAddsThePrimaryWithThatWeightAndNoLag() {
        ReadCandidates.Result r = ReadCandidates.of(topology(primary("p"), replica("r1")), ONE_SECOND, 3, null);
        assertThat(r.nodes()).extracting(NodeView::name).containsExactly("r1", "p");
        NodeView p = r.nodes().get(1);
        assertThat(p.role()).isEqualTo(Role.PRIMARY);
        assertThat(p.settings().weight()).isEqualTo(3);
        assertThat(p.settings().standby()).isFalse();
        assertThat(p.lag()).isEqualTo(Duration.ZERO);
    }

    @Test
    void primaryWithReadWeightStandsInWhenNoReplicaIsEligible() {
        ReadCandidates.Result r = ReadCandidates.of(topology(primary("p"), down(replica("r1"))), ONE_SECOND, 1,
                null);
        assertThat(r.nodes()).extracting(NodeView::name).containsExactly("p");
        assertThat(r.excluded()).containsExactly("r1 down");
    }

    @Test
    void primaryWithReadWeightKeepsItsLiveStats() {
        NodeView p = primary("p");
        ReadCandidates.Result r = ReadCandidates.of(topology(p), ONE_SECOND, 1, null);
        assertThat(r.nodes().get(0).stats()).isSameAs(p.stats());
    }

    @Test
    void drainingOrDownPrimaryIsNotAddedForReads() {
        assertThat(ReadCandidates.of(topology(draining(primary("p")), replica("r1")), ONE_SECOND, 1, null).nodes())
                .extracting(NodeView::name).containsExactly("r1");
        assertThat(ReadCandidates.of(topology(down(primary("p")), replica("r1")), ONE_SECOND, 1, null).nodes())
                .extracting(NodeView::name).containsExactly("r1");
    }

    @Test
    void causalReadsNeedTheSessionsLastWriteApplied() {
        TopologySnapshot t = topology(primary("p"), executed(replica("r1"), mariadb("0-1-10")),
                executed(replica("r2"), mariadb("0-1-12")), replica("r3"));
        ReadCandidates.Result r = ReadCandidates.of(t, ONE_SECOND, 0, mariadb("0-1-11"));
        assertThat(r.nodes()).extracting(NodeView::name).containsExactly("r2");
        assertThat(r.excluded()).containsExactly("r1 has not applied this session's last write",
                "r3 has not applied this session's last write");
    }

    @Test
    void causalReadsWithMySqlGtidSets() {
        String uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
        TopologySnapshot t = topology(executed(replica("r1"), GtidSet.parse(Flavor.MYSQL, uuid + ":1-5:7")),
                executed(replica("r2"), GtidSet.parse(Flavor.MYSQL, uuid + ":1-7")));
        ReadCandidates.Result r = ReadCandidates.of(t, ONE_SECOND, 0, GtidSet.parse(Flavor.MYSQL, uuid + ":6"));
        assertThat(r.nodes()).extracting(NodeView::name).containsExactly("r2");
    }

    @Test
    void freshnessIsCheckedBeforeTheWrite() {
        TopologySnapshot t = topology(executed(lagging("r1", 5000), mariadb("0-1-99")));
        ReadCandidates.Result r = ReadCandidates.of(t, ONE_SECOND, 0, mariadb("0-1-1"));
        assertThat(r.excluded()).containsExactly("r1 over max_lag (5.0 s > 1.0 s)");
    }

    @Test
    void secondsAreFormattedWithOneDecimalWhateverTheLocale() {
        java.util.Locale saved = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.GERMANY);
            assertThat(ReadCandidates.seconds(Duration.ofMillis(1500))).isEqualTo("1.5 s");
        } finally {
            java.util.Locale.setDefault(saved);
        }
    }
}
