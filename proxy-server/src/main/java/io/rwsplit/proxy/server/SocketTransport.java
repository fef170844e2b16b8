package io.rwsplit.proxy.server;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.rwsplit.proxy.config.ListenConfig.Transport;
import java.util.function.Supplier;

/**
 * The socket implementation the proxy's event loops and channels use. Native epoll costs fewer
 * system calls and less work per wake-up than Java's NIO selector, which matters for a hop that
 * handles a few hundred bytes per statement; NIO remains for machines where the native library
 * does not load.
 *
 * @param name          for the start-up log line
 * @param ioHandlers    makes one event loop's I/O handler
 * @param serverChannel the listener's channel type
 * @param channel       the client and server connections' channel type
 */
record SocketTransport(String name, Supplier<IoHandlerFactory> ioHandlers,
        Class<? extends ServerSocketChannel> serverChannel, Class<? extends SocketChannel> channel) {

    static final SocketTransport NIO = new SocketTransport("nio", NioIoHandler::newFactory,
            NioServerSocketChannel.class, NioSocketChannel.class);
    static final SocketTransport EPOLL = new SocketTransport("epoll", EpollIoHandler::newFactory,
            EpollServerSocketChannel.class, EpollSocketChannel.class);

    /**
     * @param nativeAvailable whether Netty's epoll library loaded here
     * @param whyNot          why it did not, for the error when epoll was demanded
     * @throws ProxyStartException when epoll is demanded and not available
     */
    static SocketTransport choose(Transport wanted, boolean nativeAvailable, Supplier<Throwable> whyNot) {
        return switch (wanted) {
            case NIO -> NIO;
            case AUTO -> nativeAvailable ? EPOLL : NIO;
            case EPOLL -> {
                if (!nativeAvailable) {
                    Throwable cause = whyNot.get();
                    throw new ProxyStartException("listen.transport is epoll, but Netty's native epoll does not load"
                            + " here (" + (cause == null ? "not Linux" : cause.getMessage())
                            + "); use transport: auto or nio", cause);
                }
                yield EPOLL;
            }
        };
    }

    /** Chooses with what this machine offers. */
    static SocketTransport choose(Transport wanted) {
        return choose(wanted, Epoll.isAvailable(), Epoll::unavailabilityCause);
    }
}
