package io.rwsplit.proxy.protocol;

import java.util.List;

/**
 * Capability flags, as both sides announce them in the handshake; a feature is on only when both
 * set its bit. Held in a {@code long}: bits 0-31 are MySQL's {@code int<4>} flags, bits 32-63
 * MariaDB's extended capabilities, which travel in the last 4 of the handshake's reserved bytes
 * and only when {@link #CLIENT_MYSQL} is clear (that is how a MariaDB peer says they are there).
 *
 * <p>Values: MySQL's {@code include/mysql_com.h} (Capabilities Flags group) and MariaDB
 * Connector/C's {@code include/mariadb_com.h}.
 */
public final class Capabilities {

    /** "Use the improved version of Old Password Authentication": assumed since 4.1.1. */
    public static final long CLIENT_LONG_PASSWORD = 1L;
    /**
     * MariaDB's name for bit 0. A MariaDB server or client clears it to say "I am not plain MySQL:
     * my extended capabilities are in the reserved bytes".
     */
    public static final long CLIENT_MYSQL = CLIENT_LONG_PASSWORD;
    /** Affected rows report found rows instead of changed rows. */
    public static final long CLIENT_FOUND_ROWS = 1L << 1;
    public static final long CLIENT_LONG_FLAG = 1L << 2;
    /** The handshake response carries an initial schema. */
    public static final long CLIENT_CONNECT_WITH_DB = 1L << 3;
    public static final long CLIENT_NO_SCHEMA = 1L << 4;
    public static final long CLIENT_COMPRESS = 1L << 5;
    public static final long CLIENT_ODBC = 1L << 6;
    /** The client handles LOAD DATA LOCAL INFILE requests (a 0xFB response). */
    public static final long CLIENT_LOCAL_FILES = 1L << 7;
    public static final long CLIENT_IGNORE_SPACE = 1L << 8;
    /** The 4.1 protocol: warnings and SQLSTATE in OK, EOF and ERR packets. The proxy requires it. */
    public static final long CLIENT_PROTOCOL_41 = 1L << 9;
    public static final long CLIENT_INTERACTIVE = 1L << 10;
    /** TLS: the client sends an SSLRequest, upgrades the connection, then the full response. */
    public static final long CLIENT_SSL = 1L << 11;
    public static final long CLIENT_IGNORE_SIGPIPE = 1L << 12;
    /** Status flags in OK and EOF packets. */
    public static final long CLIENT_TRANSACTIONS = 1L << 13;
    public static final long CLIENT_RESERVED = 1L << 14;
    /** 4.1 authentication: the auth response is length-prefixed (MySQL calls the bit RESERVED2). */
    public static final long CLIENT_SECURE_CONNECTION = 1L << 15;
    public static final long CLIENT_MULTI_STATEMENTS = 1L << 16;
    public static final long CLIENT_MULTI_RESULTS = 1L << 17;
    public static final long CLIENT_PS_MULTI_RESULTS = 1L << 18;
    /** Pluggable authentication: plugin names in the handshake, AuthSwitchRequest. */
    public static final long CLIENT_PLUGIN_AUTH = 1L << 19;
    /** Connection attributes at the end of the handshake response. */
    public static final long CLIENT_CONNECT_ATTRS = 1L << 20;
    /** The auth response in the handshake response is a length-encoded string (may exceed 255). */
    public static final long CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 1L << 21;
    public static final long CLIENT_CAN_HANDLE_EXPIRED_PASSWORDS = 1L << 22;
    /** OK packets may carry session state changes (schema, variables, transaction state). */
    public static final long CLIENT_SESSION_TRACK = 1L << 23;
    /** Result sets end with an OK packet (header 0xFE) instead of an EOF packet. */
    public static final long CLIENT_DEPRECATE_EOF = 1L << 24;
    public static final long CLIENT_OPTIONAL_RESULTSET_METADATA = 1L << 25;
    public static final long CLIENT_ZSTD_COMPRESSION_ALGORITHM = 1L << 26;
    /** COM_QUERY and COM_STMT_EXECUTE carry query attributes (changes their layout). */
    public static final long CLIENT_QUERY_ATTRIBUTES = 1L << 27;
    public static final long CLIENT_MULTI_FACTOR_AUTHENTICATION = 1L << 28;
    /** MySQL: reserved for extending the flags. MariaDB used the bit for CLIENT_PROGRESS (obsolete). */
    public static final long CLIENT_CAPABILITY_EXTENSION = 1L << 29;
    public static final long CLIENT_SSL_VERIFY_SERVER_CERT = 1L << 30;
    public static final long CLIENT_REMEMBER_OPTIONS = 1L << 31;

