package io.rwsplit.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.rwsplit.proxy.codec.MalformedPacketException;
import io.rwsplit.proxy.codec.Wire;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Protocol::HandshakeResponse41: the client's reply to the greeting. The proxy reads it from its
 * clients and writes one to each backend.
 *
 * <pre>
 * (the 32 bytes of an {@link SslRequest}: capabilities, max packet size, charset, filler)
 * string&lt;NUL&gt;    username
 * auth response: string&lt;lenenc&gt; with PLUGIN_AUTH_LENENC_CLIENT_DATA,
 *                else int&lt;1&gt; length + bytes with SECURE_CONNECTION, else string&lt;NUL&gt;
 * string&lt;NUL&gt;    database, if CONNECT_WITH_DB
 * string&lt;NUL&gt;    auth plugin name, if PLUGIN_AUTH
 * int&lt;lenenc&gt;   total length of the attributes, then key/value string&lt;lenenc&gt; pairs, if CONNECT_ATTRS
 * int&lt;1&gt;        zstd compression level, if ZSTD_COMPRESSION_ALGORITHM
 * </pre>
 *
 * The layout follows the flags the client sends in this very packet (a client only sets flags the
 * server offered). Text is decoded as UTF-8, whatever the announced character set. Without
 * PROTOCOL_41 a client speaks HandshakeResponse320, which the proxy refuses.
 * Source: dev.mysql.com "Protocol::HandshakeResponse"; mariadb.com "Connection".
 */
public final class HandshakeResponse41 {

    private static final int MAX_SHORT_AUTH = 255;

    private final SslRequest prefix;
    private final String username;
    private final byte[] authResponse;
    private final String database;
    private final String authPluginName;
    private final Map<String, String> attributes;
    private final int zstdCompressionLevel;

    /**
     * @param database written only with CONNECT_WITH_DB ({@code null} there means ""); must be
     *     {@code null} without it
     * @param authPluginName likewise with PLUGIN_AUTH
     * @param attributes likewise with CONNECT_ATTRS (empty without it); order is kept
     * @param zstdCompressionLevel written only with ZSTD_COMPRESSION_ALGORITHM
     */
    public HandshakeResponse41(long capabilities, long maxPacketSize, int characterSet, String username,
            byte[] authResponse, String database, String authPluginName, Map<String, String> attributes,
            int zstdCompressionLevel) {
        this(new SslRequest(capabilities, maxPacketSize, characterSet), username, authResponse, database,
                authPluginName, attributes, zstdCompressionLevel);
    }

    private HandshakeResponse41(SslRequest prefix, String username, byte[] authResponse, String database,
            String authPluginName, Map<String, String> attributes, int zstdCompressionLevel) {
        long caps = prefix.capabilities();
        if (!Capabilities.has(caps, Capabilities.CLIENT_PROTOCOL_41)) {
            throw new IllegalArgumentException("a HandshakeResponse41 needs CLIENT_PROTOCOL_41");
        }
        if (database != null && !Capabilities.has(caps, Capabilities.CLIENT_CONNECT_WITH_DB)) {
            throw new IllegalArgumentException("a database needs CLIENT_CONNECT_WITH_DB");
        }
        if (authPluginName != null && !Capabilities.has(caps, Capabilities.CLIENT_PLUGIN_AUTH)) {
            throw new IllegalArgumentException("an auth plugin name needs CLIENT_PLUGIN_AUTH");
        }
        if (!attributes.isEmpty() && !Capabilities.has(caps, Capabilities.CLIENT_CONNECT_ATTRS)) {
            throw new IllegalArgumentException("connection attributes need CLIENT_CONNECT_ATTRS");
        }
        if (!Capabilities.has(caps, Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA)) {
            if (Capabilities.has(caps, Capabilities.CLIENT_SECURE_CONNECTION)) {
                if (authResponse.length > MAX_SHORT_AUTH) {
                    throw new IllegalArgumentException("an auth response over 255 bytes needs "
                            + "CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA");
                }
            } else if (indexOfNul(authResponse) >= 0) {
                throw new IllegalArgumentException("a NUL-terminated auth response cannot contain NUL");
            }
        }
        this.prefix = prefix;
        this.username = username;
        this.authResponse = authResponse.clone();
        this.database = database;
        this.authPluginName = authPluginName;
        this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        this.zstdCompressionLevel = zstdCompressionLevel & 0xFF;
    }

