package io.rwsplit.proxy.backend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Promise;
import io.rwsplit.proxy.auth.CachingSha2Password;
import io.rwsplit.proxy.auth.NativePassword;
import io.rwsplit.proxy.codec.MalformedPacketException;
import io.rwsplit.proxy.codec.Packet;
import io.rwsplit.proxy.protocol.AuthMoreData;
import io.rwsplit.proxy.protocol.AuthSwitchRequest;
import io.rwsplit.proxy.protocol.Capabilities;
import io.rwsplit.proxy.protocol.ErrPacket;
import io.rwsplit.proxy.protocol.ErrorCode;
import io.rwsplit.proxy.protocol.HandshakeResponse41;
import io.rwsplit.proxy.protocol.HandshakeV10;
import io.rwsplit.proxy.protocol.OkPacket;
import io.rwsplit.proxy.protocol.SslRequest;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client side of the login to a server: read the greeting, switch to TLS if wanted, answer
 * with the handshake response, then follow the server through auth switches and
 * caching_sha2_password's extra rounds (fast path; full path in clear over TLS, else with the
 * server's RSA key, asked for when needed) until OK or ERR.
 */
final class BackendLogin {

    /** What the proxy asks of every server, before the client's profile adds its own flags. */
    static final long BASE_CAPABILITIES = Capabilities.CLIENT_LONG_PASSWORD | Capabilities.CLIENT_LONG_FLAG
            | Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_TRANSACTIONS | Capabilities.CLIENT_SECURE_CONNECTION
            | Capabilities.CLIENT_MULTI_RESULTS | Capabilities.CLIENT_PS_MULTI_RESULTS | Capabilities.CLIENT_PLUGIN_AUTH
            | Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | Capabilities.CLIENT_CONNECT_ATTRS;
    private static final int MAX_PACKET = 1 << 30;

    private enum State {
        GREETING, TLS, AUTH, DONE
    }

    private final BackendConnection connection;
    private final BackendCredentials credentials;
    private final SslContext tls;
    private final boolean tlsRequired;
    private final boolean multiStatements;
    private final Promise<BackendConnection> promise;
    private State state = State.GREETING;
    private HandshakeV10 greeting;
    private long capabilities;
    private byte[] scramble;
    private String plugin;
    private int sequence;
    private boolean overTls;

    BackendLogin(BackendConnection connection, BackendCredentials credentials, SslContext tls, boolean tlsRequired,
            boolean multiStatements, Promise<BackendConnection> promise) {
        this.connection = connection;
        this.credentials = credentials;
        this.tls = tls;
        this.tlsRequired = tlsRequired;
        this.multiStatements = multiStatements;
        this.promise = promise;
    }

    void onPacket(Packet packet) throws MalformedPacketException {
        try {
            sequence = packet.sequenceId();
            ByteBuf p = packet.payload();
            switch (state) {
                case GREETING -> greeting(p);
                case AUTH -> auth(p);
                default -> throw new MalformedPacketException("a packet from the server during the TLS handshake");
            }
        } finally {
            packet.release();
        }
    }

    private void greeting(ByteBuf p) throws MalformedPacketException {
        if (p.isReadable() && p.getUnsignedByte(p.readerIndex()) == ErrPacket.HEADER) {
            ErrPacket e = ErrPacket.decode(p);
            refuse(BackendException.server(e.errorCode(), e.sqlState(), e.message()));
            return;
        }
        greeting = HandshakeV10.decode(p);
        long server = greeting.capabilities();
        if (!Capabilities.has(server, Capabilities.CLIENT_PROTOCOL_41)) {
            refuse(lost("the server speaks a protocol older than 4.1"));
            return;
        }
        long wanted = BASE_CAPABILITIES | connection.profile().flags()
                | (multiStatements ? Capabilities.CLIENT_MULTI_STATEMENTS : 0);
        boolean useTls = tls != null && Capabilities.has(server, Capabilities.CLIENT_SSL);
        if (tlsRequired && !useTls) {
            refuse(lost("TLS to the servers is required, but " + connection.node().name() + " does not offer it"));
            return;
        }
        if (useTls) {
            wanted |= Capabilities.CLIENT_SSL;
        }
        // MariaDB's extended flags sit where CLIENT_MYSQL is clear; of them the proxy asks only for bulk
        // operations, which permit COM_STMT_BULK_EXECUTE and change no other response
        capabilities = wanted & server & 0xFFFF_FFFFL | Capabilities.CLIENT_MYSQL;
        if (!Capabilities.has(server, Capabilities.CLIENT_MYSQL)
                && Capabilities.has(server, Capabilities.MARIADB_CLIENT_STMT_BULK_OPERATIONS)) {
            capabilities = capabilities & ~Capabilities.CLIENT_MYSQL | Capabilities.MARIADB_CLIENT_STMT_BULK_OPERATIONS;
        }
        scramble = Arrays.copyOf(greeting.scramble(), 20);
        plugin = greeting.authPluginName() == null ? NativePassword.PLUGIN_NAME : greeting.authPluginName();
        Channel ch = connection.channel();
        if (useTls) {
            state = State.TLS;
            ByteBuf req = ch.alloc().buffer(SslRequest.LENGTH);
            new SslRequest(capabilities, MAX_PACKET, connection.profile().collationId()).writeTo(req);
            ch.writeAndFlush(new Packet(++sequence, req));
            SslHandler handler = tls.newHandler(ch.alloc(), connection.node().host(), connection.node().port());
            ch.pipeline().addFirst("tls", handler);
            handler.handshakeFuture().addListener(f -> {
                if (!f.isSuccess()) {
                    refuse(lost(tlsFailure(f.cause())));
                    return;
                }
                overTls = true;
                state = State.AUTH;
                sendResponse();
            });
            return;
        }
        state = State.AUTH;
        sendResponse();
    }

