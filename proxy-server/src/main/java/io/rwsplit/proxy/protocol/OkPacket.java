package io.rwsplit.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.rwsplit.proxy.codec.MalformedPacketException;
import io.rwsplit.proxy.codec.Wire;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * OK_Packet: a command succeeded; with CLIENT_DEPRECATE_EOF, also the end of a result set (then
 * its header is 0xFE, see {@link PacketKind}).
 *
 * <pre>
 * int&lt;1&gt;      header: 0x00, or 0xFE when it ends a result set
 * int&lt;lenenc&gt; affected rows
 * int&lt;lenenc&gt; last insert id
 * int&lt;2&gt;      status flags          } if PROTOCOL_41
 * int&lt;2&gt;      warnings              }   (else only status flags, if TRANSACTIONS)
 * if SESSION_TRACK:
 *   string&lt;lenenc&gt; info, if SESSION_STATE_CHANGED or bytes remain
 *   string&lt;lenenc&gt; session state changes, if SESSION_STATE_CHANGED
 * else:
 *   string&lt;lenenc&gt; info, if bytes remain
 * </pre>
 *
 * <p>On the info without SESSION_TRACK: dev.mysql.com's OK_Packet page calls it string&lt;EOF&gt;,
 * but both servers write a length-encoded string ({@code net_send_ok} uses {@code net_store_data})
 * and libmysqlclient's {@code read_ok_ex} and MariaDB's OK_Packet page read it as one. So it is
 * read as lenenc here, falling back to the rest of the packet when the length does not fit, which
 * keeps a true string&lt;EOF&gt; whole.
 *
 * <p>Decoding and encoding need the capabilities both sides agreed on; pass them in.
 */
public final class OkPacket {

    public static final int HEADER = 0x00;
    /** The header of an OK packet that ends a result set under CLIENT_DEPRECATE_EOF. */
    public static final int EOF_HEADER = 0xFE;

    private final int header;
    private final long affectedRows;
    private final long lastInsertId;
    private final int statusFlags;
    private final int warnings;
    private final String info;
    private final List<SessionStateChange> sessionStateChanges;

    /**
     * @param sessionStateChanges written only when {@code statusFlags} has SESSION_STATE_CHANGED
     *     and the peer has CLIENT_SESSION_TRACK
     */
    public OkPacket(int header, long affectedRows, long lastInsertId, int statusFlags, int warnings, String info,
            List<SessionStateChange> sessionStateChanges) {
        if (header != HEADER && header != EOF_HEADER) {
            throw new IllegalArgumentException(String.format("an OK packet's header is 0x00 or 0xFE, not 0x%02X",
                    header));
        }
        this.header = header;
        this.affectedRows = affectedRows;
        this.lastInsertId = lastInsertId;
        this.statusFlags = statusFlags & 0xFFFF;
        this.warnings = warnings & 0xFFFF;
        this.info = info == null ? "" : info;
        this.sessionStateChanges = List.copyOf(sessionStateChanges);
    }

    /** A plain OK (header 0x00) without info or session state. */
    public static OkPacket of(long affectedRows, long lastInsertId, int statusFlags, int warnings) {
        return new OkPacket(HEADER, affectedRows, lastInsertId, statusFlags, warnings, "", List.of());
    }

    /** The OK that ends a result set under CLIENT_DEPRECATE_EOF (header 0xFE). */
    public static OkPacket endOfResultSet(int statusFlags, int warnings) {
        return new OkPacket(EOF_HEADER, 0, 0, statusFlags, warnings, "", List.of());
    }

