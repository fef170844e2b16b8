package io.rwsplit.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
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
 * proxy's key (sent on request); never a password in clear over a plain connection. Any failure
 * is ERR 1045 and a closed connection; whether the user exists is not revealed.
 *
 * <p>Once the password is checked, an address with repeated failures waits for its answer (see
 * {@link AuthFailures}): the verdict is kept and acted on by a task scheduled on the channel's
 * event loop, so no thread waits. Every refusal goes through {@link #refuse}, which reports it to
 * {@link ProxyRuntime#refused} with its {@link Refusal reason}.
 */
final class ClientLogin {

    private static final Logger log = LoggerFactory.getLogger(ClientLogin.class);

    private enum State {
        GREETED, TLS, SWITCHED, FULL_AUTH, DELAYED, CHECKING, DONE
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
    /** caching_sha2_password's fast path verified: the answer starts with its "fast auth success". */
    private boolean fastAuthSuccess;

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
        timeout = channel.eventLoop().schedule(() -> refuse(Refusal.AUTH_TIMEOUT, Refusal.AUTH_TIMEOUT.packet(
                "Got timeout reading communication packets: no login within " + ms + " ms")), ms, TimeUnit.MILLISECONDS);
    }

    void onPacket(Packet p) {
        try {
            if (state == State.DONE || state == State.CHECKING || state == State.TLS || state == State.DELAYED) {
                // nothing is expected from the client now
                refuse(Refusal.PROTOCOL, ErrorCode.PACKETS_OUT_OF_ORDER.packet("Got packets out of order"));
                return;
            }
            if (p.sequenceId() != ((sequence + 1) & 0xFF)) {
                refuse(Refusal.PROTOCOL, ErrorCode.PACKETS_OUT_OF_ORDER.packet("Got packets out of order"));
                return;
            }
            sequence = p.sequenceId();
            ByteBuf payload = p.payload();
            switch (state) {
                case GREETED -> handshakeResponse(payload);
                case SWITCHED -> verify(readAll(payload));
                case FULL_AUTH -> fullAuth(readAll(payload));
                default -> refuse(Refusal.PROTOCOL, ErrorCode.PACKETS_OUT_OF_ORDER.packet("Got packets out of order"));
            }
        } catch (MalformedPacketException | RuntimeException e) {
            log.debug("bad handshake from {}: {}", channel.remoteAddress(), e.toString());
            refuse(Refusal.PROTOCOL, ErrorCode.BAD_HANDSHAKE.packet("Bad handshake"));
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
                refuse(Refusal.PROTOCOL, ErrorCode.BAD_HANDSHAKE.packet("Bad handshake: TLS is not offered here"));
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
            refuse(Refusal.TLS_REQUIRED, Refusal.TLS_REQUIRED.packet(
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
                checked(false);
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
            checked(NativePassword.verify(token, scramble, account.nativeHash));
            return;
        }
        if (CachingSha2Password.verifyFast(token, scramble, account.sha2Hash)) {
            fastAuthSuccess = true;
            checked(true);
            return;
        }
        state = State.FULL_AUTH;
        writeMore(new byte[] {CachingSha2Password.PERFORM_FULL_AUTHENTICATION});
    }

    private void fullAuth(byte[] data) {
        if (tls) {
            byte[] password = CachingSha2Password.passwordFromClearText(data);
            try {
                checked(CachingSha2Password.verifyFull(password, account.sha2Hash));
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
        // Over a plain connection only the RSA-encrypted form is taken: a password sent in clear
        // (as a client sends it over TLS) is not the key's length and fails to decrypt, so it is denied.
        try {
            byte[] password = CachingSha2Password.decryptFull(runtime.rsa.getPrivate(), data, scramble);
            try {
                checked(CachingSha2Password.verifyFull(password, account.sha2Hash));
            } finally {
                Arrays.fill(password, (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            checked(false);
        }
    }

    /**
     * The password has been checked: counts the outcome for the client's address, then answers,
     * at once or, for an address with repeated failures, after its delay.
     */
    private void checked(boolean passwordOk) {
        boolean ok = passwordOk && account != runtime.accounts.nobody;
        String address = addressKey();
        // a delayed login holds a connection slot: never longer than a client that does not log in at all
        long delay = Math.min(runtime.authFailures.delayNanos(address), runtime.config.limits().authTimeout().toNanos());
        if (ok) {
            runtime.authFailures.succeeded(address);
        } else {
            runtime.authFailures.failed(address);
        }
        if (delay == 0) {
            answer(ok);
            return;
        }
        // the wait is the proxy's doing, not the client's: the login timeout must not cut it short
        timeout.cancel(false);
        state = State.DELAYED;
        channel.eventLoop().schedule(() -> {
            if (state == State.DELAYED && channel.isActive()) {
                answer(ok);
            }
        }, delay, TimeUnit.NANOSECONDS);
    }

    private void answer(boolean ok) {
        if (!ok) {
            denied();
            return;
        }
        if (fastAuthSuccess) {
            writeMore(new byte[] {CachingSha2Password.FAST_AUTH_SUCCESS});
        }
        authenticated();
    }

    /** The key of the client's address in {@link AuthFailures}. */
    private String addressKey() {
        InetAddress a = clientAddress();
        return a != null ? a.getHostAddress() : String.valueOf(channel.remoteAddress());
    }

    private void authenticated() {
        InetAddress from = clientAddress();
        if (from != null && !account.config.allows(from)) {
            refuse(Refusal.HOST_NOT_ALLOWED, Refusal.HOST_NOT_ALLOWED.packet("Host '" + from.getHostAddress()
                    + "' is not allowed to connect as '" + account.config.name() + "'"));
            return;
        }
        if (account.config.requireTls() && !tls) {
            refuse(Refusal.USER_TLS_REQUIRED, Refusal.USER_TLS_REQUIRED.packet(accessDeniedMessage()
                    + ": the account requires TLS; connect with TLS (for example --ssl-mode=REQUIRED or "
                    + "sslMode=REQUIRED)"));
            return;
        }
        if (!account.admit()) {
            refuse(Refusal.USER_FULL, Refusal.USER_FULL.packet("User '" + account.config.name()
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
                refuse(Refusal.SESSION_NOT_OPENED, err);
            }
        });
    }

    private InetAddress clientAddress() {
        return channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    }

    private void denied() {
        refuse(Refusal.ACCESS_DENIED, Refusal.ACCESS_DENIED.packet(accessDeniedMessage()));
    }

    private String accessDeniedMessage() {
        String host = clientAddress() == null ? "localhost" : clientAddress().getHostAddress();
        String user = response == null ? "" : response.username();
        return "Access denied for user '" + user + "'@'" + host + "' (using password: "
                + (response != null && response.authResponse().length > 0 ? "YES" : "NO") + ")";
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
    void refuse(Refusal reason, ErrPacket err) {
        if (refused) {
            return;
        }
        refused = true;
        runtime.refused(reason, channel.remoteAddress(), response == null ? null : response.username(), err);
        if (timeout != null) {
            timeout.cancel(false);
        }
        boolean midTls = state == State.TLS;
        state = State.DONE;
        if (!channel.isActive()) {
            return;
        }
        channel.config().setAutoRead(false);
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