    private void sendResponse() {
        byte[] token;
        String answerPlugin = plugin;
        try {
            token = token(plugin, scramble);
        } catch (IllegalArgumentException unknownPlugin) {
            // a plugin the proxy cannot speak: offer native, the server may switch
            answerPlugin = NativePassword.PLUGIN_NAME;
            token = NativePassword.token(credentials.password(), scramble);
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        if (Capabilities.has(capabilities, Capabilities.CLIENT_CONNECT_ATTRS)) {
            attributes.put("_client_name", "rwsplit-proxy");
            attributes.put("program_name", "rwsplit-proxy");
        }
        HandshakeResponse41 r = new HandshakeResponse41(capabilities, MAX_PACKET, connection.profile().collationId(),
                credentials.user(), token, null, answerPlugin, attributes, 0);
        ByteBuf out = connection.channel().alloc().buffer();
        r.writeTo(out);
        connection.channel().writeAndFlush(new Packet(++sequence, out));
    }

    private byte[] token(String pluginName, byte[] salt) {
        return switch (pluginName) {
            case NativePassword.PLUGIN_NAME -> NativePassword.token(credentials.password(), salt);
            case CachingSha2Password.PLUGIN_NAME -> CachingSha2Password.fastToken(credentials.password(), salt);
            default -> throw new IllegalArgumentException(pluginName);
        };
    }

    private void auth(ByteBuf p) throws MalformedPacketException {
        if (!p.isReadable()) {
            throw new MalformedPacketException("an empty packet during login");
        }
        int first = p.getUnsignedByte(p.readerIndex());
        switch (first) {
            case OkPacket.HEADER -> {
                OkPacket ok = OkPacket.decode(p, capabilities);
                state = State.DONE;
                connection.loggedIn(greeting.connectionId(), greeting.serverVersion(), greeting.capabilities(),
                        capabilities, ok.statusFlags(),
                        Capabilities.has(capabilities, Capabilities.CLIENT_MULTI_STATEMENTS));
                promise.trySuccess(connection);
            }
            case ErrPacket.HEADER -> {
                ErrPacket e = ErrPacket.decode(p);
                refuse(BackendException.server(e.errorCode(), e.sqlState(), e.message()));
            }
            case AuthSwitchRequest.HEADER -> {
                AuthSwitchRequest s = AuthSwitchRequest.decode(p);
                plugin = s.pluginName();
                scramble = Arrays.copyOf(s.scramble(), 20);
                byte[] token;
                try {
                    token = token(plugin, scramble);
                } catch (IllegalArgumentException unknown) {
                    refuse(lost("the server asks for the authentication plugin " + plugin
                            + ", which the proxy does not speak; give the proxy's account mysql_native_password "
                            + "or caching_sha2_password"));
                    return;
                }
                reply(token);
            }
            case AuthMoreData.HEADER -> more(AuthMoreData.decode(p).data());
            default -> throw new MalformedPacketException(String.format("0x%02X during login", first));
        }
    }

    private void more(byte[] data) {
        if (!plugin.equals(CachingSha2Password.PLUGIN_NAME)) {
            refuse(lost("unexpected extra authentication data for " + plugin));
            return;
        }
        if (data.length == 1 && data[0] == CachingSha2Password.FAST_AUTH_SUCCESS) {
            return; // the OK follows
        }
        if (data.length == 1 && data[0] == CachingSha2Password.PERFORM_FULL_AUTHENTICATION) {
            if (overTls) {
                reply(CachingSha2Password.clearTextResponse(credentials.password()));
            } else {
                reply(new byte[] {CachingSha2Password.REQUEST_PUBLIC_KEY});
            }
            return;
        }
        // the server's public key, asked for above
        try {
            PublicKey key = CachingSha2Password.parsePublicKeyPem(new String(data,
                    java.nio.charset.StandardCharsets.US_ASCII));
            reply(CachingSha2Password.encryptFull(key, credentials.password(), scramble));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            refuse(lost("cannot send the password with the server's RSA key: " + e.getMessage()));
        }
    }

    private void reply(byte[] data) {
        ByteBuf out = connection.channel().alloc().buffer(data.length);
        out.writeBytes(data);
        connection.channel().writeAndFlush(new Packet(++sequence, out));
    }

    /**
     * What went wrong in the TLS handshake, naming the node: a certificate that does not verify
     * is told apart from other failures, since the fix (the CA file, the node's host name) differs.
     */
    private String tlsFailure(Throwable cause) {
        String where = "cannot connect to " + connection.node().name() + " (" + connection.node().address() + "): ";
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.security.cert.CertificateException
                    || t instanceof java.security.cert.CertPathBuilderException
                    || t instanceof java.security.cert.CertPathValidatorException) {
                Throwable root = t;
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                return where + "its TLS certificate does not verify: " + root.getMessage() + " (see backend.tls and "
                        + "backend.caCertificate)";
            }
        }
        return where + "the TLS handshake failed: " + cause.getMessage();
    }

    private BackendException lost(String message) {
        return BackendException.lost(ErrorCode.CANNOT_CONNECT, message, null);
    }

    private void refuse(BackendException e) {
        state = State.DONE;
        promise.tryFailure(e);
        connection.close();
    }

    void failed(BackendException cause) {
        promise.tryFailure(cause);
    }
}
