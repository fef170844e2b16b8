package io.rwsplit.proxy.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * caching_sha2_password, MySQL 8's default plugin. Two paths (dev.mysql.com "Caching_sha2_password
 * information"; MySQL's sql/auth/sha2_password.cc):
 *
 * <ol>
 * <li><b>Fast</b>: the client sends {@code XOR(SHA256(password), SHA256(SHA256(SHA256(password)) +
 *     scramble))} (32 bytes). A server that holds {@code SHA256(SHA256(password))} recovers the
 *     candidate SHA256(password) by XOR and compares its SHA-256 with what it holds, then answers
 *     AuthMoreData {@link #FAST_AUTH_SUCCESS} and OK, or {@link #PERFORM_FULL_AUTHENTICATION}.</li>
 * <li><b>Full</b>: the client then sends the password itself: in clear with a trailing NUL over
 *     TLS, else RSA-encrypted with the server's public key. For RSA, it XORs (password + NUL)
 *     with the scramble, repeated as needed, and encrypts that with OAEP padding (OpenSSL's
 *     RSA_PKCS1_OAEP_PADDING: SHA-1 and MGF1 with SHA-1, Java's
 *     "RSA/ECB/OAEPWithSHA-1AndMGF1Padding"; servers before 8.0.5 used PKCS#1 v1.5, which this
 *     class does not do). A client without the key first sends the single byte
 *     {@link #REQUEST_PUBLIC_KEY} and gets the PEM in an AuthMoreData.</li>
 * </ol>
 *
 * <p>Stored form, the proxy's own (MySQL keeps a salted SHA-256 crypt on disk and the double hash
 * only in its memory cache): {@code "sha256d:"} + 64 uppercase hex digits of
 * {@code SHA256(SHA256(password))}; "" means no password. It verifies both paths, so the proxy
 * never needs the password. Like mysql_native_password's hash it is a secret: unsalted, and with
 * one sniffed fast-auth exchange it is enough to log in.
 *
 * <p>Passwords are hashed as UTF-8 bytes. An empty password travels as an empty response (some
 * clients send a single NUL instead; both are accepted).
 */
public final class CachingSha2Password {

    public static final String PLUGIN_NAME = "caching_sha2_password";

    /** Client to server, alone in a packet: "send me your RSA public key". */
    public static final int REQUEST_PUBLIC_KEY = 0x02;
    /** Server to client, in AuthMoreData: the fast check passed; an OK packet follows. */
    public static final int FAST_AUTH_SUCCESS = 0x03;
    /** Server to client, in AuthMoreData: send the whole password (clear over TLS, or RSA). */
    public static final int PERFORM_FULL_AUTHENTICATION = 0x04;

    /** The cipher for the full path, with parameters spelled out so no provider default can differ. */
    public static final String RSA_TRANSFORMATION = "RSA/ECB/OAEPWithSHA-1AndMGF1Padding";
    private static final OAEPParameterSpec OAEP = new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1,
            PSource.PSpecified.DEFAULT);
    /** OAEP with SHA-1 takes 2 * 20 + 2 bytes of the modulus. */
    private static final int OAEP_OVERHEAD = 42;

    private static final String PREFIX = "sha256d:";
    private static final int SHA256_LENGTH = 32;
    private static final String PEM_BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String PEM_END = "-----END PUBLIC KEY-----";

    private CachingSha2Password() {
    }

    /** The client's fast-path auth response for {@code password} and the server's scramble. */
    public static byte[] fastToken(String password, byte[] scramble) {
        requireScramble(scramble);
        if (password.isEmpty()) {
            return new byte[0];
        }
        MessageDigest sha256 = Digests.sha256();
        byte[] stage1 = sha256.digest(password.getBytes(StandardCharsets.UTF_8));
        byte[] stage2 = sha256.digest(stage1);
        sha256.update(stage2);
        byte[] mask = sha256.digest(scramble);
        return Digests.xor(stage1, mask);
    }

    /** The stored form of {@code password}: "sha256d:" + 64 hex digits, or "" for no password. */
    public static String hashOf(String password) {
        if (password.isEmpty()) {
            return "";
        }
        return PREFIX + Digests.upperHex(doubleHash(password.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * SHA256(SHA256(password)) from its stored form ("" gives an empty array: no password).
     *
     * @throws IllegalArgumentException if it is not of that form; the message does not repeat it
     */
    public static byte[] parseHash(String stored) {
        if (stored.isEmpty()) {
            return new byte[0];
        }
        byte[] hash = Digests.parseStarHex(stored, PREFIX, SHA256_LENGTH);
        if (hash == null) {
            throw new IllegalArgumentException("not a caching_sha2_password hash: expected 'sha256d:' and 64 hex "
                    + "digits");
        }
        return hash;
    }

    /** Whether a fast-path {@code token} proves the password behind {@code storedHash}. */
    public static boolean verifyFast(byte[] token, byte[] scramble, byte[] storedHash) {
        requireScramble(scramble);
        if (storedHash.length == 0) {
            return isEmptyPassword(token);
        }
        if (token.length != SHA256_LENGTH || storedHash.length != SHA256_LENGTH) {
            return false;
        }
        MessageDigest sha256 = Digests.sha256();
        sha256.update(storedHash);
        byte[] candidate = Digests.xor(token, sha256.digest(scramble));
        return Digests.constantTimeEquals(sha256.digest(candidate), storedHash);
    }

    /** Whether a password received on the full path (clear, or decrypted) matches {@code storedHash}. */
    public static boolean verifyFull(byte[] password, byte[] storedHash) {
        if (storedHash.length == 0 || password.length == 0) {
            return storedHash.length == 0 && password.length == 0;
        }
        return Digests.constantTimeEquals(doubleHash(password), storedHash);
    }

    /** What a client sends on the full path over TLS: the password and a NUL. */
    public static byte[] clearTextResponse(String password) {
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(pw, pw.length + 1);
    }

    /** The password in a clear-text full-path response: up to its first NUL, as the server reads it. */
    public static byte[] passwordFromClearText(byte[] response) {
        return Arrays.copyOf(response, nulOrEnd(response));
    }

    /**
     * What a client sends on the full path without TLS: (password + NUL) XOR scramble, encrypted
     * with the server's RSA public key.
     *
     * @throws IllegalArgumentException if the password is too long for the key
     * @throws GeneralSecurityException if the key is not an RSA key this JVM can use
     */
    public static byte[] encryptFull(PublicKey serverKey, String password, byte[] scramble)
            throws GeneralSecurityException {
        requireScramble(scramble);
        byte[] plain = clearTextResponse(password);
        try {
            int modulusBytes = modulusBytes(serverKey);
            if (plain.length > modulusBytes - OAEP_OVERHEAD) {
                throw new IllegalArgumentException("the password is too long for a " + modulusBytes * 8
                        + "-bit RSA key");
            }
            xorCyclic(plain, scramble);
            Cipher rsa = Cipher.getInstance(RSA_TRANSFORMATION);
            rsa.init(Cipher.ENCRYPT_MODE, serverKey, OAEP);
            return rsa.doFinal(plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * The password from a full-path RSA response, as the server recovers it: decrypt, XOR with
     * the scramble, cut at the first NUL. Check it with {@link #verifyFull}; zero it after.
     *
     * @throws GeneralSecurityException if the response is not a ciphertext of this key (wrong
     *     length, wrong padding); the message carries no data
     */
    public static byte[] decryptFull(PrivateKey serverKey, byte[] encrypted, byte[] scramble)
            throws GeneralSecurityException {
        requireScramble(scramble);
        if (encrypted.length != modulusBytes(serverKey)) {
            // MySQL refuses a response whose length is not the key's; so does the proxy.
            throw new BadPaddingException("an RSA response of " + encrypted.length + " bytes for a "
                    + modulusBytes(serverKey) * 8 + "-bit key");
        }
        Cipher rsa = Cipher.getInstance(RSA_TRANSFORMATION);
        rsa.init(Cipher.DECRYPT_MODE, serverKey, OAEP);
        byte[] plain = rsa.doFinal(encrypted);
        try {
            xorCyclic(plain, scramble);
            return Arrays.copyOf(plain, nulOrEnd(plain));
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** The public key as the server sends it after {@link #REQUEST_PUBLIC_KEY}: X.509 PEM, 64 columns. */
    public static String publicKeyPem(PublicKey key) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded());
        return PEM_BEGIN + "\n" + body + "\n" + PEM_END + "\n";
    }

    /**
     * An RSA public key from the PEM a server sent ("BEGIN PUBLIC KEY", X.509 SubjectPublicKeyInfo,
     * as MySQL sends it; PKCS#1 "BEGIN RSA PUBLIC KEY" is not read).
     */
    public static PublicKey parsePublicKeyPem(String pem) throws GeneralSecurityException {
        int begin = pem.indexOf(PEM_BEGIN);
        int end = pem.indexOf(PEM_END);
        if (begin < 0 || end < begin) {
            throw new GeneralSecurityException("no '" + PEM_BEGIN + "' block");
        }
        String body = pem.substring(begin + PEM_BEGIN.length(), end).replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder()
                    .decode(body)));
        } catch (IllegalArgumentException notBase64) {
            throw new GeneralSecurityException("the public key PEM is not base64", notBase64);
        }
    }

    private static byte[] doubleHash(byte[] password) {
        MessageDigest sha256 = Digests.sha256();
        return sha256.digest(sha256.digest(password));
    }

    private static boolean isEmptyPassword(byte[] token) {
        return token.length == 0 || token.length == 1 && token[0] == 0;
    }

    private static void xorCyclic(byte[] data, byte[] scramble) {
        for (int i = 0; i < data.length; i++) {
            data[i] ^= scramble[i % scramble.length];
        }
    }

    private static int nulOrEnd(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return bytes.length;
    }

    private static int modulusBytes(Object key) throws GeneralSecurityException {
        if (!(key instanceof RSAKey rsa)) {
            throw new GeneralSecurityException("caching_sha2_password needs an RSA key");
        }
        return (rsa.getModulus().bitLength() + 7) / 8;
    }

    private static void requireScramble(byte[] scramble) {
        if (scramble.length != Scramble.LENGTH) {
            throw new IllegalArgumentException("caching_sha2_password needs a 20-byte scramble, not "
                    + scramble.length + " (strip the NUL servers append)");
        }
    }
}
