package io.rwsplit.proxy.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KillStatementTest {

    @Test
    void readsTheNumericForms() {
        assertThat(KillStatement.parse("KILL QUERY 42")).isEqualTo(new KillStatement(true, 42, "KILL QUERY 42"));
        assertThat(KillStatement.parse("  kill connection 7;")).isEqualTo(new KillStatement(false, 7, "kill connection 7;"));
        assertThat(KillStatement.parse("/* cancel */ KILL 9")).isEqualTo(new KillStatement(false, 9, "KILL 9"));
        assertThat(KillStatement.parse("KILL HARD QUERY 3").queryOnly()).isTrue();
        assertThat(KillStatement.parse("KILL\n\tQUERY\n5").id()).isEqualTo(5);
    }

    @Test
    void otherKillFormsAreRecognisedButNotTaken() {
        assertThat(KillStatement.parse("KILL USER app").supported()).isFalse();
        assertThat(KillStatement.parse("KILL QUERY ID 12").supported()).isFalse();
        assertThat(KillStatement.parse("KILL 1; SELECT 1").supported()).isFalse();
        assertThat(KillStatement.parse("KILL 99999999999999999999").supported()).isFalse();
        // an executable comment's KILL would run on the server: refused rather than passed on
        assertThat(KillStatement.parse("/*!50000 KILL 1 */").supported()).isFalse();
        assertThat(KillStatement.parse("-- why\nKILL 4").id()).isEqualTo(4);
        assertThat(KillStatement.parse("# why\nKILL QUERY 4").queryOnly()).isTrue();
    }

    @Test
    void everythingElseIsNotAKill() {
        assertThat(KillStatement.parse("SELECT 'KILL 1'")).isNull();
        assertThat(KillStatement.parse("KILLED")).isNull();
        assertThat(KillStatement.parse("/* unclosed KILL 1")).isNull();
        assertThat(KillStatement.parse("")).isNull();
        assertThat(KillStatement.parse("-- KILL 1\nSELECT 1")).isNull();
        assertThat(KillStatement.parse("/*!50000 SELECT 1 */")).isNull();
    }
}
