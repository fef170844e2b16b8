package io.rwsplit.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.rwsplit.proxy.admin.ProxyMetrics;
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
import io.rwsplit.proxy.protocol.ServerStatus;
import io.rwsplit.proxy.protocol.SslRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of a client's login: greeting, optional switch to TLS, handshake response,
 * authentication against the proxy's own accounts, then the checks a server makes (address,
 * connection limits, the initial schema exists) before the OK that opens the command phase.
 *
 * <p>Authentication: the client answers the greeting's scramble with the plugin of its choice.
 * If the account can verify that plugin the answer is checked at once; otherwise (another plugin,
 * or one the account has no hash for) the client is switched, with a fresh scramble, to one the
 * account can verify. caching_sha2_password works as MySQL's: a fast-path answer that does not
 * verify leads to full authentication, the password in clear over TLS or RSA-encrypted with the
 * proxy's key (sent on request). Any failure is ERR 1045 and a closed connection; whether the
 * user exists is not revealed.
 */
final class ClientLogin {

    private static final Logger log = LoggerFactory.getLogger(ClientLogin.class);

    private enum State {
        GREETED, TLS, SWITCHED, FULL_AUTH, CHECKING, DONE
    }

    private final ProxyRuntime runtime;
    private final Channel channel;
    private final FrontendHandler owner;
    private final long connectionId;
    private byte[] scramble;
    private State state = State.GREETED;
    private int sequence;
    private long offered;
    private HandshakeResponse41 response;
    private Accounts.Account account;
    private String plugin;
    private boolean tls;
    private ScheduledFuture<?> timeout;
    private boolean refused;

    ClientLogin(ProxyRuntime runtime, Channel channel, FrontendHandler owner) {
        this.runtime = runtime;
        this.channel = channel;
        this.owner = owner;
        this.connectionId = runtime.nextConnectionId();
    }

    long connectionId() {
        return connectionId;
    }

    void start() {
        ServerIdentity id = runtime.identity();
        scramble = runtime.scramble.next();
        offered = id.capabilities() | (runtime.clientTls != null ? Capabilities.CLIENT_SSL : 0);
        HandshakeV10 greeting = new HandshakeV10(id.version(), connectionId, scramble, offered, id.collation(),
                ServerStatus.AUTOCOMMIT, id.defaultAuthPlugin());
        plugin = id.defaultAuthPlugin();
        ByteBuf out = channel.alloc().buffer(128);
        greeting.writeTo(out);
        channel.writeAndFlush(new Packet(0, out));
        long ms = runtime.config.limits().authTimeout().toMillis();
        timeout = channel.eventLoop().schedule(() -> refuse(ErrorCode.READ_TIMEOUT.packet(
                "Got timeout reading communication packets: no login within " + ms + " ms")), ms, TimeUnit.MILLISECONDS);
    }

    void onPacket(Packet p) {
        try {
            if (state == State.DONE || state == State.CHECKING || state == State.TLS) {
                // nothing is expected from the client now
                refuse(ErrorCode.PACKETS_OUT_OF_ORDER.packet("Got packets out of order"));
                return;
            }
            if (p.sequenceId() != ((sequence + 1) & 0xFF)) {
                refuse(ErrorCode.PACKETS_OUT_OF_ORDER.packet("Got packets out of order"));
                return;
            }
            sequence = p.sequenceId();
            ByteBuf payload = p.payload();
            switch (state) {
                case GREETED -> handshakeResponse(payload);
                case SWITCHED -> verify(readAll(payload));
                case FULL_AUTH -> fullAuth(readAll(payload));
                default -> refuse(ErrorCode.PACKETS_OUT_OF_ORDER.packet("Got packets out of order"));
            }
        } catch (MalformedPacketException | RuntimeException e) {
            log.debug("bad handshake from {}: {}", channel.remoteAddress(), e.toString());
            refuse(ErrorCode.BAD_HANDSHAKE.packet("Bad handshake"));
        } finally {
            p.release();
        }
    }

    private static byte[] readAll(ByteBuf b) {
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        return bytes;
    }

