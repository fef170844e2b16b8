package io.rwsplit.proxy.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class ScrambleTest {

    /** A SecureRandom that always draws the same index, to pin the mapping's ends. */
    private static SecureRandom always(int index) {
        return new SecureRandom() {
            @Override
            public int nextInt(int bound) {
                assertThat(bound).isEqualTo(93);
                return index;
            }
        };
    }

    @Test
    void theAlphabetIsPrintableAsciiWithoutDollar() {
        assertThat(new Scramble(always(0)).next()).hasSize(20).containsOnly('!');
        assertThat(new Scramble(always(2)).next()).containsOnly('#');
        assertThat(new Scramble(always(3)).next()).as("'$' is skipped").containsOnly('%');
        assertThat(new Scramble(always(92)).next()).containsOnly('~');
    }

    @Test
    void drawsFreshPrintableBytes() throws Exception {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(42);
        Scramble scramble = new Scramble(random);
        byte[] a = scramble.next();
        byte[] b = scramble.next();
        assertThat(a).isNotEqualTo(b);
        boolean[] seen = new boolean[128];
        for (int i = 0; i < 500; i++) {
            for (byte x : scramble.next()) {
                assertThat((int) x).isBetween(33, 126).isNotEqualTo((int) '$');
                seen[x] = true;
            }
        }
        int distinct = 0;
        for (boolean s : seen) {
            distinct += s ? 1 : 0;
        }
        assertThat(distinct).as("10,000 draws cover the 93 symbols").isEqualTo(93);
    }
}
