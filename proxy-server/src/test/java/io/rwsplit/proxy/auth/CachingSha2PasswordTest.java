package io.rwsplit.proxy.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;

class CachingSha2PasswordTest {

    static final byte[] SCRAMBLE = NativePasswordTest.SCRAMBLE;

    /*
     * Derived with openssl, independently of this code:
     *   t1 = printf secret | openssl dgst -sha256 -binary
     *   t2 = t1 | openssl dgst -sha256 -binary                           -> 3881219d...4ae7
     *   t3 = (t2; printf "$S") | openssl dgst -sha256 -binary            -> 4ea49c3a...e223
     *   token = t1 XOR t3
     */
    static final String SECRET_HASH = "sha256d:3881219D087DD9C634373FD33DFA33A2CB6BFC6C520B64B8BB60EF2CEB534AE7";
    static final byte[] SECRET_TOKEN = HexFormat.of().parseHex(
            "651c9169573e40a3c82f64397868a013e1063ae7bd002ac28fbccd4a22cf4078");

    /** A throwaway 1024-bit RSA key made for this test: openssl genpkey, then pkcs8 -topk8 -nocrypt, DER. */
    static final String TEST_KEY_PKCS8 = ""
            + "MIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBAMR6CUMXE4hgC7Dg4UROboUy0iV8ev3OMLiNtaUdFUJGEQAPI508"
            + "+HMM1UHNGcise5KRCCb1oowTlne0IzFKD+hgjM6OwI2C2JzyefePV+1AIILHPHP0ezldqab6uhJvJ+VDeGz4/S5iBMsnvw5Q6VN3"
            + "bCiHParWlyObcsHHuvipAgMBAAECgYEAgFnsxQxFMVj1KjauUo4eOxupFt4MBtP1FgtVN6kZIzNclbpOHMEg2R/wDM1s46ByFZxz"
            + "Q+hBqNp++HIQb3mfi5tOPwaCEmaCbxjA0XqROXgj09R+NldQWWCyTTM9IItcQ/vptHitpVsO3BHZltZZQD4zl+jzBj1gh+qvabfn"
            + "iYUCQQD3/B8Fj++1Nprt34UpvO7JxN5glH89aRvDBD56PqKcQMU9ODwi6tRm97rNqMGgd4+hVP6ST7a5YVhgJ5VpifzvAkEAytO5"
            + "zFVCYRsmFc0DmDe3XS66+87rVgyj6MCOQ99A9zMRjZACOtHHW/u4+zZpS6XG7MusETgISVicVtI93K4T5wJADhhRdxJ4UHd7FNwo"
            + "iHfJpsQ+04R9OvNXdZ0vI+mden4f99vTZzSrv/KCtp/J6aICEuxuz8giHaVPzZ9SWb5TFwJBAK+DDYlS0fEDtC4zTQQAWqzIzkcu"
            + "JBk/MOstDS6QV0BSMcNFNZi+hPwE1GqWCAHM/1lTWZ9A1HLbudWrcpqvDEsCQHa45gwZlbtZIjr4FQ8MVFgFK1iQ8xgr5hLyaqyO"
            + "OAdSBo/hv128JS+/mNWIoZ11Tajjuv5v72o01VeMIE8TFjo=";

    /** Its public half as `openssl pkey -pubout` prints it, and as MySQL sends its key. */
    static final String TEST_PUBLIC_PEM = ""
            + "-----BEGIN PUBLIC KEY-----\n"
            + "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDEeglDFxOIYAuw4OFETm6FMtIl\n"
            + "fHr9zjC4jbWlHRVCRhEADyOdPPhzDNVBzRnIrHuSkQgm9aKME5Z3tCMxSg/oYIzO\n"
            + "jsCNgtic8nn3j1ftQCCCxzxz9Hs5Xamm+roSbyflQ3hs+P0uYgTLJ78OUOlTd2wo\n"
            + "hz2q1pcjm3LBx7r4qQIDAQAB\n"
            + "-----END PUBLIC KEY-----\n";

