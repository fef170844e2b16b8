package io.rwsplit.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.rwsplit.proxy.codec.MalformedPacketException;
import io.rwsplit.proxy.codec.Wire;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Protocol::HandshakeV10, the server's greeting: the first packet on a connection (sequence id 0).
 * The proxy sends one to its clients and reads one from each backend.
 *
 * <pre>
 * int&lt;1&gt;     protocol version, always 10
 * string&lt;NUL&gt; server version (MariaDB prefixes "5.5.5-" for old replication clients)
 * int&lt;4&gt;     connection id
 * string[8]  auth-plugin-data-part-1: the scramble's first 8 bytes
 * int&lt;1&gt;     0x00 filler
 * int&lt;2&gt;     capability flags, lower 2 bytes
 * int&lt;1&gt;     character set (a collation id, lower 8 bits)
 * int&lt;2&gt;     status flags
 * int&lt;2&gt;     capability flags, upper 2 bytes
 * int&lt;1&gt;     length of the auth plugin data (scramble + its NUL) if PLUGIN_AUTH, else 0
 * string[6]  reserved, zeros
 * string[4]  MariaDB extended capabilities if CLIENT_MYSQL is clear, else reserved zeros
 * string[n]  auth-plugin-data-part-2 if SECURE_CONNECTION: the rest of the scramble and a NUL,
 *            n = max(13, length - 8)
 * string&lt;NUL&gt; auth plugin name if PLUGIN_AUTH
 * </pre>
 *
 * Sources: dev.mysql.com "Protocol::HandshakeV10"; mariadb.com "Connection" (initial handshake
 * packet) and "MariaDB protocol differences with MySQL".
 */
public final class HandshakeV10 {

    public static final int PROTOCOL_VERSION = 10;
    private static final int PART1 = 8;
    private static final int MIN_PART2 = 13;

    private final String serverVersion;
    private final long connectionId;
    private final byte[] scramble;
    private final long capabilities;
    private final int characterSet;
    private final int statusFlags;
    private final String authPluginName;

    /**
     * @param capabilities all 64 bits; bits 32-63 (MariaDB's) need {@link Capabilities#CLIENT_MYSQL}
     *     clear, since only then is there room for them on the wire
     * @param authPluginName required with {@link Capabilities#CLIENT_PLUGIN_AUTH}, else {@code null}
     */
    public HandshakeV10(String serverVersion, long connectionId, byte[] scramble, long capabilities,
            int characterSet, int statusFlags, String authPluginName) {
        if (connectionId < 0 || connectionId > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("connection id must fit 4 unsigned bytes: " + connectionId);
        }
        if (scramble.length < PART1) {
            throw new IllegalArgumentException("a scramble has at least 8 bytes, not " + scramble.length);
        }
        if ((capabilities & Capabilities.MARIADB_EXTENDED_MASK) != 0
                && Capabilities.has(capabilities, Capabilities.CLIENT_MYSQL)) {
            throw new IllegalArgumentException("MariaDB extended capabilities need CLIENT_MYSQL clear");
        }
        if (Capabilities.has(capabilities, Capabilities.CLIENT_PLUGIN_AUTH) != (authPluginName != null)) {
            throw new IllegalArgumentException("an auth plugin name goes with CLIENT_PLUGIN_AUTH, and only with it");
        }
        this.serverVersion = serverVersion;
        this.connectionId = connectionId;
        this.scramble = scramble.clone();
        this.capabilities = capabilities;
        this.characterSet = characterSet & 0xFF;
        this.statusFlags = statusFlags & 0xFFFF;
        this.authPluginName = authPluginName;
    }

