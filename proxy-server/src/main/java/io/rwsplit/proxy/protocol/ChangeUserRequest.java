package io.rwsplit.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.rwsplit.proxy.codec.MalformedPacketException;
import io.rwsplit.proxy.codec.Wire;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * COM_CHANGE_USER: log in again as another (or the same) user on an open connection, which also
 * resets the session.
 *
 * <pre>
 * int&lt;1&gt;      0x11
 * string&lt;NUL&gt; user
 * auth data:   with CLIENT_SECURE_CONNECTION int&lt;1&gt; length + bytes, else string&lt;NUL&gt;
 * string&lt;NUL&gt; schema
 * then, if the packet goes on:
 *   int&lt;2&gt;      character set (collation id)
 *   string&lt;NUL&gt; auth plugin name           (CLIENT_PLUGIN_AUTH)
 *   lenenc block connection attributes       (CLIENT_CONNECT_ATTRS)
 * </pre>
 *
 * Which optional parts are present follows the capabilities the client settled at login.
 */
public final class ChangeUserRequest {

    private final String username;
    private final byte[] authResponse;
    private final String schema;
    private final int characterSet;
    private final String authPluginName;
    private final Map<String, String> attributes;

    /** @param characterSet 0 when the client did not send one (keep the session's) */
    public ChangeUserRequest(String username, byte[] authResponse, String schema, int characterSet,
            String authPluginName, Map<String, String> attributes) {
        this.username = username;
        this.authResponse = authResponse.clone();
        this.schema = schema;
        this.characterSet = characterSet;
        this.authPluginName = authPluginName;
        this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** Reads the command, its 0x11 byte first, with the capabilities of the client's login. */
    public static ChangeUserRequest decode(ByteBuf payload, long capabilities) throws MalformedPacketException {
        Wire.need(payload, 1, "command byte");
        int command = payload.readUnsignedByte();
        if (command != Command.COM_CHANGE_USER.code()) {
            throw new MalformedPacketException(String.format("0x%02X is not COM_CHANGE_USER", command));
        }
        String user = Wire.readNulString(payload);
        byte[] auth;
        if (Capabilities.has(capabilities, Capabilities.CLIENT_SECURE_CONNECTION)) {
            Wire.need(payload, 1, "auth response length");
            int n = payload.readUnsignedByte();
            Wire.need(payload, n, "auth response");
            auth = new byte[n];
            payload.readBytes(auth);
        } else {
            auth = Wire.readNulBytes(payload);
        }
        String schema = Wire.readNulString(payload);
        int charset = 0;
        String plugin = null;
        Map<String, String> attributes = Map.of();
        if (payload.isReadable()) {
            Wire.need(payload, 2, "character set");
            charset = payload.readUnsignedShortLE();
            if (Capabilities.has(capabilities, Capabilities.CLIENT_PLUGIN_AUTH) && payload.isReadable()) {
                plugin = HandshakeResponse41.readPluginName(payload);
            }
            if (Capabilities.has(capabilities, Capabilities.CLIENT_CONNECT_ATTRS) && payload.isReadable()) {
                attributes = HandshakeResponse41.readAttributes(payload);
            }
        }
        return new ChangeUserRequest(user, auth, schema, charset, plugin, attributes);
    }

    /** Writes the command as a client with {@code capabilities} sends it. */
    public void writeTo(ByteBuf out, long capabilities) {
        out.writeByte(Command.COM_CHANGE_USER.code());
        Wire.writeNulString(out, username);
        if (Capabilities.has(capabilities, Capabilities.CLIENT_SECURE_CONNECTION)) {
            out.writeByte(authResponse.length);
            out.writeBytes(authResponse);
        } else {
            out.writeBytes(authResponse).writeByte(0);
        }
        Wire.writeNulString(out, schema);
        if (characterSet == 0) {
            return;
        }
        out.writeShortLE(characterSet);
        if (Capabilities.has(capabilities, Capabilities.CLIENT_PLUGIN_AUTH) && authPluginName != null) {
            Wire.writeNulString(out, authPluginName);
        }
        if (Capabilities.has(capabilities, Capabilities.CLIENT_CONNECT_ATTRS) && !attributes.isEmpty()) {
            HandshakeResponse41.writeAttributes(out, attributes);
        }
    }

    public String username() {
        return username;
    }

    public byte[] authResponse() {
        return authResponse.clone();
    }

    /** The schema to start in; empty for none. */
    public String schema() {
        return schema;
    }

    public int characterSet() {
        return characterSet;
    }

    public String authPluginName() {
        return authPluginName;
    }

    public Map<String, String> attributes() {
        return attributes;
    }
}
