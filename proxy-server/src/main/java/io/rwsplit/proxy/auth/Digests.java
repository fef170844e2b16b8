package io.rwsplit.proxy.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hashing, XOR and comparison shared by the password plugins. */
final class Digests {

    private Digests() {
    }

    static MessageDigest sha1() {
        return digest("SHA-1");
    }

    static MessageDigest sha256() {
        return digest("SHA-256");
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-1 and SHA-256 (MessageDigest's javadoc).
            throw new IllegalStateException(algorithm + " is missing from this JVM", e);
        }
    }

    /** a XOR b, both the same length. */
    static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    /**
     * Compares in time that depends on the lengths only, so a mismatch does not tell an attacker
     * how many leading bytes were right.
     */
    static boolean constantTimeEquals(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    /** "*" + hex digits (either case) as bytes, or {@code null} when the text is not of that form. */
    static byte[] parseStarHex(String text, String prefix, int bytes) {
        if (text == null || text.length() != prefix.length() + 2 * bytes || !text.startsWith(prefix)) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(text, prefix.length(), text.length());
        } catch (IllegalArgumentException notHex) {
            return null;
        }
    }

    static String upperHex(byte[] bytes) {
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }
}