    private void handshakeResponse(ByteBuf payload) throws MalformedPacketException {
        if (SslRequest.isSslRequest(payload)) {
            if (runtime.clientTls == null || tls) {
                refuse(ErrorCode.BAD_HANDSHAKE.packet("Bad handshake: TLS is not offered here"));
                return;
            }
            state = State.TLS;
            SslHandler handler = runtime.clientTls.newHandler(channel.alloc());
            channel.pipeline().addFirst("tls", handler);
            io.netty.channel.ChannelHandlerContext frames = channel.pipeline().context(
                    io.rwsplit.proxy.codec.PacketDecoder.class);
            ((io.rwsplit.proxy.codec.PacketDecoder) frames.handler()).resumeBehindTls(frames);
            handler.handshakeFuture().addListener(f -> {
                if (f.isSuccess()) {
                    tls = true;
                    state = State.GREETED;
                } else {
                    log.debug("TLS handshake with {} failed: {}", channel.remoteAddress(), f.cause().toString());
                    channel.close();
                }
            });
            return;
        }
        response = HandshakeResponse41.decode(payload);
        if (runtime.config.tls().required() && !tls) {
            refuse(ErrorCode.SECURE_TRANSPORT_REQUIRED.packet(
                    "Connections using insecure transport are prohibited: connect with TLS"));
            return;
        }
        Accounts.Account a = runtime.accounts.find(response.username());
        account = a != null ? a : runtime.accounts.nobody;
        String used = response.authPluginName() == null ? NativePassword.PLUGIN_NAME : response.authPluginName();
        if (Capabilities.has(response.capabilities(), Capabilities.CLIENT_PLUGIN_AUTH) && used.equals(plugin)
                && account.supports(used)) {
            verify(response.authResponse());
            return;
        }
        if (!Capabilities.has(response.capabilities(), Capabilities.CLIENT_PLUGIN_AUTH)) {
            // a client that cannot switch answered with mysql_native_password's token
            plugin = NativePassword.PLUGIN_NAME;
            if (account.supports(plugin)) {
                verify(response.authResponse());
            } else {
                denied();
            }
            return;
        }
        // switch to a plugin the account can verify, with a fresh scramble
        plugin = account.preferredPlugin(runtime.identity().defaultAuthPlugin());
        scramble = runtime.scramble.next();
        state = State.SWITCHED;
        ByteBuf out = channel.alloc().buffer(64);
        AuthSwitchRequest.withScramble(plugin, scramble).writeTo(out);
        write(out);
    }

    private void verify(byte[] token) {
        if (plugin.equals(NativePassword.PLUGIN_NAME)) {
            if (NativePassword.verify(token, scramble, account.nativeHash)) {
                authenticated();
            } else {
                denied();
            }
            return;
        }
        if (CachingSha2Password.verifyFast(token, scramble, account.sha2Hash)) {
            writeMore(new byte[] {CachingSha2Password.FAST_AUTH_SUCCESS});
            authenticated();
            return;
        }
        state = State.FULL_AUTH;
        writeMore(new byte[] {CachingSha2Password.PERFORM_FULL_AUTHENTICATION});
    }

