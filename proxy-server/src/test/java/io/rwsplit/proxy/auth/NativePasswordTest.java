package io.rwsplit.proxy.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NativePasswordTest {

    static final byte[] SCRAMBLE = "X%8k]v2Q#n@7LwZp!4sG".getBytes(StandardCharsets.US_ASCII);

    /*
     * Derived with openssl, independently of this code:
     *   S='X%8k]v2Q#n@7LwZp!4sG'
     *   s1 = printf secret | openssl dgst -sha1 -binary                  -> e5e9fa1b...05f4
     *   s2 = s1 | openssl dgst -sha1 -binary                             -> 14e65567...9ee7
     *   h  = (printf "$S"; s2) | openssl dgst -sha1 -binary              -> ee749c23...16d5
     *   token = s1 XOR h
     */
    static final String SECRET_HASH = "*14E65567ABDB5135D0CFD9A70B3032C179A49EE7";
    static final byte[] SECRET_TOKEN = HexFormat.of().parseHex("0b9d663802c59275f3ccffb6b0c07a60b9e11321");

    @Test
    void tokenMatchesTheOpensslVector() {
        assertThat(NativePassword.token("secret", SCRAMBLE)).containsExactly(SECRET_TOKEN);
    }

    @Test
    void hashIsMysqlUserForm() {
        assertThat(NativePassword.hashOf("secret")).isEqualTo(SECRET_HASH);
        // The well-known value of MySQL 5.x PASSWORD('password').
        assertThat(NativePassword.hashOf("password")).isEqualTo("*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19");
        assertThat(NativePassword.hashOf("")).isEmpty();
    }

    @Test
    void verifiesAgainstTheStoredHashOnly() {
        byte[] stored = NativePassword.parseHash(SECRET_HASH);
        assertThat(NativePassword.verify(SECRET_TOKEN, SCRAMBLE, stored)).isTrue();
        assertThat(NativePassword.verify(NativePassword.token("Secret", SCRAMBLE), SCRAMBLE, stored)).isFalse();
        byte[] otherScramble = SCRAMBLE.clone();
        otherScramble[19] ^= 1;
        assertThat(NativePassword.verify(SECRET_TOKEN, otherScramble, stored)).as("replayed token").isFalse();
        assertThat(NativePassword.verify(new byte[0], SCRAMBLE, stored)).isFalse();
        assertThat(NativePassword.verify(new byte[19], SCRAMBLE, stored)).isFalse();
    }

    @Test
    void roundTripsWithUnicodePasswords() {
        String pw = "pässwörd-密码";
        byte[] stored = NativePassword.parseHash(NativePassword.hashOf(pw));
        assertThat(NativePassword.verify(NativePassword.token(pw, SCRAMBLE), SCRAMBLE, stored)).isTrue();
    }

    @Test
    void anAccountWithoutPasswordTakesOnlyAnEmptyToken() {
        byte[] none = NativePassword.parseHash("");
        assertThat(NativePassword.token("", SCRAMBLE)).isEmpty();
        assertThat(NativePassword.verify(new byte[0], SCRAMBLE, none)).isTrue();
        assertThat(NativePassword.verify(SECRET_TOKEN, SCRAMBLE, none)).isFalse();
    }

    @Test
    void parsesEitherCaseAndRefusesOtherFormsWithoutEchoingThem() {
        assertThat(NativePassword.parseHash(SECRET_HASH.toLowerCase())).containsExactly(
                NativePassword.parseHash(SECRET_HASH));
        for (String bad : new String[] {"14E65567ABDB5135D0CFD9A70B3032C179A49EE7", "*14E6", SECRET_HASH + "0",
                "*14E65567ABDB5135D0CFD9A70B3032C179A49EZZ", "secret"}) {
            assertThatThrownBy(() -> NativePassword.parseHash(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageNotContaining(bad);
        }
    }

    @Test
    void needsTheScrambleWithoutItsNul() {
        byte[] withNul = new byte[21];
        assertThatThrownBy(() -> NativePassword.token("secret", withNul)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("21").hasMessageNotContaining("secret");
    }
}
