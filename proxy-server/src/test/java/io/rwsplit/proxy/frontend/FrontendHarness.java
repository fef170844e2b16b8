package io.rwsplit.proxy.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.rwsplit.core.balance.LoadBalancers;
import io.rwsplit.core.config.ConfigLoader;
import io.rwsplit.core.config.RwsplitConfig;
import io.rwsplit.core.route.Router;
import io.rwsplit.core.route.RoutingPolicy;
import io.rwsplit.core.sql.StatementClassifier;
import io.rwsplit.core.topology.TopologyMonitor;
import io.rwsplit.proxy.auth.CachingSha2Password;
import io.rwsplit.proxy.auth.Scramble;
import io.rwsplit.proxy.backend.BackendConnector;
import io.rwsplit.proxy.codec.MalformedPacketException;
import io.rwsplit.proxy.codec.PacketDecoder;
import io.rwsplit.proxy.codec.PacketEncoder;
import io.rwsplit.proxy.config.BackendConfig;
import io.rwsplit.proxy.config.ClientTlsConfig;
import io.rwsplit.proxy.config.LimitsConfig;
import io.rwsplit.proxy.config.ListenConfig;
import io.rwsplit.proxy.config.ProxyConfig;
import io.rwsplit.proxy.config.UserConfig;
import io.rwsplit.proxy.protocol.Capabilities;
import io.rwsplit.proxy.protocol.CharacterSets;
import io.rwsplit.proxy.protocol.ErrPacket;
import io.rwsplit.proxy.protocol.HandshakeResponse41;
import io.rwsplit.proxy.protocol.HandshakeV10;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * A client channel of a proxy that has no database behind it: the real pipeline (framing, login,
 * session) in an {@link EmbeddedChannel}, fed bytes as a client would send them. Whatever needs no
 * server (login, framing, the commands the proxy answers itself) runs for real; time is the
 * channel's own, moved on by {@link #advance}.
 */
final class FrontendHarness implements AutoCloseable {

    static final String USER = "app";
    static final String PASSWORD = "secret";
    /** What the test client announces: a 4.1 client with plugin auth and OK instead of EOF. */
    static final long CLIENT_CAPABILITIES = Capabilities.CLIENT_LONG_PASSWORD | Capabilities.CLIENT_PROTOCOL_41
            | Capabilities.CLIENT_SECURE_CONNECTION | Capabilities.CLIENT_TRANSACTIONS
            | Capabilities.CLIENT_MULTI_RESULTS | Capabilities.CLIENT_PLUGIN_AUTH
            | Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | Capabilities.CLIENT_DEPRECATE_EOF;

    /** One packet the proxy wrote. */
    record Out(int sequenceId, byte[] payload) {
        int first() {
            return payload.length == 0 ? -1 : payload[0] & 0xFF;
        }

        ErrPacket err() {
            assertThat(first()).as("an ERR packet, not %s", this).isEqualTo(0xFF);
            try {
                return ErrPacket.decode(Unpooled.wrappedBuffer(payload));
            } catch (MalformedPacketException e) {
                throw new AssertionError(e);
            }
        }

        boolean isOk() {
            return first() == 0x00;
        }

        @Override
        public String toString() {
            return "Out(seq=" + sequenceId + ", " + ByteBufUtil.hexDump(payload) + ")";
        }
    }

    /** One key for every harness: making a 2048-bit key takes longer than most of these tests. */
    private static final KeyPair RSA = rsaKey();

    final ProxyRuntime runtime;
    EmbeddedChannel channel;
    private final TopologyMonitor monitor;
    private final ByteBuf written = Unpooled.buffer();
    /** The proxy's clock for failed logins, moved with the channel's by {@link #advance}. */
    private final AtomicLong nanos = new AtomicLong();

    FrontendHarness(LimitsConfig limits) {
        this(limits, List.of(UserConfig.plain(USER, PASSWORD)));
    }

    /** With these accounts; {@link #USER} is the one {@link #login} uses. */
    FrontendHarness(LimitsConfig limits, List<UserConfig> users) {
        RwsplitConfig routing = ConfigLoader.fromYaml("nodes:\n  - {name: db1, host: 127.0.0.1, port: 1}\n");
        ProxyConfig config = new ProxyConfig(new ListenConfig("127.0.0.1", 0), users, ClientTlsConfig.OFF,
                new BackendConfig(BackendConfig.BackendTls.DISABLED, Duration.ofSeconds(1)), limits, routing);
        monitor = new TopologyMonitor(routing.nodes(), routing.monitor(), node -> {
            throw new SQLException("no database in this test");
        }, (before, after) -> { });
        runtime = new ProxyRuntime(config, new StatementClassifier(routing.classifier()),
                new Router(RoutingPolicy.from(routing), LoadBalancers.create(routing.balance(),
                        RandomGenerator.of("L64X128MixRandom"))), monitor, new Accounts(config.users()), null, RSA,
                new Scramble(new SecureRandom()), new BackendConnector(NioSocketChannel.class, null, false,
                        Duration.ofSeconds(1)), nanos::get);
        channel = new EmbeddedChannel(new PacketDecoder(), new PacketEncoder(), runtime.frontendHandler());
        // only advance() moves the clock: a busy machine must not age a timer under test
        channel.freezeTime();
    }