    /** MariaDB: progress reports, sent as ERR packets with errno 0xFFFF. */
    public static final long MARIADB_CLIENT_PROGRESS = 1L << 32;
    /** MariaDB: COM_MULTI (removed; the bit is reserved). */
    public static final long MARIADB_CLIENT_COM_MULTI = 1L << 33;
    /** MariaDB: COM_STMT_BULK_EXECUTE. */
    public static final long MARIADB_CLIENT_STMT_BULK_OPERATIONS = 1L << 34;
    /** MariaDB 10.5+: extended type information in column definitions (changes their layout). */
    public static final long MARIADB_CLIENT_EXTENDED_METADATA = 1L << 35;
    /** MariaDB 10.6+: prepared statement metadata may be skipped (changes the result layout). */
    public static final long MARIADB_CLIENT_CACHE_METADATA = 1L << 36;
    /** MariaDB 11.5+: one result per bulk operation. */
    public static final long MARIADB_CLIENT_BULK_UNIT_RESULTS = 1L << 37;

    /** The bits that only travel in MariaDB's extended field. */
    public static final long MARIADB_EXTENDED_MASK = 0xFFFF_FFFF_0000_0000L;

    /** Names by bit number, for {@link #describe}; "" where no flag is defined. */
    private static final List<String> NAMES = List.of(
            "LONG_PASSWORD", "FOUND_ROWS", "LONG_FLAG", "CONNECT_WITH_DB",
            "NO_SCHEMA", "COMPRESS", "ODBC", "LOCAL_FILES",
            "IGNORE_SPACE", "PROTOCOL_41", "INTERACTIVE", "SSL",
            "IGNORE_SIGPIPE", "TRANSACTIONS", "RESERVED", "SECURE_CONNECTION",
            "MULTI_STATEMENTS", "MULTI_RESULTS", "PS_MULTI_RESULTS", "PLUGIN_AUTH",
            "CONNECT_ATTRS", "PLUGIN_AUTH_LENENC_CLIENT_DATA", "CAN_HANDLE_EXPIRED_PASSWORDS", "SESSION_TRACK",
            "DEPRECATE_EOF", "OPTIONAL_RESULTSET_METADATA", "ZSTD_COMPRESSION_ALGORITHM", "QUERY_ATTRIBUTES",
            "MULTI_FACTOR_AUTHENTICATION", "CAPABILITY_EXTENSION", "SSL_VERIFY_SERVER_CERT", "REMEMBER_OPTIONS",
            "MARIADB_PROGRESS", "MARIADB_COM_MULTI", "MARIADB_STMT_BULK_OPERATIONS", "MARIADB_EXTENDED_METADATA",
            "MARIADB_CACHE_METADATA", "MARIADB_BULK_UNIT_RESULTS");

    private Capabilities() {
    }

    /** Whether every bit of {@code flag} is set in {@code capabilities}. */
    public static boolean has(long capabilities, long flag) {
        return (capabilities & flag) == flag;
    }

    /**
     * The set flags by name, for logs: {@code "PROTOCOL_41|TRANSACTIONS|0x4000000000"}; bits
     * without a name appear in hex at the end; no flag at all is {@code "0"}.
     */
    public static String describe(long capabilities) {
        if (capabilities == 0) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        long unknown = 0;
        for (int bit = 0; bit < 64; bit++) {
            long flag = 1L << bit;
            if ((capabilities & flag) == 0) {
                continue;
            }
            String name = bit < NAMES.size() ? NAMES.get(bit) : "";
            if (name.isEmpty()) {
                unknown |= flag;
            } else {
                sb.append(sb.length() == 0 ? "" : "|").append(name);
            }
        }
        if (unknown != 0) {
            sb.append(sb.length() == 0 ? "" : "|").append("0x").append(Long.toHexString(unknown));
        }
        return sb.toString();
    }
}
