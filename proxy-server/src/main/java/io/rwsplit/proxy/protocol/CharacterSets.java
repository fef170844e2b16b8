package io.rwsplit.proxy.protocol;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The few collations the proxy meets in handshakes: the 1-byte "character set" of the greeting
 * and the handshake response is a collation id. Deliberately small; anything else is unknown and
 * treated as UTF-8 text by callers that must decode names.
 */
public final class CharacterSets {

    /** latin1_swedish_ci: MySQL's latin1 is Windows-1252, not ISO-8859-1. */
    public static final int LATIN1_SWEDISH_CI = 8;
    /** utf8mb3_general_ci (called utf8_general_ci before MySQL 8.0.30 / MariaDB 10.6). */
    public static final int UTF8MB3_GENERAL_CI = 33;
    /** utf8mb4_general_ci: present in MySQL and MariaDB alike, so the proxy's greeting uses it. */
    public static final int UTF8MB4_GENERAL_CI = 45;
    public static final int UTF8MB4_BIN = 46;
    public static final int BINARY = 63;
    public static final int UTF8MB4_UNICODE_CI = 224;
    /** utf8mb4_0900_ai_ci: MySQL 8's default; MariaDB does not have it. */
    public static final int UTF8MB4_0900_AI_CI = 255;

    private static final Map<Integer, String> CHARSET_BY_COLLATION = Map.of(
            LATIN1_SWEDISH_CI, "latin1",
            UTF8MB3_GENERAL_CI, "utf8mb3",
            UTF8MB4_GENERAL_CI, "utf8mb4",
            UTF8MB4_BIN, "utf8mb4",
            BINARY, "binary",
            UTF8MB4_UNICODE_CI, "utf8mb4",
            UTF8MB4_0900_AI_CI, "utf8mb4");

    /** Each charset's collation as the proxy announces it; "utf8" is MySQL's alias of utf8mb3. */
    private static final Map<String, Integer> COLLATION_BY_CHARSET = Map.of(
            "latin1", LATIN1_SWEDISH_CI,
            "utf8", UTF8MB3_GENERAL_CI,
            "utf8mb3", UTF8MB3_GENERAL_CI,
            "utf8mb4", UTF8MB4_GENERAL_CI,
            "binary", BINARY);

    private CharacterSets() {
    }

    /** The MySQL character set name of a collation id, or {@code null} if unknown here. */
    public static String charsetName(int collationId) {
        return CHARSET_BY_COLLATION.get(collationId);
    }

    /** The collation id the proxy uses for a character set name (case-insensitive), or -1. */
    public static int collationId(String charsetName) {
        Integer id = COLLATION_BY_CHARSET.get(charsetName.toLowerCase(Locale.ROOT));
        return id == null ? -1 : id;
    }

    /** The Java charset to decode text sent under a collation; UTF-8 for unknown ids. */
    public static Charset javaCharset(int collationId) {
        String name = charsetName(collationId);
        if ("latin1".equals(name)) {
            return Charset.forName("windows-1252");
        }
        if ("binary".equals(name)) {
            return StandardCharsets.ISO_8859_1;
        }
        return StandardCharsets.UTF_8;
    }
}