    /** Closes this client's channel and connects a new one (from the same address) to the same proxy. */
    void reconnect() {
        channel.finishAndReleaseAll();
        written.clear();
        channel = new EmbeddedChannel(new PacketDecoder(), new PacketEncoder(), runtime.frontendHandler());
        channel.freezeTime();
    }

    private static KeyPair rsaKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bytes as they come off the client's socket, in one read. */
    void sendRaw(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    /** One packet: header (length, sequence id) and payload. */
    void send(int sequenceId, byte[] payload) {
        sendRaw(frame(sequenceId, payload));
    }

    static byte[] frame(int sequenceId, byte[] payload) {
        ByteBuf b = Unpooled.buffer(4 + payload.length);
        b.writeMediumLE(payload.length).writeByte(sequenceId).writeBytes(payload);
        return ByteBufUtil.getBytes(b);
    }

    /** Everything the proxy wrote since the last call, as it would cross the wire. */
    byte[] output() {
        collect();
        byte[] bytes = ByteBufUtil.getBytes(written);
        written.clear();
        return bytes;
    }

    private void collect() {
        for (;;) {
            Object o = channel.readOutbound();
            if (o == null) {
                return;
            }
            ByteBuf b = (ByteBuf) o;
            written.writeBytes(b);
            b.release();
        }
    }

    /** The next packet the proxy wrote, or {@code null} if it wrote none (yet). */
    Out next() {
        collect();
        if (written.readableBytes() < 4) {
            return null;
        }
        int length = written.getUnsignedMediumLE(written.readerIndex());
        if (written.readableBytes() < 4 + length) {
            return null;
        }
        int seq = written.getUnsignedByte(written.readerIndex() + 3);
        written.skipBytes(4);
        byte[] payload = new byte[length];
        written.readBytes(payload);
        written.discardReadBytes();
        return new Out(seq, payload);
    }

    HandshakeV10 greeting() {
        Out g = next();
        assertThat(g).as("the greeting").isNotNull();
        assertThat(g.sequenceId()).isZero();
        try {
            return HandshakeV10.decode(Unpooled.wrappedBuffer(g.payload()));
        } catch (MalformedPacketException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] handshakeResponse(byte[] scramble) {
        HandshakeResponse41 r = new HandshakeResponse41(CLIENT_CAPABILITIES, 1 << 24,
                CharacterSets.UTF8MB4_GENERAL_CI, USER, CachingSha2Password.fastToken(PASSWORD, scramble), null,
                CachingSha2Password.PLUGIN_NAME, Map.of(), 0);
        ByteBuf b = Unpooled.buffer();
        r.writeTo(b);
        return ByteBufUtil.getBytes(b);
    }

    /** Logs in (caching_sha2_password, fast path) and checks the OK; the next command starts at sequence id 0. */
    FrontendHarness login() {
        HandshakeV10 greeting = greeting();
        send(1, handshakeResponse(greeting.scramble()));
        Out fast = next();
        assertThat(fast.payload()).as("fast auth success").containsExactly(0x01, CachingSha2Password.FAST_AUTH_SUCCESS);
        Out ok = next();
        assertThat(ok.isOk()).as("login OK, not %s", ok).isTrue();
        assertThat(ok.sequenceId()).isEqualTo(3);
        return this;
    }

    /** A command packet (sequence id 0): the command byte, then the rest. */
    void command(int command, int... rest) {
        byte[] bytes = new byte[rest.length];
        for (int i = 0; i < rest.length; i++) {
            bytes[i] = (byte) rest[i];
        }
        command(command, bytes);
    }

    void command(int command, byte[] rest) {
        byte[] payload = new byte[1 + rest.length];
        payload[0] = (byte) command;
        System.arraycopy(rest, 0, payload, 1, rest.length);
        send(0, payload);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Moves the channel's clock on and runs the timers that came due. */
    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
        channel.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    /** COM_PING answered with OK: the session still takes commands. */
    void assertStillServes() {
        command(0x0E);
        Out ok = next();
        assertThat(ok).as("an answer to COM_PING").isNotNull();
        assertThat(ok.isOk()).as("OK to COM_PING, not %s", ok).isTrue();
        assertThat(ok.sequenceId()).isEqualTo(1);
        assertThat(channel.isOpen()).isTrue();
    }

    /** The last thing the proxy did was close the connection, after writing nothing more than {@code err}. */
    void assertRefused(Out err, int errno, String sqlState) {
        assertThat(err).as("an ERR packet").isNotNull();
        ErrPacket e = err.err();
        assertThat(e.errorCode()).as("errno of %s", e).isEqualTo(errno);
        assertThat(e.sqlState()).as("SQLSTATE of %s", e).isEqualTo(sqlState);
        channel.runPendingTasks();
        assertThat(channel.isOpen()).as("the connection is closed").isFalse();
        assertThat(next()).as("nothing after the ERR").isNull();
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
        written.release();
        monitor.close();
        runtime.close();
    }
}
