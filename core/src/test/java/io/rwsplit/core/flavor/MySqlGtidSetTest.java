package io.rwsplit.core.flavor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MySqlGtidSetTest {

    // the reference manual's example source, and a second one
    private static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private static final String B = "73f86016-978b-11ee-ade5-8d2a2a562feb";

    private static GtidSet set(String text) {
        return GtidSet.parse(Flavor.MYSQL, text);
    }

    @Test
    void parsesTheManualsNotationAndPrintsItInLowerCase() {
        GtidSet s = set("3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5:11-18");

        assertThat(s).isInstanceOf(MySqlGtidSet.class);
        assertThat(s.flavor()).isEqualTo(Flavor.MYSQL);
        assertThat(s.isEmpty()).isFalse();
        assertThat(s.text()).isEqualTo(A + ":1-5:11-18");
    }

    @Test
    void readsTheServersMultiLineOutput() {
        // gtid_executed and Executed_Gtid_Set put each source on its own line: ",\n"
        GtidSet s = set(B + ":1-5,\n" + A + ":1-3,\n  " + A.toUpperCase() + ":4\n");

        assertThat(s.text()).isEqualTo(A + ":1-4," + B + ":1-5");
    }

    @Test
    void mergesOverlappingAndAdjacentIntervals() {
        assertThat(set(A + ":1-3:4-5:9-10:7:8").text()).isEqualTo(A + ":1-5:7-10");
        assertThat(set(A + ":1-5:3-8").text()).isEqualTo(A + ":1-8");
        assertThat(set(A + ":5:5:5").text()).isEqualTo(A + ":5");
        assertThat(set(A + ":20-30:1-2:10").text()).isEqualTo(A + ":1-2:10:20-30");
        assertThat(set(A + ":1-3," + A + ":2-6").text()).isEqualTo(A + ":1-6");
    }

    @Test
    void normalisedTextReadsBackToAnEqualSet() {
        GtidSet s = set(B + ":7:1-5," + A + ":2-3:1");

        assertThat(set(s.text())).isEqualTo(s).hasSameHashCodeAs(s);
        assertThat(set(A + ":1-3:4-5")).isEqualTo(set(A.toUpperCase() + ":1-5"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "\n"})
    void blankIsTheEmptySet(String text) {
        GtidSet s = set(text);

        assertThat(s.isEmpty()).isTrue();
        assertThat(s.text()).isEmpty();
        assertThat(s).isEqualTo(GtidSet.empty(Flavor.MYSQL));
    }

    @Test
    void taggedGtidsAsMySql91PrintsThem() {
        // MySQL bug #116789: after SET GLOBAL gtid_purged='3E11FA47-...:Domain_1:1-3:15-21,
        // 3E11FA47-...:Domain_2:8-52' the 9.1 server printed gtid_executed as below
        GtidSet s = set(A.toUpperCase() + ":Domain_1:1-3:15-21, " + A.toUpperCase() + ":Domain_2:8-52");

        assertThat(s.text()).isEqualTo(A + ":domain_1:1-3:15-21:domain_2:8-52");
        assertThat(set(s.text())).isEqualTo(s);
    }

    @Test
    void untaggedIntervalsOfASourceComeBeforeItsTags() {
        GtidSet s = set(A + ":x:1," + A + ":abc:1-3," + A + ":1-4:AAA:1");

        assertThat(s.text()).isEqualTo(A + ":1-4:aaa:1:abc:1-3:x:1");
    }

    @Test
    void aTagIsASourceOfItsOwn() {
        GtidSet untagged = set(A + ":1-10");
        GtidSet tagged = set(A + ":batch:1-10");

        assertThat(untagged.contains(set(A + ":batch:1"))).isFalse();
        assertThat(tagged.contains(set(A + ":1"))).isFalse();
        assertThat(set(A + ":1-10:batch:1-3").contains(set(A + ":4:BATCH:2-3"))).isTrue();
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            A:1-10           | A:3-5        | true
            A:1-10           | A:1-10       | true
            A:1-5            | A:1-10       | false
            A:1-10           | B:1          | false
            A:1-10,B:1-3     | B:2          | true
            A:1-10,B:1-3     | A:10,B:1-3   | true
            A:1-10,B:1-3     | A:10,B:1-4   | false
            A:1-5            | A:4-6        | false
            A:1-5:7          | A:6          | false
            A:1-5:7          | A:7          | true
            A:1-5:7          | A:5-7        | false
            A:1-5:7-9        | A:1:3:8      | true
            A:1-5            | ''           | true
            ''               | ''           | true
            ''               | A:1          | false
            """)
    void containsEveryIntervalOfTheOther(String have, String wanted, boolean expected) {
        GtidSet h = set(have.replace("A", A).replace("B", B));
        GtidSet w = set(wanted.replace("A", A).replace("B", B));

        assertThat(h.contains(w)).isEqualTo(expected);
    }

    @Test
    void everySetContainsItself() {
        GtidSet s = set(A + ":1-5:7:9-12," + B + ":3:t:1-2");

        assertThat(s.contains(s)).isTrue();
    }

    @Test
    void unionCoversBoth() {
        GtidSet left = set(A + ":1-5");
        GtidSet right = set(A + ":6-7:10," + B + ":1");

        GtidSet both = left.union(right);

        assertThat(both.text()).isEqualTo(A + ":1-7:10," + B + ":1");
        assertThat(both.contains(left)).isTrue();
        assertThat(both.contains(right)).isTrue();
        assertThat(left.union(GtidSet.empty(Flavor.MYSQL))).isEqualTo(left);
        assertThat(GtidSet.empty(Flavor.MYSQL).union(right)).isEqualTo(right);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "3e11fa47-71ca-11e1-9e33-c80aa9429562",           // a source without transactions
        "3e11fa47-71ca-11e1-9e33-c80aa9429562:",
        "3e11fa47-71ca-11e1-9e33-c80aa9429562::1",
        "3e11fa47-71ca-11e1-9e33-c80aa9429562:0",         // numbering starts at 1
        "3e11fa47-71ca-11e1-9e33-c80aa9429562:5-3",       // ends before it starts
        "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-",
        "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-x",
        "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-2-3",
        "3e11fa47-71ca-11e1-9e33-c80aa9429562:-3",
        "3e11fa47-71ca-11e1-9e33-c80aa9429562:99999999999999999999",
        "3e11fa47-71ca-11e1-9e33-c80aa9429562:9223372036854775807",
        "3e11fa47-71ca-11e1-9e33-c80aa9429562:tag",       // a tag without transactions
        "3e11fa47-71ca-11e1-9e33-c80aa9429562:a:b:1",
        "3e11fa47-71ca-11e1-9e33-c80aa9429562:t@g:1",
        "3e11fa47-71ca-11e1-9e33-c80aa9429562:1,,3e11fa47-71ca-11e1-9e33-c80aa9429562:2",
        "3e11fa47-71ca-11e1-9e33-c80aa9429562:1,",
        "3e11fa4-71ca-11e1-9e33-c80aa9429562:1",           // seven digits in the first group
        "3e11fa47-71ca-11e1-9e33-c80aa942956g:1",
        "0-1-100",                                         // a MariaDB position
        "garbage"
    })
    void rejectsMalformedText(String text) {
        assertThatThrownBy(() -> set(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformed MySQL GTID set")
                .hasMessageContaining(text);
    }

    @Test
    void refusesToCompareWithMariaDbPositions() {
        GtidSet mysql = set(A + ":1");
        GtidSet mariadb = GtidSet.parse(Flavor.MARIADB, "0-1-1");

        assertThatThrownBy(() -> mysql.contains(mariadb))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MARIADB")
                .hasMessageContaining("0-1-1");
        assertThatThrownBy(() -> mysql.union(GtidSet.empty(Flavor.MARIADB)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