    public static HandshakeResponse41 decode(ByteBuf payload) throws MalformedPacketException {
        if (SslRequest.isSslRequest(payload)) {
            throw new MalformedPacketException("an SSLRequest where the handshake response was expected");
        }
        SslRequest prefix = SslRequest.decode(payload);
        long caps = prefix.capabilities();
        if (!Capabilities.has(caps, Capabilities.CLIENT_PROTOCOL_41)) {
            throw new MalformedPacketException("a pre-4.1 client (no CLIENT_PROTOCOL_41)");
        }
        String username = Wire.readNulString(payload);
        byte[] auth;
        if (Capabilities.has(caps, Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA)) {
            auth = Wire.readLenencBytes(payload);
        } else if (Capabilities.has(caps, Capabilities.CLIENT_SECURE_CONNECTION)) {
            Wire.need(payload, 1, "auth response length");
            int n = payload.readUnsignedByte();
            Wire.need(payload, n, "auth response");
            auth = new byte[n];
            payload.readBytes(auth);
        } else {
            auth = Wire.readNulBytes(payload);
        }
        String database = Capabilities.has(caps, Capabilities.CLIENT_CONNECT_WITH_DB) ? Wire.readNulString(payload)
                : null;
        String plugin = Capabilities.has(caps, Capabilities.CLIENT_PLUGIN_AUTH) ? readPluginName(payload) : null;
        Map<String, String> attributes = Map.of();
        if (Capabilities.has(caps, Capabilities.CLIENT_CONNECT_ATTRS) && payload.isReadable()) {
            attributes = readAttributes(payload);
        }
        int zstdLevel = 0;
        if (Capabilities.has(caps, Capabilities.CLIENT_ZSTD_COMPRESSION_ALGORITHM) && payload.isReadable()) {
            zstdLevel = payload.readUnsignedByte();
        }
        return new HandshakeResponse41(prefix, username, auth, database, plugin, attributes, zstdLevel);
    }

    /**
     * The plugin name runs to its NUL; some old clients end the packet instead of writing the NUL
     * when nothing follows, which libmysqlclient's server side accepts too.
     */
    static String readPluginName(ByteBuf payload) throws MalformedPacketException {
        if (payload.indexOf(payload.readerIndex(), payload.writerIndex(), (byte) 0) < 0) {
            return Wire.readRest(payload, StandardCharsets.UTF_8);
        }
        return Wire.readNulString(payload);
    }

    static Map<String, String> readAttributes(ByteBuf payload) throws MalformedPacketException {
        long total = Wire.readLenencInt(payload);
        if (total < 0 || total > payload.readableBytes()) {
            throw new MalformedPacketException("connection attributes of " + total + " bytes with only "
                    + payload.readableBytes() + " left");
        }
        ByteBuf block = payload.readSlice((int) total);
        Map<String, String> attributes = new LinkedHashMap<>();
        while (block.isReadable()) {
            String key = Wire.readLenencString(block);
            if (!block.isReadable()) {
                throw new MalformedPacketException("connection attribute '" + key + "' without a value");
            }
            attributes.put(key, Wire.readLenencString(block));
        }
        return attributes;
    }

    public void writeTo(ByteBuf out) {
        long caps = prefix.capabilities();
        prefix.writeTo(out);
        Wire.writeNulString(out, username);
        if (Capabilities.has(caps, Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA)) {
            Wire.writeLenencBytes(out, authResponse);
        } else if (Capabilities.has(caps, Capabilities.CLIENT_SECURE_CONNECTION)) {
            out.writeByte(authResponse.length).writeBytes(authResponse);
        } else {
            out.writeBytes(authResponse).writeByte(0);
        }
        if (Capabilities.has(caps, Capabilities.CLIENT_CONNECT_WITH_DB)) {
            Wire.writeNulString(out, database == null ? "" : database);
        }
        if (Capabilities.has(caps, Capabilities.CLIENT_PLUGIN_AUTH)) {
            Wire.writeNulString(out, authPluginName == null ? "" : authPluginName);
        }
        if (Capabilities.has(caps, Capabilities.CLIENT_CONNECT_ATTRS)) {
            writeAttributes(out, attributes);
        }
        if (Capabilities.has(caps, Capabilities.CLIENT_ZSTD_COMPRESSION_ALGORITHM)) {
            out.writeByte(zstdCompressionLevel);
        }
    }

    /** The attributes as one lenenc-length block of lenenc key/value strings. */
    static void writeAttributes(ByteBuf out, Map<String, String> attributes) {
        ByteBuf block = out.alloc().heapBuffer();
        try {
            attributes.forEach((k, v) -> {
                Wire.writeLenencString(block, k);
                Wire.writeLenencString(block, v);
            });
            Wire.writeLenencInt(out, block.readableBytes());
            out.writeBytes(block);
        } finally {
            block.release();
        }
    }

    private static int indexOfNul(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    public long capabilities() {
        return prefix.capabilities();
    }

    public long maxPacketSize() {
        return prefix.maxPacketSize();
    }

    public int characterSet() {
        return prefix.characterSet();
    }

    public String username() {
        return username;
    }

    /** The opaque token of the auth plugin (a scrambled password, or a clear one): keep out of logs. */
    public byte[] authResponse() {
        return authResponse.clone();
    }

    /** The initial schema, or {@code null} without CONNECT_WITH_DB; may be "" with it. */
    public String database() {
        return database;
    }

    /** The plugin that made {@link #authResponse()}, or {@code null} without PLUGIN_AUTH. */
    public String authPluginName() {
        return authPluginName;
    }

    /** Connection attributes in the order sent; empty without CONNECT_ATTRS. */
    public Map<String, String> attributes() {
        return attributes;
    }

    public int zstdCompressionLevel() {
        return zstdCompressionLevel;
    }

    /** Leaves out the auth response: it is password material. */
    @Override
    public String toString() {
        return "HandshakeResponse41(user=" + username + ", db=" + database + ", plugin=" + authPluginName
                + ", caps=" + Capabilities.describe(prefix.capabilities()) + ", charset=" + prefix.characterSet()
                + ", auth=" + authResponse.length + " bytes, attrs=" + attributes.size() + ")";
    }
}
