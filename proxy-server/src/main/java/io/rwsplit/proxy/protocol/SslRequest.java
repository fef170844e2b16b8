package io.rwsplit.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.rwsplit.proxy.codec.MalformedPacketException;
import io.rwsplit.proxy.codec.Wire;

/**
 * Protocol::SSLRequest: what a client sends instead of its handshake response when it wants TLS.
 * It is exactly the first 32 bytes a HandshakeResponse41 would have; the client sends the full
 * response (sequence id 2) once TLS is up. A full response is never 32 bytes long (the username's
 * NUL at least follows), so the length alone tells them apart: {@link #isSslRequest}.
 *
 * <pre>
 * int&lt;4&gt;    capability flags (lower 32 bits; CLIENT_SSL set)
 * int&lt;4&gt;    max packet size
 * int&lt;1&gt;    character set (collation id)
 * string[19] filler, zeros
 * int&lt;4&gt;    MariaDB extended capabilities if CLIENT_MYSQL is clear, else zeros
 * </pre>
 */
public final class SslRequest {

    /** The payload length of an SSLRequest, and of the fixed prefix of every HandshakeResponse41. */
    public static final int LENGTH = 32;
    private static final int FILLER = 19;

    private final long capabilities;
    private final long maxPacketSize;
    private final int characterSet;

    public SslRequest(long capabilities, long maxPacketSize, int characterSet) {
        if (maxPacketSize < 0 || maxPacketSize > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("max packet size must fit 4 unsigned bytes: " + maxPacketSize);
        }
        if ((capabilities & Capabilities.MARIADB_EXTENDED_MASK) != 0
                && Capabilities.has(capabilities, Capabilities.CLIENT_MYSQL)) {
            throw new IllegalArgumentException("MariaDB extended capabilities need CLIENT_MYSQL clear");
        }
        this.capabilities = capabilities;
        this.maxPacketSize = maxPacketSize;
        this.characterSet = characterSet & 0xFF;
    }

    /** Whether a client's packet in the handshake phase is an SSLRequest (judged by its length). */
    public static boolean isSslRequest(ByteBuf payload) {
        return payload.readableBytes() == LENGTH;
    }

    /** Reads the 32-byte prefix; the rest of the payload, if any, stays unread. */
    public static SslRequest decode(ByteBuf payload) throws MalformedPacketException {
        Wire.need(payload, LENGTH, "SSLRequest / handshake response prefix");
        long caps = payload.readUnsignedIntLE();
        long maxPacket = payload.readUnsignedIntLE();
        int charset = payload.readUnsignedByte();
        payload.skipBytes(FILLER);
        long extended = payload.readUnsignedIntLE();
        if (!Capabilities.has(caps, Capabilities.CLIENT_MYSQL)) {
            caps |= extended << 32;
        }
        return new SslRequest(caps, maxPacket, charset);
    }

    public void writeTo(ByteBuf out) {
        out.writeIntLE((int) capabilities);
        out.writeIntLE((int) maxPacketSize);
        out.writeByte(characterSet);
        out.writeZero(FILLER);
        out.writeIntLE(Capabilities.has(capabilities, Capabilities.CLIENT_MYSQL) ? 0 : (int) (capabilities >>> 32));
    }

    public long capabilities() {
        return capabilities;
    }

    /** Unsigned 32-bit: the largest message the client wants to send. */
    public long maxPacketSize() {
        return maxPacketSize;
    }

    public int characterSet() {
        return characterSet;
    }

    @Override
    public String toString() {
        return "SslRequest(caps=" + Capabilities.describe(capabilities) + ", maxPacket=" + maxPacketSize
                + ", charset=" + characterSet + ")";
    }
}
