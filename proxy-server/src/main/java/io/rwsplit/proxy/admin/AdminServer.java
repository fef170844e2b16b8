package io.rwsplit.proxy.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.rwsplit.proxy.config.AdminConfig;
import io.rwsplit.proxy.frontend.ProxyRuntime;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The admin HTTP listener ({@link AdminHandler} lists the endpoints). It has an event loop of its
 * own, one thread, so that a scrape or a slow admin client never takes time from the client
 * loops; requests are small (headers up to 8 KiB, bodies up to {@link #MAX_BODY} bytes) and a
 * connection that sends nothing for {@link #IDLE_SECONDS} seconds is closed.
 */
public final class AdminServer implements AutoCloseable {

    static final int MAX_BODY = 4096;
    static final int IDLE_SECONDS = 60;
    /** The idle timeout's name in a connection's pipeline (taken out while a slow action runs). */
    static final String IDLE_HANDLER = "idle";

    private final EventLoopGroup group;
    private final Channel listener;

    private final java.util.concurrent.ExecutorService actions;

    private AdminServer(EventLoopGroup group, Channel listener, java.util.concurrent.ExecutorService actions) {
        this.actions = actions;
        this.group = group;
        this.listener = listener;
    }

    /**
     * Binds the listener.
     *
     * @param accepting whether the proxy's client listener is accepting clients now
     * @param reload    what {@code POST /api/reload} runs (off the admin thread)
     * @throws IllegalStateException when it cannot bind, with the reason
     */
    public static AdminServer start(AdminConfig config, ProxyRuntime runtime, BooleanSupplier accepting,
            java.util.function.Supplier<ReloadOutcome> reload) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("rwsplit-admin", true),
                NioIoHandler.newFactory());
        StatementRates rates = new StatementRates();
        java.util.concurrent.ExecutorService actions = java.util.concurrent.Executors.newSingleThreadExecutor(
                new DefaultThreadFactory("rwsplit-admin-action", true));
        AdminHandler handler = new AdminHandler(new ProxyAdminApi(runtime, accepting, rates, reload), config.token(),
                config.tokenForReads(), actions);
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(IDLE_HANDLER, new ReadTimeoutHandler(IDLE_SECONDS))
                                .addLast("http", new HttpServerCodec(4096, 8192, 8192))
                                .addLast("aggregate", new HttpObjectAggregator(MAX_BODY))
                                .addLast("admin", handler);
                    }
                });
        try {
            Channel listener = b.bind(config.address(), config.port()).syncUninterruptibly().channel();
            group.next().scheduleAtFixedRate(() -> rates.sample(runtime.currentTopology(), System.nanoTime()), 0, 1,
                    TimeUnit.SECONDS);
            return new AdminServer(group, listener, actions);
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            actions.shutdownNow();
            throw new IllegalStateException("cannot listen on " + config.address() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The bound address (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void close() {
        listener.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        actions.shutdownNow();
    }
}
