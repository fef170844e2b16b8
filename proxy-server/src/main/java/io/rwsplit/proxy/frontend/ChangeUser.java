package io.rwsplit.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.rwsplit.proxy.auth.CachingSha2Password;
import io.rwsplit.proxy.auth.NativePassword;
import io.rwsplit.proxy.codec.MalformedPacketException;
import io.rwsplit.proxy.codec.Packet;
import io.rwsplit.proxy.protocol.AuthMoreData;
import io.rwsplit.proxy.protocol.AuthSwitchRequest;
import io.rwsplit.proxy.protocol.Capabilities;
import io.rwsplit.proxy.protocol.ChangeUserRequest;
import io.rwsplit.proxy.protocol.ErrPacket;
import io.rwsplit.proxy.protocol.ErrorCode;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * COM_CHANGE_USER for one session: authenticate the named user again, then start a fresh session
 * as that user.
 *
 * <p>The client's first answer was computed over the scramble of the connection's greeting, which
 * the proxy does not keep; so the proxy always switches the client to the account's plugin with a
 * fresh scramble (any client that speaks {@code CLIENT_PLUGIN_AUTH} follows a switch). The proxy
 * holds each account's caching_sha2_password hash, so its fast path decides: an answer that does
 * not verify is a wrong password, with no full-authentication round. A refused change is ERR 1045
 * and a closed connection, as a refused login would be; it passes through
 * {@link ProxyRuntime#refused} like one, and a wrong password counts as a failure of the client's
 * address (see {@link AuthFailures}; the delay itself falls on the logins that follow, since a
 * refused change closes the connection).
 */
final class ChangeUser {

    private final ClientSession session;
    private final ChangeUserRequest request;
    private Accounts.Account account;
    private String plugin;
    private byte[] scramble;

    private ChangeUser(ClientSession session, ChangeUserRequest request) {
        this.session = session;
        this.request = request;
    }

    /**
     * Starts the change for the command in {@code message} (command byte first; released here).
     * Returns the change waiting for the client's answer, or {@code null} when it already ended.
     */
    static ChangeUser start(ClientSession session, ByteBuf message) {
        ChangeUserRequest request;
        try {
            request = ChangeUserRequest.decode(message, session.capabilities());
        } catch (MalformedPacketException | RuntimeException e) {
            session.closeWithError(ErrorCode.MALFORMED_PACKET.packet("Malformed communication packet: "
                    + "COM_CHANGE_USER: " + e.getMessage()));
            return null;
        } finally {
            message.release();
        }
        if (!Capabilities.has(session.capabilities(), Capabilities.CLIENT_PLUGIN_AUTH)) {
            session.fail(ErrorCode.NOT_SUPPORTED.packet("COM_CHANGE_USER needs a client with CLIENT_PLUGIN_AUTH; "
                    + "open a new connection as the other user"));
            return null;
        }
        ChangeUser change = new ChangeUser(session, request);
        change.switchPlugin();
        return change;
    }

    private void switchPlugin() {
        ProxyRuntime runtime = session.runtime();
        Accounts.Account a = runtime.accounts.find(request.username());
        account = a != null ? a : runtime.accounts.nobody;
        plugin = account.preferredPlugin(runtime.identity().defaultAuthPlugin());
        scramble = runtime.scramble.next();
        ByteBuf out = session.channel().alloc().buffer(64);
        AuthSwitchRequest.withScramble(plugin, scramble).writeTo(out);
        session.writePayload(out);
        session.channel().flush();
    }

    /** The client's answer to the switch; ends the change either way. */
    void onPacket(Packet p) {
        byte[] token;
        try {
            if (p.sequenceId() != ((session.lastSequence() + 1) & 0xFF)) {
                session.closeWithError(ErrorCode.PACKETS_OUT_OF_ORDER.packet("Got packets out of order"));
                return;
            }
            session.continuation(p.sequenceId());
            ByteBuf payload = p.payload();
            token = new byte[payload.readableBytes()];
            payload.readBytes(token);
        } finally {
            p.release();
        }
        boolean ok;
        if (plugin.equals(NativePassword.PLUGIN_NAME)) {
            ok = NativePassword.verify(token, scramble, account.nativeHash);
        } else {
            ok = CachingSha2Password.verifyFast(token, scramble, account.sha2Hash);
            if (ok) {
                ByteBuf out = session.channel().alloc().buffer(2);
                new AuthMoreData(new byte[] {CachingSha2Password.FAST_AUTH_SUCCESS}).writeTo(out);
                session.writePayload(out);
            }
        }
        InetAddress from = clientAddress();
        String denied = "Access denied for user '" + request.username() + "'@'"
                + (from == null ? "localhost" : from.getHostAddress()) + "' (using password: "
                + (token.length > 0 ? "YES" : "NO") + ")";
        if (!ok || account == session.runtime().accounts.nobody) {
            session.runtime().authFailures.failed(from != null ? from.getHostAddress()
                    : String.valueOf(session.channel().remoteAddress()));
            refuse(Refusal.ACCESS_DENIED, Refusal.ACCESS_DENIED.packet(denied));
            return;
        }
        if (from != null && !account.config.allows(from)) {
            refuse(Refusal.HOST_NOT_ALLOWED, Refusal.HOST_NOT_ALLOWED.packet("Host '" + from.getHostAddress()
                    + "' is not allowed to connect as '" + account.config.name() + "'"));
            return;
        }
        if (account.config.requireTls() && !session.overTls()) {
            // as at login: MySQL answers an account's REQUIRE SSL with 1045 (see Refusal.USER_TLS_REQUIRED)
            refuse(Refusal.USER_TLS_REQUIRED, Refusal.USER_TLS_REQUIRED.packet(denied
                    + ": the account requires TLS; connect with TLS (for example --ssl-mode=REQUIRED or "
                    + "sslMode=REQUIRED)"));
            return;
        }
        // the same user keeps its slot; after a reload its Account is a new object sharing the count
        if (account.connections != session.account().connections && !account.admit()) {
            refuse(Refusal.USER_FULL, Refusal.USER_FULL.packet("User '" + account.config.name()
                    + "' has exceeded the 'max_user_connections' resource (current value: "
                    + account.config.maxConnections() + ")"));
            return;
        }
        session.changedUser(account, request);
    }

    private void refuse(Refusal reason, ErrPacket err) {
        session.runtime().refused(reason, session.channel().remoteAddress(), request.username(), err);
        session.closeWithError(err);
    }

    private InetAddress clientAddress() {
        return session.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    }
}