    private void fullAuth(byte[] data) {
        if (tls) {
            byte[] password = CachingSha2Password.passwordFromClearText(data);
            try {
                check(CachingSha2Password.verifyFull(password, account.sha2Hash));
            } finally {
                Arrays.fill(password, (byte) 0);
            }
            return;
        }
        if (data.length == 1 && data[0] == CachingSha2Password.REQUEST_PUBLIC_KEY) {
            writeMore(CachingSha2Password.publicKeyPem(runtime.rsa.getPublic())
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return;
        }
        try {
            byte[] password = CachingSha2Password.decryptFull(runtime.rsa.getPrivate(), data, scramble);
            try {
                check(CachingSha2Password.verifyFull(password, account.sha2Hash));
            } finally {
                Arrays.fill(password, (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            denied();
        }
    }

    private void check(boolean ok) {
        if (ok) {
            authenticated();
        } else {
            denied();
        }
    }

    private void authenticated() {
        if (account == runtime.accounts.nobody) {
            denied();
            return;
        }
        InetAddress from = clientAddress();
        if (from != null && !account.config.allows(from)) {
            refuse(ErrorCode.HOST_NOT_ALLOWED.packet("Host '" + from.getHostAddress()
                    + "' is not allowed to connect as '" + account.config.name() + "'"));
            return;
        }
        if (!account.admit()) {
            refuse(ErrorCode.TOO_MANY_USER_CONNECTIONS.packet("User '" + account.config.name()
                    + "' has exceeded the 'max_user_connections' resource (current value: "
                    + account.config.maxConnections() + ")"));
            return;
        }
        state = State.CHECKING;
        ClientSession session = new ClientSession(runtime, channel, account, response, connectionId, tls);
        session.open(sequence).addListener(f -> {
            timeout.cancel(false);
            if (f.isSuccess()) {
                state = State.DONE;
                if (refused) {
                    // timed out while the session was being checked: the client already has its ERR
                    session.close();
                    return;
                }
                owner.loggedIn(session);
            } else {
                state = State.DONE;
                account.leave();
                ErrPacket err = (ErrPacket) ((SessionRefused) f.cause()).packet;
                refuse(err);
            }
        });
    }

    private InetAddress clientAddress() {
        return channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    }

    private void denied() {
        String host = clientAddress() == null ? "localhost" : clientAddress().getHostAddress();
        String user = response == null ? "" : response.username();
        refuse(ErrorCode.ACCESS_DENIED.packet("Access denied for user '" + user + "'@'" + host + "' (using password: "
                + (response != null && response.authResponse().length > 0 ? "YES" : "NO") + ")"));
    }

    private void writeMore(byte[] data) {
        ByteBuf out = channel.alloc().buffer(1 + data.length);
        new AuthMoreData(data).writeTo(out);
        write(out);
    }

    private void write(ByteBuf payload) {
        sequence = (sequence + 1) & 0xFF;
        channel.writeAndFlush(new Packet(sequence, payload));
    }

    /**
     * Sends the error and closes the connection. Once only: whatever the client sends after it
     * (a flood of garbage, say) is neither read nor answered.
     */
    void refuse(ErrPacket err) {
        if (refused) {
            return;
        }
        refused = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
        boolean midTls = state == State.TLS;
        state = State.DONE;
        if (!channel.isActive()) {
            return;
        }
        channel.config().setAutoRead(false);
        refused(runtime, err, response == null ? null : response.username(), channel.remoteAddress());
        if (midTls) {
            // an ERR would wait behind the TLS handshake it cannot finish
            channel.close();
            return;
        }
        ByteBuf out = channel.alloc().buffer(64);
        err.writeTo(out);
        sequence = (sequence + 1) & 0xFF;
        channel.writeAndFlush(new Packet(sequence, out)).addListener(f -> channel.close());
    }

    /**
     * Counts and logs a refused client, one line: the reason, the user it gave (if it got that far)
     * and its address. Never the password, the scramble or the auth response.
     */
    static void refused(ProxyRuntime runtime, ErrPacket err, String user, java.net.SocketAddress from) {
        ProxyMetrics.Refusal why = ProxyMetrics.Refusal.of(err.errorCode());
        runtime.metrics.refused(why);
        String address = from instanceof InetSocketAddress a ? a.getAddress() == null ? a.getHostString()
                : a.getAddress().getHostAddress() + ":" + a.getPort() : String.valueOf(from);
        log.info("client refused: reason={} errno={} user={} address={}", why.label(), err.errorCode(),
                user == null ? "-" : LogText.quoted(user), address);
    }

    void closed() {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    /** Why a session could not open, with the packet for the client. */
    static final class SessionRefused extends Exception {
        private static final long serialVersionUID = 1L;
        final transient ErrPacket packet;

        SessionRefused(ErrPacket packet) {
            super(packet.message(), null, false, false);
            this.packet = packet;
        }
    }
}