    /*
     * What a client sends on the RSA path for "secret", encrypted by OpenSSL with the padding
     * MySQL uses (RSA_PKCS1_OAEP_PADDING):
     *   python3: bytes(c ^ S[i % 20] for i, c in enumerate(b'secret\0'))   -> 2b405b19380232
     *   openssl pkeyutl -encrypt -pubin -inkey pub.pem -pkeyopt rsa_padding_mode:oaep
     */
    static final byte[] OPENSSL_CIPHERTEXT = Base64.getDecoder().decode(""
            + "d+SP3yPf4v3q1NmdkoCSL197P/B94OPuvEKAVnsZAWliyJ6SvI2Am/rQ0/xR2xkHLHlnkBDwQuTpJPLUqG5EcjvdZ5Etw8VMFT9g"
            + "NY4MMKi8aCcBEhA+rBm+p8oR6FCwG4EHj92S1f+g1gk8k6PFSt9Spo6qDynoQBxaP8wtWL8=");

    static PrivateKey privateKey() throws GeneralSecurityException {
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                Base64.getDecoder().decode(TEST_KEY_PKCS8)));
    }

    @Test
    void fastTokenMatchesTheOpensslVector() {
        assertThat(CachingSha2Password.fastToken("secret", SCRAMBLE)).containsExactly(SECRET_TOKEN);
        assertThat(CachingSha2Password.hashOf("secret")).isEqualTo(SECRET_HASH);
    }

    @Test
    void fastPathVerifiesAgainstTheDoubleHash() {
        byte[] stored = CachingSha2Password.parseHash(SECRET_HASH);
        assertThat(CachingSha2Password.verifyFast(SECRET_TOKEN, SCRAMBLE, stored)).isTrue();
        assertThat(CachingSha2Password.verifyFast(CachingSha2Password.fastToken("secreT", SCRAMBLE), SCRAMBLE,
                stored)).isFalse();
        byte[] otherScramble = SCRAMBLE.clone();
        otherScramble[0] ^= 1;
        assertThat(CachingSha2Password.verifyFast(SECRET_TOKEN, otherScramble, stored)).as("replayed").isFalse();
        assertThat(CachingSha2Password.verifyFast(NativePasswordTest.SECRET_TOKEN, SCRAMBLE, stored))
                .as("a native token").isFalse();
        String pw = "ünïcødé pass";
        byte[] storedPw = CachingSha2Password.parseHash(CachingSha2Password.hashOf(pw));
        assertThat(CachingSha2Password.verifyFast(CachingSha2Password.fastToken(pw, SCRAMBLE), SCRAMBLE, storedPw))
                .isTrue();
    }

    @Test
    void emptyPasswordsTravelEmptyOrAsOneNul() {
        byte[] none = CachingSha2Password.parseHash("");
        assertThat(CachingSha2Password.hashOf("")).isEmpty();
        assertThat(CachingSha2Password.fastToken("", SCRAMBLE)).isEmpty();
        assertThat(CachingSha2Password.verifyFast(new byte[0], SCRAMBLE, none)).isTrue();
        assertThat(CachingSha2Password.verifyFast(new byte[] {0}, SCRAMBLE, none)).isTrue();
        assertThat(CachingSha2Password.verifyFast(SECRET_TOKEN, SCRAMBLE, none)).isFalse();
        byte[] stored = CachingSha2Password.parseHash(SECRET_HASH);
        assertThat(CachingSha2Password.verifyFast(new byte[0], SCRAMBLE, stored)).isFalse();
        assertThat(CachingSha2Password.verifyFull(new byte[0], stored)).isFalse();
        assertThat(CachingSha2Password.verifyFull(new byte[0], none)).isTrue();
    }

    @Test
    void clearTextFullPath() {
        byte[] response = CachingSha2Password.clearTextResponse("secret");
        assertThat(response).containsExactly('s', 'e', 'c', 'r', 'e', 't', 0);
        byte[] password = CachingSha2Password.passwordFromClearText(response);
        byte[] stored = CachingSha2Password.parseHash(SECRET_HASH);
        assertThat(CachingSha2Password.verifyFull(password, stored)).isTrue();
        assertThat(CachingSha2Password.verifyFull("Secret".getBytes(StandardCharsets.UTF_8), stored)).isFalse();
        assertThat(CachingSha2Password.passwordFromClearText("abc".getBytes(StandardCharsets.UTF_8)))
                .as("no NUL: all of it").containsExactly('a', 'b', 'c');
    }

    @Test
    void decryptsWhatOpensslEncrypted() throws Exception {
        byte[] password = CachingSha2Password.decryptFull(privateKey(), OPENSSL_CIPHERTEXT, SCRAMBLE);
        assertThat(new String(password, StandardCharsets.UTF_8)).isEqualTo("secret");
        assertThat(CachingSha2Password.verifyFull(password, CachingSha2Password.parseHash(SECRET_HASH))).isTrue();
    }

    @Test
    void encryptsWhatAPlainOaepCipherDecrypts() throws Exception {
        PublicKey pub = CachingSha2Password.parsePublicKeyPem(TEST_PUBLIC_PEM);
        byte[] encrypted = CachingSha2Password.encryptFull(pub, "secret", SCRAMBLE);
        assertThat(encrypted).hasSize(128);
        // A second, straightforward reading: decrypt with the JDK default OAEP cipher, then XOR by hand.
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        rsa.init(Cipher.DECRYPT_MODE, privateKey());
        byte[] plain = rsa.doFinal(encrypted);
        assertThat(HexFormat.of().formatHex(plain)).isEqualTo("2b405b19380232");
        assertThat(CachingSha2Password.decryptFull(privateKey(), encrypted, SCRAMBLE))
                .containsExactly("secret".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theWrongScrambleDecryptsToTheWrongPassword() throws Exception {
        byte[] otherScramble = SCRAMBLE.clone();
        otherScramble[2] ^= 0x20;
        byte[] password = CachingSha2Password.decryptFull(privateKey(), OPENSSL_CIPHERTEXT, otherScramble);
        assertThat(CachingSha2Password.verifyFull(password, CachingSha2Password.parseHash(SECRET_HASH))).isFalse();
    }

    @Test
    void refusesCiphertextOfTheWrongLengthOrPadding() throws Exception {
        PrivateKey key = privateKey();
        byte[] shortened = java.util.Arrays.copyOf(OPENSSL_CIPHERTEXT, 127);
        assertThatThrownBy(() -> CachingSha2Password.decryptFull(key, shortened, SCRAMBLE))
                .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("127 bytes");
        byte[] tampered = OPENSSL_CIPHERTEXT.clone();
        tampered[64] ^= 1;
        assertThatThrownBy(() -> CachingSha2Password.decryptFull(key, tampered, SCRAMBLE))
                .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void aPasswordTooLongForTheKeyIsRefusedWithoutShowingIt() throws Exception {
        PublicKey pub = CachingSha2Password.parsePublicKeyPem(TEST_PUBLIC_PEM);
        String longPassword = "p".repeat(86);         // 86 + NUL > 128 - 42
        assertThatThrownBy(() -> CachingSha2Password.encryptFull(pub, longPassword, SCRAMBLE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1024-bit")
                .hasMessageNotContaining("ppp");
        assertThat(CachingSha2Password.encryptFull(pub, "p".repeat(85), SCRAMBLE)).hasSize(128);
    }

    @Test
    void publicKeyPemRoundTripsByteForByte() throws Exception {
        PublicKey pub = CachingSha2Password.parsePublicKeyPem(TEST_PUBLIC_PEM);
        assertThat(CachingSha2Password.publicKeyPem(pub)).isEqualTo(TEST_PUBLIC_PEM);
        assertThatThrownBy(() -> CachingSha2Password.parsePublicKeyPem("-----BEGIN RSA PUBLIC KEY-----\nAA==\n"))
                .isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> CachingSha2Password.parsePublicKeyPem(
                "-----BEGIN PUBLIC KEY-----\n!!\n-----END PUBLIC KEY-----\n"))
                .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void statusBytesAndStoredForm() {
        assertThat(CachingSha2Password.REQUEST_PUBLIC_KEY).isEqualTo(0x02);
        assertThat(CachingSha2Password.FAST_AUTH_SUCCESS).isEqualTo(0x03);
        assertThat(CachingSha2Password.PERFORM_FULL_AUTHENTICATION).isEqualTo(0x04);
        assertThat(CachingSha2Password.parseHash(SECRET_HASH.toLowerCase().replace("sha256d", "sha256d")))
                .hasSize(32);
        for (String bad : new String[] {NativePasswordTest.SECRET_HASH, "sha256d:3881", SECRET_HASH.substring(8),
                "SHA256D:3881219D087DD9C634373FD33DFA33A2CB6BFC6C520B64B8BB60EF2CEB534AE7"}) {
            assertThatThrownBy(() -> CachingSha2Password.parseHash(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageNotContaining(bad);
        }
    }
}
