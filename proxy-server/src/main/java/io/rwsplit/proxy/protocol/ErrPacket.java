package io.rwsplit.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.rwsplit.proxy.codec.MalformedPacketException;
import io.rwsplit.proxy.codec.Wire;
import java.nio.charset.StandardCharsets;

/**
 * ERR_Packet: a command failed, or the connection is refused.
 *
 * <pre>
 * int&lt;1&gt;     0xFF
 * int&lt;2&gt;     error code (errno)
 * string[1]  '#'                  } if PROTOCOL_41
 * string[5]  SQLSTATE             }
 * string&lt;EOF&gt; message
 * </pre>
 *
 * Decoding looks for the '#' rather than taking capabilities, as libmysqlclient does: a server
 * refusing a connection before the handshake ("Too many connections", "Host is blocked") writes
 * no SQLSTATE, and the SQLSTATE is then "HY000". MariaDB sends progress reports as ERR packets
 * with errno 0xFFFF, but only to clients with MARIADB_CLIENT_PROGRESS, which the proxy never
 * asks a backend for.
 */
public final class ErrPacket {

    public static final int HEADER = 0xFF;
    /** The SQLSTATE of an error that has none ("general error"). */
    public static final String UNKNOWN_SQLSTATE = "HY000";
    private static final int SQLSTATE_LENGTH = 5;

    private final int errorCode;
    private final String sqlState;
    private final String message;

    private ErrPacket(int errorCode, String sqlState, String message) {
        this.errorCode = errorCode;
        this.sqlState = sqlState;
        this.message = message;
    }

    /**
     * @param errorCode 0-65535, e.g. 1045 for access denied
     * @param sqlState exactly 5 ASCII letters or digits, e.g. "28000"
     */
    public static ErrPacket of(int errorCode, String sqlState, String message) {
        if (errorCode < 0 || errorCode > 0xFFFF) {
            throw new IllegalArgumentException("an error code fits 2 unsigned bytes: " + errorCode);
        }
        if (sqlState.length() != SQLSTATE_LENGTH || !sqlState.chars().allMatch(c -> c < 128
                && Character.isLetterOrDigit(c))) {
            throw new IllegalArgumentException("a SQLSTATE is 5 ASCII letters or digits: '" + sqlState + "'");
        }
        return new ErrPacket(errorCode, sqlState, message);
    }

    public static ErrPacket decode(ByteBuf payload) throws MalformedPacketException {
        Wire.need(payload, 3, "ERR header and code");
        int header = payload.readUnsignedByte();
        if (header != HEADER) {
            throw new MalformedPacketException(String.format("0x%02X does not start an ERR packet", header));
        }
        int code = payload.readUnsignedShortLE();
        String state = UNKNOWN_SQLSTATE;
        if (payload.readableBytes() >= 1 + SQLSTATE_LENGTH && payload.getByte(payload.readerIndex()) == '#') {
            payload.skipBytes(1);
            state = payload.readCharSequence(SQLSTATE_LENGTH, StandardCharsets.US_ASCII).toString();
        }
        return new ErrPacket(code, state, Wire.readRest(payload, StandardCharsets.UTF_8));
    }

    /** Writes the 4.1 form, with SQLSTATE: every client the proxy accepts speaks PROTOCOL_41. */
    public void writeTo(ByteBuf out) {
        writeTo(out, Capabilities.CLIENT_PROTOCOL_41);
    }

    /** Without PROTOCOL_41 in {@code capabilities} (before the handshake, say) the SQLSTATE is left out. */
    public void writeTo(ByteBuf out, long capabilities) {
        out.writeByte(HEADER);
        out.writeShortLE(errorCode);
        if (Capabilities.has(capabilities, Capabilities.CLIENT_PROTOCOL_41)) {
            out.writeByte('#');
            out.writeCharSequence(sqlState, StandardCharsets.US_ASCII);
        }
        out.writeCharSequence(message, StandardCharsets.UTF_8);
    }

    public int errorCode() {
        return errorCode;
    }

    public String sqlState() {
        return sqlState;
    }

    public String message() {
        return message;
    }

    @Override
    public String toString() {
        return "ErrPacket(" + errorCode + " (" + sqlState + "): " + message + ")";
    }
}
