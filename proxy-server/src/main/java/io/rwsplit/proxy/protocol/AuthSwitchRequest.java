package io.rwsplit.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.rwsplit.proxy.codec.MalformedPacketException;
import io.rwsplit.proxy.codec.Wire;
import java.util.Arrays;

/**
 * Protocol::AuthSwitchRequest: during authentication, the server asks the client to start over
 * with another plugin and fresh plugin data.
 *
 * <pre>
 * int&lt;1&gt;      0xFE
 * string&lt;NUL&gt; plugin name
 * string&lt;EOF&gt; plugin data
 * </pre>
 *
 * For mysql_native_password and caching_sha2_password the data is the 20-byte scramble followed
 * by a NUL, as MySQL and MariaDB send it; {@link #scramble()} drops that NUL. A lone 0xFE is the
 * pre-4.1 OldAuthSwitchRequest (mysql_old_password), which the proxy does not speak. 0xFE means
 * this only in the authentication phase; elsewhere see {@link PacketKind}.
 */
public final class AuthSwitchRequest {

    public static final int HEADER = 0xFE;

    private final String pluginName;
    private final byte[] pluginData;

    public AuthSwitchRequest(String pluginName, byte[] pluginData) {
        this.pluginName = pluginName;
        this.pluginData = pluginData.clone();
    }

    /** A switch to a scramble-based plugin, the scramble NUL-terminated as servers send it. */
    public static AuthSwitchRequest withScramble(String pluginName, byte[] scramble) {
        byte[] data = Arrays.copyOf(scramble, scramble.length + 1);
        return new AuthSwitchRequest(pluginName, data);
    }

    public static AuthSwitchRequest decode(ByteBuf payload) throws MalformedPacketException {
        Wire.need(payload, 1, "auth switch header");
        int header = payload.readUnsignedByte();
        if (header != HEADER) {
            throw new MalformedPacketException(String.format("0x%02X does not start an AuthSwitchRequest", header));
        }
        if (!payload.isReadable()) {
            throw new MalformedPacketException("an OldAuthSwitchRequest (mysql_old_password) is not supported");
        }
        String plugin = Wire.readNulString(payload);
        return new AuthSwitchRequest(plugin, ByteBufUtil.getBytes(payload.readSlice(payload.readableBytes())));
    }

    public void writeTo(ByteBuf out) {
        out.writeByte(HEADER);
        Wire.writeNulString(out, pluginName);
        out.writeBytes(pluginData);
    }

    public String pluginName() {
        return pluginName;
    }

    /** The plugin data exactly as sent. */
    public byte[] pluginData() {
        return pluginData.clone();
    }

    /** The plugin data without its trailing NUL, if it has one: the scramble for the SHA plugins. */
    public byte[] scramble() {
        int n = pluginData.length;
        return n > 0 && pluginData[n - 1] == 0 ? Arrays.copyOf(pluginData, n - 1) : pluginData.clone();
    }

    @Override
    public String toString() {
        return "AuthSwitchRequest(" + pluginName + ", " + pluginData.length + " bytes)";
    }
}
