package io.rwsplit.proxy.protocol;

import java.util.List;

/**
 * Server status flags ({@code int<2>}) of OK and EOF packets and of the greeting. The proxy reads
 * them to follow the backend's transaction state and to know whether more results follow.
 * Values: MySQL's {@code SERVER_STATUS_flags_enum}; {@link #ANSI_QUOTES} is MariaDB's.
 */
public final class ServerStatus {

    /** A multi-statement transaction is open (BEGIN, or the first statement with autocommit off). */
    public static final int IN_TRANS = 1;
    public static final int AUTOCOMMIT = 1 << 1;
    /** Another result (of a multi-statement or a stored procedure) follows this one. */
    public static final int MORE_RESULTS_EXISTS = 1 << 3;
    public static final int QUERY_NO_GOOD_INDEX_USED = 1 << 4;
    public static final int QUERY_NO_INDEX_USED = 1 << 5;
    /** COM_STMT_EXECUTE opened a cursor: rows come with COM_STMT_FETCH. */
    public static final int CURSOR_EXISTS = 1 << 6;
    /** The cursor is exhausted (reply to COM_STMT_FETCH). */
    public static final int LAST_ROW_SENT = 1 << 7;
    public static final int DB_DROPPED = 1 << 8;
    public static final int NO_BACKSLASH_ESCAPES = 1 << 9;
    public static final int METADATA_CHANGED = 1 << 10;
    public static final int QUERY_WAS_SLOW = 1 << 11;
    /** This result set carries a procedure's OUT parameters. */
    public static final int PS_OUT_PARAMS = 1 << 12;
    /** Set with {@link #IN_TRANS} when the open transaction is read-only. */
    public static final int IN_TRANS_READONLY = 1 << 13;
    /** The OK packet carries session state changes (with CLIENT_SESSION_TRACK). */
    public static final int SESSION_STATE_CHANGED = 1 << 14;
    /** MariaDB: sql_mode has ANSI_QUOTES. */
    public static final int ANSI_QUOTES = 1 << 15;

    private static final List<String> NAMES = List.of(
            "IN_TRANS", "AUTOCOMMIT", "", "MORE_RESULTS_EXISTS",
            "QUERY_NO_GOOD_INDEX_USED", "QUERY_NO_INDEX_USED", "CURSOR_EXISTS", "LAST_ROW_SENT",
            "DB_DROPPED", "NO_BACKSLASH_ESCAPES", "METADATA_CHANGED", "QUERY_WAS_SLOW",
            "PS_OUT_PARAMS", "IN_TRANS_READONLY", "SESSION_STATE_CHANGED", "ANSI_QUOTES");

    private ServerStatus() {
    }

    public static boolean has(int status, int flag) {
        return (status & flag) == flag;
    }

    /** The set flags by name, for logs: {@code "IN_TRANS|AUTOCOMMIT"}; unnamed bits in hex; none is "0". */
    public static String describe(int status) {
        if (status == 0) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        int unknown = 0;
        for (int bit = 0; bit < 32; bit++) {
            int flag = 1 << bit;
            if ((status & flag) == 0) {
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
            sb.append(sb.length() == 0 ? "" : "|").append("0x").append(Integer.toHexString(unknown));
        }
        return sb.toString();
    }
}
