package io.rwsplit.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.rwsplit.proxy.codec.MalformedPacketException;
import io.rwsplit.proxy.codec.Wire;

/**
 * EOF_Packet: ends the column definitions and the rows of a result set when CLIENT_DEPRECATE_EOF
 * is off (with it, an {@link OkPacket} with header 0xFE ends the rows and nothing ends the columns).
 *
 * <pre>
 * int&lt;1&gt; 0xFE
 * int&lt;2&gt; warnings     } if PROTOCOL_41 (5 bytes in all; a bare 0xFE before 4.1)
 * int&lt;2&gt; status flags }
 * </pre>
 *
 * A 0xFE byte also starts an 8-byte length-encoded integer, so a payload is an EOF packet only
 * when it is shorter than 9 bytes (dev.mysql.com "EOF_Packet"); see {@link PacketKind}.
 */
public final class EofPacket {

    public static final int HEADER = 0xFE;
    /** Anything this long or longer that starts with 0xFE is not an EOF packet. */
    public static final int MAX_LENGTH_EXCLUSIVE = 9;
    private static final int LENGTH_41 = 5;

    private final int warnings;
    private final int statusFlags;

    public EofPacket(int warnings, int statusFlags) {
        this.warnings = warnings & 0xFFFF;
        this.statusFlags = statusFlags & 0xFFFF;
    }

    /** Reads the 4.1 form, or the bare pre-4.1 0xFE (warnings and status then 0). */
    public static EofPacket decode(ByteBuf payload) throws MalformedPacketException {
        int length = payload.readableBytes();
        if (length >= MAX_LENGTH_EXCLUSIVE) {
            throw new MalformedPacketException(length + " bytes are too many for an EOF packet");
        }
        Wire.need(payload, 1, "EOF header");
        int header = payload.readUnsignedByte();
        if (header != HEADER) {
            throw new MalformedPacketException(String.format("0x%02X does not start an EOF packet", header));
        }
        if (length == 1) {
            return new EofPacket(0, 0);
        }
        Wire.need(payload, LENGTH_41 - 1, "EOF warnings and status");
        int warnings = payload.readUnsignedShortLE();
        return new EofPacket(warnings, payload.readUnsignedShortLE());
    }

    /** Writes the 4.1 form. */
    public void writeTo(ByteBuf out) {
        out.writeByte(HEADER);
        out.writeShortLE(warnings);
        out.writeShortLE(statusFlags);
    }

    public int warnings() {
        return warnings;
    }

    public int statusFlags() {
        return statusFlags;
    }

    @Override
    public String toString() {
        return "EofPacket(warnings=" + warnings + ", status=" + ServerStatus.describe(statusFlags) + ")";
    }
}
