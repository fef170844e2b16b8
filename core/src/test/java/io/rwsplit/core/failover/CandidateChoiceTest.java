package io.rwsplit.core.failover;

import static io.rwsplit.core.failover.Nodes.PRIMARY;
import static io.rwsplit.core.failover.Nodes.R1;
import static io.rwsplit.core.failover.Nodes.R2;
import static io.rwsplit.core.failover.Nodes.REPLICA_UUID;
import static io.rwsplit.core.failover.Nodes.SOURCE_UUID;
import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.core.flavor.Flavor;
import io.rwsplit.core.topology.NodeSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class CandidateChoiceTest {

    private static final NodeSettings NOT_PROMOTABLE = new NodeSettings(1, false, false);

    private final Nodes mariaDb = new Nodes(Flavor.MARIADB);
    private final Nodes mySql = new Nodes(Flavor.MYSQL);

    // ---- MariaDB: domain-server-sequence positions

    @Test
    void mariaDbTheMostAdvancedReplicaIsChosen() {
        // db3 received one more transaction than db2 before the primary died
        Candidate c = CandidateChoice.choose(PRIMARY, List.of(mariaDb.deadPrimary("0-1-17,1-1-1"),
                mariaDb.replica(R1, "0-1-16,1-1-1", "1-1-1,0-1-16"),
                mariaDb.replica(R2, "0-1-16,1-1-1", "1-1-1,0-1-17")));

        assertThat(c.chosen()).isEqualTo(R2);
        assertThat(c.reason()).contains("0-1-17,1-1-1");
        assertThat(c.passedOver()).containsOnlyKeys("db2");
        assertThat(c.passedOver().get("db2")).startsWith("lacks transactions db3 has");
    }

    @Test
    void equalPositionsGoToTheFirstInConfigurationOrder() {
        Candidate c = CandidateChoice.choose(PRIMARY, List.of(mariaDb.deadPrimary("0-1-16"),
                mariaDb.replica(R1, "0-1-16", "0-1-16"), mariaDb.replica(R2, "0-1-16", "0-1-16")));

        assertThat(c.chosen()).isEqualTo(R1);
        assertThat(c.passedOver().get("db3")).isEqualTo("as advanced as db2, which comes first in the configuration");
    }

    @Test
    void aReplicaWithItsApplierStoppedIsNotChosenWhileAFresherOneExists() {
        // recorded: STOP SLAVE SQL_THREAD, a write: received 0-1-16, applied 0-1-15, lag NULL
        Candidate c = CandidateChoice.choose(PRIMARY, List.of(mariaDb.deadPrimary("0-1-16"),
                mariaDb.replica(R1, NodeSettings.DEFAULT, true, false, "0-1-15", "1-1-1,0-1-16"),
                mariaDb.replica(R2, "0-1-16", "0-1-16")));

        assertThat(c.chosen()).isEqualTo(R2);
        assertThat(c.passedOver().get("db2")).startsWith("applier stopped");
    }

    @Test
    void aReplicaStoppedByAnErrantTransactionIsNotChosen() {
        // recorded: errant local write 0-2-17, then the primary's 0-1-17 stops the applier (strict mode)
        Candidate c = CandidateChoice.choose(PRIMARY, List.of(mariaDb.deadPrimary("0-1-17"),
                new NodeState(R1, NodeSettings.DEFAULT, true, true, true, new io.rwsplit.core.flavor.ReplicaStatus(
                        true, true, false, null, "127.0.0.1", 33151, "An attempt was made to binlog GTID 0-1-17"
                        + " which would create an out-of-order sequence number with existing GTID 0-2-17, and"
                        + " gtid strict mode is enabled", "1-1-1,0-1-17", null), mariaDb.gtids("0-2-17,1-1-1")),
                mariaDb.replica(R2, "0-1-17,1-1-1", "1-1-1,0-1-17")));

        assertThat(c.chosen()).isEqualTo(R2);
        assertThat(c.passedOver().get("db2")).contains("out-of-order sequence number");
    }

    @Test
    void aMoreAdvancedReplicaThatMayNotBePromotedLeavesNoCandidate() {
        Candidate c = CandidateChoice.choose(PRIMARY, List.of(mariaDb.deadPrimary("0-1-20"),
                mariaDb.replica(R1, "0-1-19", "0-1-19"),
                mariaDb.replica(R2, NOT_PROMOTABLE, false, true, "0-1-20", "0-1-20")));

        assertThat(c.chosen()).isNull();
        assertThat(c.reason()).startsWith("no eligible replica holds every transaction");
        assertThat(c.passedOver()).containsEntry("db3", "promotable: false");
        assertThat(c.passedOver().get("db2")).contains("0-1-19 does not contain 0-1-20");
    }

    @Test
    void unreachableAndDownReplicasAreNotChosen() {
        NodeState down = new NodeState(R1, NodeSettings.DEFAULT, false, true, true,
                mariaDb.replica(R1, "0-1-30", "0-1-30").replica(), mariaDb.gtids("0-1-30"));
        NodeState gone = new NodeState(R2, NodeSettings.DEFAULT, false, false, true, null, null);

        Candidate c = CandidateChoice.choose(PRIMARY, List.of(mariaDb.deadPrimary("0-1-30"), down, gone));

        assertThat(c.chosen()).isNull();
        assertThat(c.reason()).isEqualTo("no replica is eligible for promotion");
        assertThat(c.passedOver()).containsEntry("db2", "down").containsEntry("db3", "unreachable");
    }

    @Test
    void aFencedOldPrimaryIsNeitherChosenNorComparedWith() {
        // an earlier primary, fenced: read-only, replicating from nobody, with writes nobody else has
        NodeState fencedOld = new NodeState(R2, NodeSettings.DEFAULT, true, true, true,
                io.rwsplit.core.flavor.ReplicaStatus.NOT_A_REPLICA, mariaDb.gtids("0-3-40"));

        Candidate c = CandidateChoice.choose(PRIMARY, List.of(mariaDb.deadPrimary("0-1-16"),
                mariaDb.replica(R1, "0-1-16", "0-1-16"), fencedOld));

        assertThat(c.chosen()).isEqualTo(R1);
        assertThat(c.passedOver()).containsEntry("db3", "not a replica");
    }

    // ---- MySQL: uuid:intervals sets

    @Test
    void mySqlTheReplicaWhoseReceivedSetCoversTheOthersIsChosen() {
        Candidate c = CandidateChoice.choose(PRIMARY, List.of(mySql.deadPrimary(SOURCE_UUID + ":1-9"),
                mySql.replica(R1, SOURCE_UUID + ":1-6", SOURCE_UUID + ":1-9"),
                mySql.replica(R2, SOURCE_UUID + ":1-8", SOURCE_UUID + ":1-8")));

        // db2 has applied less, but its relay log holds 7-9: it will hold more than db3
        assertThat(c.chosen()).isEqualTo(R1);
        assertThat(c.passedOver().get("db3")).startsWith("lacks transactions db2 has");
    }

    @Test
    void aGapIsMissingTransactions() {
        // parallel appliers: db2 has 1-5:7 (6 still missing), db3 1-7
        Candidate c = CandidateChoice.choose(PRIMARY, List.of(mySql.deadPrimary(SOURCE_UUID + ":1-7"),
                mySql.replica(R1, SOURCE_UUID + ":1-5:7", ""),
                mySql.replica(R2, SOURCE_UUID + ":1-7", "")));

        assertThat(c.chosen()).isEqualTo(R2);
    }

    @Test
    void errantTransactionsOnBothReplicasLeaveNoCandidate() {
        // each replica has a local write (its own uuid) the other lacks
        Candidate c = CandidateChoice.choose(PRIMARY, List.of(mySql.deadPrimary(SOURCE_UUID + ":1-5"),
                mySql.replica(R1, REPLICA_UUID + ":1-3,\n" + SOURCE_UUID + ":1-5", SOURCE_UUID + ":1-5"),
                mySql.replica(R2, "bbbbbbbb-71ca-11e1-9e33-c80aa9429562:1," + SOURCE_UUID + ":1-5",
                        SOURCE_UUID + ":1-5")));

        assertThat(c.chosen()).isNull();
        assertThat(c.passedOver()).containsOnlyKeys("db2", "db3");
        assertThat(c.passedOver().get("db2")).contains("lacks transactions db3 has");
    }

    @Test
    void anErrantTransactionOnlyTheCandidateHasDoesNotStopIt() {
        // the others can fetch db2's extra transaction from it; nothing is lost
        Candidate c = CandidateChoice.choose(PRIMARY, List.of(mySql.deadPrimary(SOURCE_UUID + ":1-5"),
                mySql.replica(R1, REPLICA_UUID + ":1-3," + SOURCE_UUID + ":1-5", SOURCE_UUID + ":1-5"),
                mySql.replica(R2, SOURCE_UUID + ":1-5", SOURCE_UUID + ":1-5")));

        assertThat(c.chosen()).isEqualTo(R1);
    }
}
