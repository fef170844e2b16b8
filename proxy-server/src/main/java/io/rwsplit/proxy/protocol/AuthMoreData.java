package io.rwsplit.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.rwsplit.proxy.codec.MalformedPacketException;
import io.rwsplit.proxy.codec.Wire;

/**
 * Protocol::AuthMoreData: the server's plugin talks on during authentication.
 *
 * <pre>
 * int&lt;1&gt;      0x01
 * string&lt;EOF&gt; plugin data
 * </pre>
 *
 * caching_sha2_password uses it for its one-byte verdicts (0x03 fast auth succeeded, 0x04 send
 * the full password: see {@code io.rwsplit.proxy.auth.CachingSha2Password}) and to send its RSA
 * public key as PEM text. 0x01 means this only in the authentication phase.
 */
public final class AuthMoreData {

    public static final int HEADER = 0x01;

    private final byte[] data;

    public AuthMoreData(byte[] data) {
        this.data = data.clone();
    }

    public static AuthMoreData decode(ByteBuf payload) throws MalformedPacketException {
        Wire.need(payload, 1, "auth more data header");
        int header = payload.readUnsignedByte();
        if (header != HEADER) {
            throw new MalformedPacketException(String.format("0x%02X does not start an AuthMoreData", header));
        }
        return new AuthMoreData(ByteBufUtil.getBytes(payload.readSlice(payload.readableBytes())));
    }

    public void writeTo(ByteBuf out) {
        out.writeByte(HEADER);
        out.writeBytes(data);
    }

    public byte[] data() {
        return data.clone();
    }

    @Override
    public String toString() {
        return "AuthMoreData(" + data.length + " bytes)";
    }
}
