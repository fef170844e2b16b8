package io.rwsplit.core.flavor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ErrantTransactionsTest {

    private static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private static final String B = "73f86016-978b-11ee-ade5-8d2a2a562feb";

    @Test
    void mariaDbAnOldPrimaryBehindTheNewOneHasNothingErrant() {
        // the new primary (server 2) replicated 0-1-1..100 from the old one, then wrote its own
        assertThat(ErrantTransactions.between(Flavor.MARIADB, "0-1-100", "0-1-100,0-2-150")).isEmpty();
        assertThat(ErrantTransactions.between(Flavor.MARIADB, "0-1-90", "0-1-100,0-2-150")).isEmpty();
    }

    @Test
    void mariaDbATransactionTheNewPrimaryNeverGotIsErrantThoughItsSequenceIsLower() {
        // the old primary committed 0-1-101 before dying; nobody received it; the new primary went on at 0-2-101
        assertThat(ErrantTransactions.between(Flavor.MARIADB, "0-1-101", "0-1-100,0-2-150")).isEqualTo("0-1-101");
    }

    @Test
    void mariaDbADomainOrServerTheOtherNeverSawIsErrant() {
        assertThat(ErrantTransactions.between(Flavor.MARIADB, "0-1-100,1-1-3", "0-1-100,0-2-150")).isEqualTo("1-1-3");
        assertThat(ErrantTransactions.between(Flavor.MARIADB, "0-7-5", "")).isEqualTo("0-7-5");
        assertThat(ErrantTransactions.between(Flavor.MARIADB, "", "0-1-5")).isEmpty();
    }

    @Test
    void mySqlIsTheExactSetDifference() {
        assertThat(ErrantTransactions.between(Flavor.MYSQL, A + ":1-100", A + ":1-100," + B + ":1-50")).isEmpty();
        assertThat(ErrantTransactions.between(Flavor.MYSQL, A + ":1-101", A + ":1-100," + B + ":1-50"))
                .isEqualTo(A + ":101");
        assertThat(ErrantTransactions.between(Flavor.MYSQL, A + ":1-10:20-30," + B + ":1-3", A + ":2-4:25"))
                .isEqualTo(A + ":1:5-10:20-24:26-30," + B + ":1-3");
    }

    @Test
    void malformedTextSaysWhy() {
        assertThatThrownBy(() -> ErrantTransactions.between(Flavor.MARIADB, "0-1", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'0-1' is not domain-server-sequence");
    }
}
