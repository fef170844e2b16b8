package io.rwsplit.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.rwsplit.proxy.codec.MalformedPacketException;
import io.rwsplit.proxy.codec.Wire;
import java.util.BitSet;

/**
 * COM_STMT_EXECUTE, checked against the statement it names before any server sees it: a client
 * cannot make a backend connection read past a packet, and the proxy can rewrite the packet (its
 * statement id, the parameter types) knowing where each part is.
 *
 * <pre>
 * int&lt;1&gt;   0x17
 * int&lt;4&gt;   statement id
 * int&lt;1&gt;   flags (cursor type)
 * int&lt;4&gt;   iteration count (always 1)
 * if the statement has parameters:
 *   binary&lt;(n + 7) / 8&gt;  NULL bitmap, bit i for parameter i
 *   int&lt;1&gt;               new-params-bound flag
 *   if the flag is set: n times int&lt;2&gt; type (type, then 0x80 for unsigned)
 *   the value of each parameter that is neither NULL nor sent as long data, in the binary
 *   protocol's encoding for its type: 1, 2, 4 or 8 bytes for numbers, else a length-encoded string
 *   (dates and times too: a 1-byte length, as a length-encoded integer below 251 is)
 * </pre>
 *
 * Without the flag the types are those of the statement's last execute. Bytes after the last
 * value are left alone, as servers leave them. Unknown type codes are read as strings, as MySQL
 * and MariaDB read them. The proxy never offers CLIENT_QUERY_ATTRIBUTES, so the packet has no
 * parameter count or names. Source: dev.mysql.com "COM_STMT_EXECUTE"; mariadb.com
 * "COM_STMT_EXECUTE".
 */
public final class StmtExecute {

    /** Offset of the NULL bitmap: command, statement id, flags, iteration count. */
    public static final int NULL_BITMAP = 10;

    private StmtExecute() {
    }

    /**
     * The parameter types the packet's values are laid out by (its own, or {@code lastTypes}),
     * or {@code null} for a statement without parameters.
     *
     * @param payload   the whole packet, command byte first; not consumed
     * @param params    the statement's parameter count
     * @param lastTypes the types of its last execute, 2 bytes per parameter, or {@code null} before
     *                  the first
     * @param longData  parameters whose value came with COM_STMT_SEND_LONG_DATA
     * @throws MalformedPacketException when the packet does not hold what the statement needs,
     *                                  saying what is missing
     */
    public static byte[] check(ByteBuf payload, int params, byte[] lastTypes, BitSet longData)
            throws MalformedPacketException {
        ByteBuf b = payload.duplicate();
        Wire.need(b, NULL_BITMAP, "COM_STMT_EXECUTE's statement id, flags and iteration count");
        b.skipBytes(NULL_BITMAP);
        if (params == 0) {
            return null;
        }
        int bitmapLength = (params + 7) / 8;
        Wire.need(b, bitmapLength + 1, "the NULL bitmap and new-params-bound flag of " + params + " parameters");
        int bitmapAt = b.readerIndex();
        b.skipBytes(bitmapLength);
        byte[] types;
        if (b.readUnsignedByte() != 0) {
            Wire.need(b, 2 * params, "the types of " + params + " parameters");
            types = new byte[2 * params];
            b.readBytes(types);
        } else if (lastTypes == null) {
            throw new MalformedPacketException("the statement's first execute does not bind the parameter types");
        } else {
            types = lastTypes;
        }
        for (int i = 0; i < params; i++) {
            boolean isNull = (b.getUnsignedByte(bitmapAt + i / 8) & (1 << (i % 8))) != 0;
            if (isNull || longData.get(i)) {
                continue;
            }
            int type = types[2 * i] & 0xFF;
            int fixed = fixedLength(type);
            String what = "the value of parameter " + (i + 1) + " of " + params;
            if (fixed >= 0) {
                Wire.need(b, fixed, what);
                b.skipBytes(fixed);
            } else {
                long n = Wire.readLenencInt(b);
                if (n < 0 || n > b.readableBytes()) {
                    throw new MalformedPacketException(what + " needs " + n + " bytes, " + b.readableBytes()
                            + " left");
                }
                b.skipBytes((int) n);
            }
        }
        return types;
    }

    /** Bytes of a value of {@code type}, or -1 for a length-encoded one. */
    static int fixedLength(int type) {
        return switch (type) {
            case 0x06 -> 0;         // NULL
            case 0x01 -> 1;         // TINY
            case 0x02, 0x0D -> 2;   // SHORT, YEAR
            case 0x03, 0x09, 0x04 -> 4; // LONG, INT24, FLOAT
            case 0x08, 0x05 -> 8;   // LONGLONG, DOUBLE
            default -> -1;          // strings, decimals, blobs, JSON, dates and times
        };
    }
}
