package io.rwsplit.proxy.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * mysql_native_password: the client proves it knows the password by sending
 * {@code SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password)))} (20 bytes; nothing for an
 * empty password). The server needs only {@code SHA1(SHA1(password))} to check it: it recovers
 * the candidate {@code SHA1(password)} by XOR and compares its SHA-1 with what it stored.
 *
 * <p>Stored form: {@code "*"} + 40 uppercase hex digits of SHA1(SHA1(password)), exactly what
 * {@code mysql.user.authentication_string} holds for this plugin (and what MySQL 5.x's
 * PASSWORD() returned), so a hash can be copied from a server; "" means no password. The proxy
 * stores these instead of passwords. They are secrets all the same: unsalted, so open to
 * dictionary attacks, and together with one sniffed handshake they let anyone log in.
 *
 * <p>Passwords are hashed as UTF-8 bytes, as the common connectors send them.
 * Source: dev.mysql.com "Native Authentication"; MySQL's sql/auth/password.cc (scramble,
 * check_scramble).
 */
public final class NativePassword {

    public static final String PLUGIN_NAME = "mysql_native_password";
    private static final String PREFIX = "*";
    private static final int SHA1_LENGTH = 20;

    private NativePassword() {
    }

    /** The client's auth response for {@code password} and the server's 20-byte scramble. */
    public static byte[] token(String password, byte[] scramble) {
        requireScramble(scramble);
        if (password.isEmpty()) {
            return new byte[0];
        }
        MessageDigest sha1 = Digests.sha1();
        byte[] stage1 = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
        byte[] stage2 = sha1.digest(stage1);
        sha1.update(scramble);
        byte[] mask = sha1.digest(stage2);
        return Digests.xor(stage1, mask);
    }

    /** The stored form of {@code password}: "*" + 40 hex digits, or "" for no password. */
    public static String hashOf(String password) {
        if (password.isEmpty()) {
            return "";
        }
        MessageDigest sha1 = Digests.sha1();
        return PREFIX + Digests.upperHex(sha1.digest(sha1.digest(password.getBytes(StandardCharsets.UTF_8))));
    }

    /**
     * SHA1(SHA1(password)) from its stored form ("" gives an empty array: no password).
     *
     * @throws IllegalArgumentException if it is not of that form; the message does not repeat it
     */
    public static byte[] parseHash(String stored) {
        if (stored.isEmpty()) {
            return new byte[0];
        }
        byte[] hash = Digests.parseStarHex(stored, PREFIX, SHA1_LENGTH);
        if (hash == null) {
            throw new IllegalArgumentException("not a mysql_native_password hash: expected '*' and 40 hex digits");
        }
        return hash;
    }

    /**
     * Whether {@code token} (the client's auth response) proves the password behind
     * {@code storedHash} (from {@link #parseHash}) for this {@code scramble}. An account without a
     * password accepts only an empty token.
     */
    public static boolean verify(byte[] token, byte[] scramble, byte[] storedHash) {
        requireScramble(scramble);
        if (storedHash.length == 0) {
            return token.length == 0;
        }
        if (token.length != SHA1_LENGTH || storedHash.length != SHA1_LENGTH) {
            return false;
        }
        MessageDigest sha1 = Digests.sha1();
        sha1.update(scramble);
        byte[] candidate = Digests.xor(token, sha1.digest(storedHash));
        return Digests.constantTimeEquals(sha1.digest(candidate), storedHash);
    }

    private static void requireScramble(byte[] scramble) {
        if (scramble.length != Scramble.LENGTH) {
            throw new IllegalArgumentException("mysql_native_password needs a 20-byte scramble, not "
                    + scramble.length + " (strip the NUL servers append)");
        }
    }
}
