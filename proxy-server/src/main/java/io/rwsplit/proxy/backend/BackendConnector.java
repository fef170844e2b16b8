package io.rwsplit.proxy.backend;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.proxy.codec.PacketEncoder;
import io.rwsplit.proxy.protocol.ErrorCode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Opens logged-in connections to servers on a given event loop. The whole of it (TCP, TLS, login)
 * must finish within the connect timeout, or the attempt fails with a message naming the node.
 */
public final class BackendConnector {

    private static final PacketEncoder ENCODER = new PacketEncoder();

    private final Class<? extends Channel> channelType;
    private final SslContext tls;
    private final boolean tlsRequired;
    private final Duration connectTimeout;

    /**
     * @param tls         a client TLS context to use when a server offers TLS, or {@code null} for plain connections
     * @param tlsRequired fail connections to servers that do not offer TLS
     */
    public BackendConnector(Class<? extends Channel> channelType, SslContext tls, boolean tlsRequired,
            Duration connectTimeout) {
        this.channelType = channelType;
        this.tls = tls;
        this.tlsRequired = tlsRequired;
        this.connectTimeout = connectTimeout;
    }

    public Future<BackendConnection> connect(EventLoop loop, NodeId node, BackendProfile profile,
            BackendCredentials credentials, boolean multiStatements) {
        Promise<BackendConnection> promise = loop.newPromise();
        Bootstrap b = new Bootstrap().group(loop).channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, connectTimeout.toMillis()))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        BackendConnection c = new BackendConnection(ch, node, profile);
                        c.startLogin(new BackendLogin(c, credentials, tls, tlsRequired, multiStatements, promise));
                        ch.pipeline().addLast("frames", new BackendDecoder(c)).addLast("packets", ENCODER);
                    }
                });
        ChannelFuture f = b.connect(node.host(), node.port());
        ScheduledFuture<?> timeout = loop.schedule(() -> {
            if (promise.tryFailure(BackendException.lost(ErrorCode.CANNOT_CONNECT, "cannot connect to " + node.name()
                    + " (" + node.address() + "): no login within " + connectTimeout.toMillis() + " ms", null))) {
                f.channel().close();
            }
        }, connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        promise.addListener(x -> timeout.cancel(false));
        f.addListener(x -> {
            if (!x.isSuccess()) {
                Throwable cause = x.cause();
                promise.tryFailure(BackendException.lost(ErrorCode.CANNOT_CONNECT, "cannot connect to " + node.name()
                        + " (" + node.address() + "): " + (cause == null ? "cancelled" : cause.getMessage()), cause));
            }
        });
        return promise;
    }
}