    /** @param capabilities the capabilities both sides agreed on */
    public static OkPacket decode(ByteBuf payload, long capabilities) throws MalformedPacketException {
        Wire.need(payload, 1, "OK header");
        int header = payload.readUnsignedByte();
        if (header != HEADER && header != EOF_HEADER) {
            throw new MalformedPacketException(String.format("0x%02X does not start an OK packet", header));
        }
        long affected = Wire.readLenencInt(payload);
        long insertId = Wire.readLenencInt(payload);
        int status = 0;
        int warnings = 0;
        if (Capabilities.has(capabilities, Capabilities.CLIENT_PROTOCOL_41)) {
            Wire.need(payload, 4, "OK status and warnings");
            status = payload.readUnsignedShortLE();
            warnings = payload.readUnsignedShortLE();
        } else if (Capabilities.has(capabilities, Capabilities.CLIENT_TRANSACTIONS)) {
            Wire.need(payload, 2, "OK status");
            status = payload.readUnsignedShortLE();
        }
        String info = "";
        List<SessionStateChange> changes = List.of();
        boolean stateChanged = ServerStatus.has(status, ServerStatus.SESSION_STATE_CHANGED);
        if (Capabilities.has(capabilities, Capabilities.CLIENT_SESSION_TRACK)) {
            if (stateChanged || payload.isReadable()) {
                info = Wire.readLenencString(payload);
            }
            if (stateChanged) {
                long n = Wire.readLenencInt(payload);
                if (n < 0 || n > payload.readableBytes()) {
                    throw new MalformedPacketException("session state of " + n + " bytes with only "
                            + payload.readableBytes() + " left");
                }
                changes = SessionStateChange.decodeAll(payload.readSlice((int) n));
            }
        } else if (payload.isReadable()) {
            info = readInfo(payload);
        }
        return new OkPacket(header, affected, insertId, status, warnings, info, changes);
    }

    /** A lenenc string as servers write it, or string&lt;EOF&gt; as the MySQL docs describe it. */
    private static String readInfo(ByteBuf payload) {
        int start = payload.readerIndex();
        try {
            String info = Wire.readLenencString(payload);
            if (!payload.isReadable()) {
                return info;
            }
        } catch (MalformedPacketException notLenenc) {
            // fall through: the length did not fit, so the rest is the message itself
        }
        payload.readerIndex(start);
        return Wire.readRest(payload, StandardCharsets.UTF_8);
    }

    /** @param capabilities the capabilities both sides agreed on */
    public void writeTo(ByteBuf out, long capabilities) {
        out.writeByte(header);
        Wire.writeLenencInt(out, affectedRows);
        Wire.writeLenencInt(out, lastInsertId);
        if (Capabilities.has(capabilities, Capabilities.CLIENT_PROTOCOL_41)) {
            out.writeShortLE(statusFlags);
            out.writeShortLE(warnings);
        } else if (Capabilities.has(capabilities, Capabilities.CLIENT_TRANSACTIONS)) {
            out.writeShortLE(statusFlags);
        }
        boolean stateChanged = ServerStatus.has(statusFlags, ServerStatus.SESSION_STATE_CHANGED);
        if (Capabilities.has(capabilities, Capabilities.CLIENT_SESSION_TRACK)) {
            if (stateChanged || !info.isEmpty()) {
                Wire.writeLenencString(out, info);
            }
            if (stateChanged) {
                ByteBuf block = out.alloc().heapBuffer();
                try {
                    sessionStateChanges.forEach(c -> c.writeTo(block));
                    Wire.writeLenencInt(out, block.readableBytes());
                    out.writeBytes(block);
                } finally {
                    block.release();
                }
            }
        } else if (!info.isEmpty()) {
            Wire.writeLenencString(out, info);
        }
    }

    /** 0x00, or 0xFE for the OK that ends a result set. */
    public int header() {
        return header;
    }

    /** Unsigned 64-bit. */
    public long affectedRows() {
        return affectedRows;
    }

    /** Unsigned 64-bit. */
    public long lastInsertId() {
        return lastInsertId;
    }

    public int statusFlags() {
        return statusFlags;
    }

    public int warnings() {
        return warnings;
    }

    /** Human-readable information ("Rows matched: 1  Changed: 1  Warnings: 0"); "" if none. */
    public String info() {
        return info;
    }

    public List<SessionStateChange> sessionStateChanges() {
        return sessionStateChanges;
    }

    @Override
    public String toString() {
        return "OkPacket(" + (header == EOF_HEADER ? "0xFE, " : "") + "affected=" + Long.toUnsignedString(affectedRows)
                + ", insertId=" + Long.toUnsignedString(lastInsertId) + ", status="
                + ServerStatus.describe(statusFlags) + ", warnings=" + warnings
                + (info.isEmpty() ? "" : ", info=" + info)
                + (sessionStateChanges.isEmpty() ? "" : ", changes=" + sessionStateChanges) + ")";
    }
}
