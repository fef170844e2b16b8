package io.rwsplit.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.rwsplit.proxy.config.ListenConfig.Transport;
import org.junit.jupiter.api.Test;

class SocketTransportTest {

    private static final UnsatisfiedLinkError NO_LIBRARY = new UnsatisfiedLinkError("no netty_transport_native_epoll");

    @Test
    void autoTakesEpollWhereItLoadsAndNioElsewhere() {
        assertThat(SocketTransport.choose(Transport.AUTO, true, () -> null)).isSameAs(SocketTransport.EPOLL);
        assertThat(SocketTransport.choose(Transport.AUTO, false, () -> NO_LIBRARY)).isSameAs(SocketTransport.NIO);
    }

    @Test
    void nioIsTakenWhenAskedForEvenWhereEpollLoads() {
        assertThat(SocketTransport.choose(Transport.NIO, true, () -> null)).isSameAs(SocketTransport.NIO);
    }

    @Test
    void epollDemandedWhereItCannotLoadStopsTheStartWithTheReasonAndAWayOut() {
        assertThatThrownBy(() -> SocketTransport.choose(Transport.EPOLL, false, () -> NO_LIBRARY))
                .isInstanceOf(ProxyStartException.class)
                .hasMessageContaining("listen.transport is epoll")
                .hasMessageContaining("no netty_transport_native_epoll")
                .hasMessageContaining("use transport: auto or nio");
    }

    @Test
    void theShippedNativeLibraryLoadsOnThisLinuxMachine() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux")
                && System.getProperty("os.arch").matches("amd64|x86_64|aarch64"),
                "the proxy ships epoll for Linux on x86_64 and aarch64 only");
        assertThat(Epoll.isAvailable()).as("Epoll.unavailabilityCause: %s", Epoll.unavailabilityCause()).isTrue();
        assertThat(SocketTransport.choose(Transport.AUTO)).isSameAs(SocketTransport.EPOLL);
    }
}
