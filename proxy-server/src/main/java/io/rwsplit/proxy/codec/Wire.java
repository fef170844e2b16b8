package io.rwsplit.proxy.codec;

import io.netty.buffer.ByteBuf;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The protocol's basic types: fixed-length little-endian integers come from {@link ByteBuf}
 * itself; this adds length-encoded integers and strings and NUL-terminated strings. Readers throw
 * {@link MalformedPacketException} when the payload ends early, never read past it.
 */
public final class Wire {

    private Wire() {
    }

    /** A length-encoded integer: 1 byte below 0xFB, else 0xFC + 2, 0xFD + 3 or 0xFE + 8 bytes. */
    public static long readLenencInt(ByteBuf b) throws MalformedPacketException {
        need(b, 1, "length-encoded integer");
        int first = b.readUnsignedByte();
        if (first < 0xFB) {
            return first;
        }
        return switch (first) {
            case 0xFC -> {
                need(b, 2, "length-encoded integer");
                yield b.readUnsignedShortLE();
            }
            case 0xFD -> {
                need(b, 3, "length-encoded integer");
                yield b.readUnsignedMediumLE();
            }
            case 0xFE -> {
                need(b, 8, "length-encoded integer");
                yield b.readLongLE();
            }
            default -> throw new MalformedPacketException(String.format("0x%02X does not start a length-encoded "
                    + "integer", first));
        };
    }

    public static void writeLenencInt(ByteBuf b, long v) {
        if (v < 0xFB && v >= 0) {
            b.writeByte((int) v);
        } else if (v >= 0 && v < (1 << 16)) {
            b.writeByte(0xFC).writeShortLE((int) v);
        } else if (v >= 0 && v < (1 << 24)) {
            b.writeByte(0xFD).writeMediumLE((int) v);
        } else {
            b.writeByte(0xFE).writeLongLE(v);
        }
    }

    public static byte[] readLenencBytes(ByteBuf b) throws MalformedPacketException {
        long n = readLenencInt(b);
        // an 8-byte length can be negative as a Java long: as hostile as one past the end
        if (n < 0 || n > b.readableBytes()) {
            throw new MalformedPacketException("a string of " + n + " bytes with only " + b.readableBytes() + " left");
        }
        byte[] bytes = new byte[(int) n];
        b.readBytes(bytes);
        return bytes;
    }

    public static String readLenencString(ByteBuf b) throws MalformedPacketException {
        return new String(readLenencBytes(b), StandardCharsets.UTF_8);
    }

    public static void writeLenencString(ByteBuf b, String s) {
        writeLenencBytes(b, s.getBytes(StandardCharsets.UTF_8));
    }

    public static void writeLenencBytes(ByteBuf b, byte[] bytes) {
        writeLenencInt(b, bytes.length);
        b.writeBytes(bytes);
    }

    /** Bytes up to the next NUL, which is consumed and not returned. */
    public static byte[] readNulBytes(ByteBuf b) throws MalformedPacketException {
        int nul = b.indexOf(b.readerIndex(), b.writerIndex(), (byte) 0);
        if (nul < 0) {
            throw new MalformedPacketException("a NUL-terminated string without its NUL");
        }
        byte[] bytes = new byte[nul - b.readerIndex()];
        b.readBytes(bytes);
        b.skipBytes(1);
        return bytes;
    }

    public static String readNulString(ByteBuf b) throws MalformedPacketException {
        return new String(readNulBytes(b), StandardCharsets.UTF_8);
    }

    public static void writeNulString(ByteBuf b, String s) {
        b.writeBytes(s.getBytes(StandardCharsets.UTF_8)).writeByte(0);
    }

    /** The rest of the payload as text. */
    public static String readRest(ByteBuf b, Charset cs) {
        return b.readCharSequence(b.readableBytes(), cs).toString();
    }

    public static void need(ByteBuf b, int n, String what) throws MalformedPacketException {
        if (b.readableBytes() < n) {
            throw new MalformedPacketException(what + " needs " + n + " bytes, " + b.readableBytes() + " left");
        }
    }
}
