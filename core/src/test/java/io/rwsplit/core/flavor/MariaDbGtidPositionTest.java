package io.rwsplit.core.flavor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MariaDbGtidPositionTest {

    private static GtidSet pos(String text) {
        return GtidSet.parse(Flavor.MARIADB, text);
    }

    @Test
    void parsesAndPrintsInDomainOrder() {
        // Gtid_IO_Pos exactly as the MariaDB 11.4.5 sandbox printed it: not in domain order
        GtidSet p = pos("1-1-1,0-1-16");

        assertThat(p).isInstanceOf(MariaDbGtidPosition.class);
        assertThat(p.flavor()).isEqualTo(Flavor.MARIADB);
        assertThat(p.text()).isEqualTo("0-1-16,1-1-1");
        assertThat(pos(p.text())).isEqualTo(p).hasSameHashCodeAs(p);
    }

    @Test
    void printsNoSpacesBecauseMasterGtidWaitRejectsThem() {
        // MASTER_GTID_WAIT(' 0-1-14 , 1-1-1 ', 0.1) on 11.4.5: ERROR 1941 Could not parse GTID list
        assertThat(pos(" 0-1-14 , 1-1-1 ").text()).isEqualTo("0-1-14,1-1-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n"})
    void blankIsEmpty(String text) {
        // a fresh session's @@last_gtid is the empty string (recorded on 11.4.5)
        GtidSet p = pos(text);

        assertThat(p.isEmpty()).isTrue();
        assertThat(p.text()).isEmpty();
        assertThat(p).isEqualTo(GtidSet.empty(Flavor.MARIADB));
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            0-1-100        | 0-1-100        | true
            0-1-100        | 0-1-99         | true
            0-1-100        | 0-1-101        | false
            0-7-15         | 0-1-15         | true
            0-7-15         | 0-1-14         | true
            0-7-15         | 0-9-16         | false
            0-1-100,1-2-7  | 1-2-7          | true
            0-1-100,1-2-7  | 0-1-50,1-2-8   | false
            0-1-100        | 0-1-1,1-1-1    | false
            0-1-100        | 5-1-1          | false
            0-1-100        | ''             | true
            ''             | ''             | true
            ''             | 0-1-1          | false
            """)
    void comparesSequencesPerDomain(String have, String wanted, boolean expected) {
        // 0-7-15 vs 0-1-15 / 0-1-14 / 0-9-16: MASTER_GTID_WAIT on a replica at 0-7-15,1-1-1
        // returned 0, 0 and -1 (timeout) on the 11.4.5 sandbox: the server id does not order
        assertThat(pos(have).contains(pos(wanted))).isEqualTo(expected);
    }

    @Test
    void primaryAfterSwitchoverContainsTheOldPrimarysWrites() {
        // the new primary (server 2) continues domain 0 from the old one's 100
        GtidSet newPrimary = pos("0-2-105,1-1-40");

        assertThat(newPrimary.contains(pos("0-1-100"))).isTrue();
        assertThat(newPrimary.contains(pos("0-1-100,1-1-40"))).isTrue();
        assertThat(pos("0-1-100").contains(newPrimary)).isFalse();
    }

    @Test
    void errantWriteOnAReplicaLooksCaughtUp() {
        // Recorded on 11.4.5: a replica at 0-1-16,1-1-1 took a local write (0-2-17); the primary's
        // 0-1-17 then stopped its applier (gtid strict mode). Its gtid_current_pos claims 0-1-17
        // although gtid_slave_pos (what MASTER_GTID_WAIT waits on: it timed out) is 0-1-16. This
        // is the documented limit of comparing sequences: trust only replicas whose applier runs.
        GtidSet currentPos = pos("0-2-17,1-1-1");
        GtidSet slavePos = pos("0-1-16,1-1-1");
        GtidSet primaryWrite = pos("0-1-17");

        assertThat(currentPos.contains(primaryWrite)).isTrue();
        assertThat(slavePos.contains(primaryWrite)).isFalse();
        assertThat(new MariaDbDialect().readReplicaStatus(RecordedRows.vertical(RecordedRows.MARIADB_SQL_ERROR))
                .running()).isFalse();
    }

    @Test
    void aDomainNamedTwiceKeepsItsHighestSequence() {
        // gtid_binlog_state 0-1-14,0-7-15,1-1-1 on the 11.4.5 primary, whose gtid_binlog_pos was 0-7-15,1-1-1
        assertThat(pos("0-1-14,0-7-15,1-1-1").text()).isEqualTo("0-7-15,1-1-1");
        assertThat(pos("0-7-15,0-1-14").text()).isEqualTo("0-7-15");
    }

    @Test
    void sequencesAreUnsigned64Bit() {
        // MASTER_GTID_WAIT('0-1-18446744073709551615', 0.1) parses on 11.4.5 (and times out)
        GtidSet max = pos("0-1-18446744073709551615");

        assertThat(max.text()).isEqualTo("0-1-18446744073709551615");
        assertThat(max.contains(pos("0-1-9223372036854775808"))).isTrue();
        assertThat(pos("0-1-9223372036854775808").contains(max)).isFalse();
        assertThat(pos("0-1-9223372036854775808").contains(pos("0-1-5"))).isTrue();
        assertThat(pos("0-1-5").contains(pos("0-1-9223372036854775808"))).isFalse();
        assertThat(pos("4294967295-4294967295-1").text()).isEqualTo("4294967295-4294967295-1");
    }

    @Test
    void unionKeepsTheLaterTransactionPerDomain() {
        // @@last_gtid names one transaction: a session that wrote 0-1-14 and then, in domain 1,
        // 1-1-1 (recorded on 11.4.5) must wait for both
        GtidSet session = pos("0-1-14").union(pos("1-1-1"));

        assertThat(session.text()).isEqualTo("0-1-14,1-1-1");
        assertThat(session.union(pos("0-7-15")).text()).isEqualTo("0-7-15,1-1-1");
        assertThat(session.union(pos("0-1-3"))).isEqualTo(session);
        assertThat(GtidSet.empty(Flavor.MARIADB).union(session)).isEqualTo(session);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "0-1",
        "0-1-2-3",
        "a-b-c",
        "-1-1-1",
        "0-1-1;1-1-1",
        "0-1-1,",
        ",0-1-1",
        "0-1-1,,1-1-1",
        "4294967296-1-1",               // rejected by 11.4.5 too: Could not parse GTID list
        "0-4294967296-1",
        "0-1-18446744073709551616",
        "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5" // a MySQL set
    })
    void rejectsMalformedText(String text) {
        assertThatThrownBy(() -> pos(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformed MariaDB GTID position")
                .hasMessageContaining(text);
    }

    @Test
    void refusesToCompareWithMySqlSets() {
        assertThatThrownBy(() -> pos("0-1-1").contains(GtidSet.empty(Flavor.MYSQL)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MYSQL");
    }
}