    public static HandshakeV10 decode(ByteBuf payload) throws MalformedPacketException {
        Wire.need(payload, 1, "protocol version");
        int version = payload.readUnsignedByte();
        if (version != PROTOCOL_VERSION) {
            throw new MalformedPacketException("handshake protocol version " + version + ", only 10 is spoken");
        }
        String serverVersion = Wire.readNulString(payload);
        // 4 id + 8 scramble + 1 filler + 2 caps + 1 charset + 2 status + 2 caps + 1 length + 10 reserved
        Wire.need(payload, 31, "handshake");
        long connectionId = payload.readUnsignedIntLE();
        byte[] part1 = new byte[PART1];
        payload.readBytes(part1);
        payload.skipBytes(1);
        long caps = payload.readUnsignedShortLE();
        int charset = payload.readUnsignedByte();
        int status = payload.readUnsignedShortLE();
        caps |= (long) payload.readUnsignedShortLE() << 16;
        int authDataLength = payload.readUnsignedByte();
        payload.skipBytes(6);
        long extended = payload.readUnsignedIntLE();
        if (!Capabilities.has(caps, Capabilities.CLIENT_MYSQL)) {
            caps |= extended << 32;
        }
        byte[] scramble = part1;
        if (Capabilities.has(caps, Capabilities.CLIENT_SECURE_CONNECTION)) {
            int part2 = Math.max(MIN_PART2, authDataLength - PART1);
            Wire.need(payload, part2, "auth-plugin-data-part-2");
            // The last byte of part 2 is the scramble's NUL terminator, not scramble.
            scramble = Arrays.copyOf(part1, PART1 + part2 - 1);
            payload.readBytes(scramble, PART1, part2 - 1);
            payload.skipBytes(1);
        }
        String plugin = null;
        if (Capabilities.has(caps, Capabilities.CLIENT_PLUGIN_AUTH)) {
            // MySQL 5.5.7-5.5.9 forgot the NUL (Bug#59453): the name then runs to the packet's end.
            plugin = payload.indexOf(payload.readerIndex(), payload.writerIndex(), (byte) 0) >= 0
                    ? Wire.readNulString(payload)
                    : Wire.readRest(payload, StandardCharsets.UTF_8);
        }
        return new HandshakeV10(serverVersion, connectionId, scramble, caps, charset, status, plugin);
    }

    public void writeTo(ByteBuf out) {
        boolean pluginAuth = Capabilities.has(capabilities, Capabilities.CLIENT_PLUGIN_AUTH);
        out.writeByte(PROTOCOL_VERSION);
        Wire.writeNulString(out, serverVersion);
        out.writeIntLE((int) connectionId);
        out.writeBytes(scramble, 0, PART1);
        out.writeByte(0);
        out.writeShortLE((int) capabilities);
        out.writeByte(characterSet);
        out.writeShortLE(statusFlags);
        out.writeShortLE((int) (capabilities >>> 16));
        out.writeByte(pluginAuth ? scramble.length + 1 : 0);
        out.writeZero(6);
        out.writeIntLE(Capabilities.has(capabilities, Capabilities.CLIENT_MYSQL) ? 0 : (int) (capabilities >>> 32));
        if (Capabilities.has(capabilities, Capabilities.CLIENT_SECURE_CONNECTION)) {
            int rest = scramble.length - PART1;
            out.writeBytes(scramble, PART1, rest);
            out.writeZero(Math.max(MIN_PART2, rest + 1) - rest);
        }
        if (pluginAuth) {
            Wire.writeNulString(out, authPluginName);
        }
    }

    public String serverVersion() {
        return serverVersion;
    }

    /** Unsigned 32-bit. */
    public long connectionId() {
        return connectionId;
    }

    /** The whole scramble (nonce): part 1 and part 2 joined, without the NUL; 20 bytes in practice. */
    public byte[] scramble() {
        return scramble.clone();
    }

    /** All 64 bits, MariaDB's extended ones included when the server sent them. */
    public long capabilities() {
        return capabilities;
    }

    public int characterSet() {
        return characterSet;
    }

    public int statusFlags() {
        return statusFlags;
    }

    /** The plugin the scramble is for, or {@code null} without CLIENT_PLUGIN_AUTH. */
    public String authPluginName() {
        return authPluginName;
    }

    /**
     * Whether the server announced MariaDB extended capabilities (MariaDB 10.2+ clears
     * CLIENT_MYSQL for that; MySQL always sets the bit).
     */
    public boolean hasMariaDbCapabilities() {
        return !Capabilities.has(capabilities, Capabilities.CLIENT_MYSQL);
    }

    @Override
    public String toString() {
        return "HandshakeV10(" + serverVersion + ", id=" + connectionId + ", caps="
                + Capabilities.describe(capabilities) + ", charset=" + characterSet + ", status="
                + ServerStatus.describe(statusFlags) + ", plugin=" + authPluginName + ")";
    }
}
