package io.rwsplit.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.concurrent.ScheduledFuture;
import io.rwsplit.proxy.codec.Packet;
import io.rwsplit.proxy.codec.PacketDecoder;
import io.rwsplit.proxy.protocol.ErrPacket;
import io.rwsplit.proxy.protocol.ErrorCode;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a client channel: admits the client (the proxy's connection limit), runs
 * its login, then hands its packets to its session. Whatever goes wrong on one channel closes
 * that channel only.
 *
 * <p>Time limits: the login has {@code limits.authTimeout} in all ({@link ClientLogin}); after it,
 * a client that stops in the middle of a packet, or between the packets of one message, is
 * disconnected once no byte came for {@code limits.readTimeout} (a server's
 * {@code net_read_timeout}). One timer per channel, armed only while a packet is incomplete,
 * checks the time of the last read against the event loop's ticker. While the proxy itself has
 * stopped reading the client (backpressure), the client is not the one stalling.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(FrontendHandler.class);
    /** Before login a client sends its handshake response and auth data, never more than this. */
    static final int LOGIN_MAX_PACKET = 64 * 1024;

    private final ProxyRuntime runtime;
    private boolean admitted;
    private ClientLogin login;
    private ClientSession session;
    private ChannelHandlerContext ctx;
    private PacketDecoder decoder;
    private long lastReadNanos;
    private ScheduledFuture<?> stallCheck;

    FrontendHandler(ProxyRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (!runtime.admitClient()) {
            refuseAtOnce(ctx, Refusal.PROXY_FULL, Refusal.PROXY_FULL.packet("Too many connections: the proxy holds "
                    + runtime.config.limits().maxConnections() + " (limits.maxConnections)"));
            return;
        }
        admitted = true;
        if (runtime.closing()) {
            refuseAtOnce(ctx, Refusal.SHUTTING_DOWN, Refusal.SHUTTING_DOWN.packet("Server shutdown in progress"));
            return;
        }
        decoder = ctx.pipeline().get(PacketDecoder.class);
        decoder.maxLength(LOGIN_MAX_PACKET);
        if (runtime.clientTls != null) {
            decoder.watchTlsRequest();
        }
        login = new ClientLogin(runtime, ctx.channel(), this);
        login.start();
    }

    /** An error packet with sequence id 0, as a server sends it before any greeting, then close. */
    private void refuseAtOnce(ChannelHandlerContext ctx, Refusal reason, ErrPacket err) {
        runtime.refused(reason, ctx.channel().remoteAddress(), null, err);
        ByteBuf out = ctx.alloc().buffer(64);
        err.writeTo(out);
        ctx.writeAndFlush(new Packet(0, out)).addListener(f -> ctx.close());
    }

    void loggedIn(ClientSession s) {
        login = null;
        if (!ctx.channel().isActive()) {
            s.close();
            return;
        }
        session = s;
        runtime.metrics.sessionOpened();
        decoder.maxLength(Packet.MAX_PAYLOAD);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Packet p)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        if (session != null) {
            session.onPacket(p);
        } else if (login != null) {
            login.onPacket(p);
        } else {
            p.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (session != null) {
            session.readComplete();
            watchForStall();
        }
        ctx.flush();
    }

    /** Bytes came: the client is not stalled now; if they left a packet unfinished, see that the rest follows. */
    private void watchForStall() {
        lastReadNanos = ctx.channel().eventLoop().ticker().nanoTime();
        if (stallCheck == null && midPacket()) {
            scheduleStallCheck(runtime.config.limits().readTimeout().toNanos());
        }
    }

    private boolean midPacket() {
        return decoder.midPacket() || session.midMessage();
    }

    private void scheduleStallCheck(long nanos) {
        stallCheck = ctx.channel().eventLoop().schedule(this::checkStall, nanos, TimeUnit.NANOSECONDS);
    }

    private void checkStall() {
        stallCheck = null;
        if (session == null || !ctx.channel().isActive() || !midPacket()) {
            return;
        }
        long now = ctx.channel().eventLoop().ticker().nanoTime();
        if (!ctx.channel().config().isAutoRead()) {
            lastReadNanos = now; // the proxy is not reading: nothing to hold against the client
        }
        long timeout = runtime.config.limits().readTimeout().toNanos();
        long quiet = now - lastReadNanos;
        if (quiet < timeout) {
            scheduleStallCheck(timeout - quiet);
            return;
        }
        session.readTimedOut(TimeUnit.NANOSECONDS.toMillis(timeout));
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (session != null) {
            session.writabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (stallCheck != null) {
            stallCheck.cancel(false);
            stallCheck = null;
        }
        if (login != null) {
            login.closed();
        }
        if (session != null) {
            session.close();
        }
        if (admitted) {
            admitted = false;
            runtime.clientGone();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof TooLongFrameException) {
            ErrPacket err = ErrorCode.PACKET_TOO_LARGE.packet("Got a packet bigger than the proxy accepts before login ("
                    + c.getMessage() + ")");
            if (login != null) {
                login.refuse(Refusal.PROTOCOL, err);
                return;
            }
        }
        if (c instanceof java.io.IOException) {
            log.debug("client {}: {}", ctx.channel().remoteAddress(), c.toString());
        } else {
            log.warn("client {}: closing after an unexpected error", ctx.channel().remoteAddress(), c);
        }
        ctx.close();
    }
}
