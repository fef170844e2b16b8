package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.rwsplit.proxy.auth.CachingSha2Password;
import io.rwsplit.proxy.auth.NativePassword;
import io.rwsplit.proxy.config.ClientTlsConfig;
import io.rwsplit.proxy.config.LimitsConfig;
import io.rwsplit.proxy.it.RawClient.Pkt;
import io.rwsplit.proxy.protocol.ErrPacket;
import io.rwsplit.proxy.protocol.HandshakeV10;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Malformed and hostile clients on raw sockets against a proxy in front of a real cluster: each
 * gets an ERR packet with the server's errno and SQLSTATE for the same condition, or a closed
 * connection, within a socket read timeout; meanwhile a well-behaved Connector/J session
 * ({@link Bystander}) runs statements throughout, and after every test it must have made progress
 * without a single error, and the proxy must hold no connection but its own.
 */
@SandboxCluster(replicas = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileClientsIT {

    private static final Duration AUTH_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
    private static final long MAX_MESSAGE = 1 << 20;
    /** How long a raw socket waits for any answer: well past every timeout of the proxy. */
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(6);

    private final Cluster cluster;
    private RunningProxy proxy;
    private Bystander bystander;
    private long statementsBefore;

    HostileClientsIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    void start() throws SQLException {
        try (Connection c = cluster.primary().connect(cluster.app()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS hx_bystander (id INT AUTO_INCREMENT PRIMARY KEY, n INT)");
        }
        cluster.awaitReplicasCaughtUp(Duration.ofSeconds(10));
        LimitsConfig limits = LimitsConfig.DEFAULTS.withAuthTimeout(AUTH_TIMEOUT).withReadTimeout(READ_TIMEOUT)
                .withMaxMessageBytes(MAX_MESSAGE);
        proxy = RunningProxy.start(cluster, "", limits, ClientTlsConfig.OFF);
        bystander = new Bystander(proxy);
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (bystander != null) {
            bystander.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @BeforeEach
    void noteBystander() {
        await().atMost(Duration.ofSeconds(10)).until(() -> bystander.statements() > 0 || bystander.failure() != null);
        statementsBefore = bystander.statements();
    }

    @AfterEach
    void bystanderWasNotDisturbed() {
        await().atMost(Duration.ofSeconds(10)).until(() -> bystander.statements() >= statementsBefore + 20
                || bystander.failure() != null);
        assertThat(bystander.failure()).as("the well-behaved session's errors").isNull();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(proxy.server.runtime().clientCount())
                .as("client connections left: the bystander's only").isEqualTo(1));
    }

    private RawClient connect() throws IOException {
        return RawClient.connect(proxy.port(), SOCKET_TIMEOUT);
    }

    private RawClient loggedIn() throws IOException {
        return connect().login(cluster.app().user(), cluster.app().password(), cluster.database());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Prepared statements a session never closes are bounded too: past the bound, ERR 1461 and the session goes on. */
    @Test
    void preparedStatementsNeverClosedAreBounded() throws SQLException {
        String pad = "x".repeat(300_000);
        // without emulateUnsupportedPstmts=false Connector/J quietly prepares on the client instead
        try (Connection c = proxy.connect("useServerPrepStmts=true&cachePrepStmts=false&emulateUnsupportedPstmts=false")) {
            java.util.List<java.sql.PreparedStatement> held = new java.util.ArrayList<>();
            SQLException refused = null;
            for (int i = 0; i < 10 && refused == null; i++) {
                try {
                    held.add(c.prepareStatement("SELECT LENGTH('" + pad + i + "') + ?"));
                } catch (SQLException e) {
                    refused = e;
                }
            }
            assertThat((Object) refused).as("a prepare past 1 MiB of held statement text").isNotNull();
            assertThat(refused.getErrorCode()).isEqualTo(1461);
            assertThat(refused.getSQLState()).isEqualTo("42000");
            assertThat(held.size()).isBetween(1, 4);
            held.get(0).close();
            try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT ? + 1")) {
                ps.setInt(1, 41);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(42);
                }
            }
        }
    }

    // ---- before and during the login --------------------------------------------------------------

    @Test
    void anHttpRequestInsteadOfALoginGets1153AndIsClosed() throws IOException {
        try (RawClient c = connect()) {
            c.readGreeting();
            c.writeRaw(ascii("GET / HTTP/1.1\r\nHost: db\r\n\r\n"));
            c.expectErr(1153, "08S01");
            c.expectClosed();
        }
    }

    @Test
    void garbageSentBeforeTheGreetingIsReadIsRefusedToo() throws IOException {
        try (RawClient c = connect()) {
            byte[] junk = new byte[300];
            Arrays.fill(junk, (byte) 0xAB);
            c.writeRaw(junk);
            c.readGreeting();
            c.expectErr(1153, "08S01");
            c.expectClosed();
        }
    }

    @Test
    void aHandshakeResponseWithTheWrongSequenceIdGets1156() throws IOException {
        try (RawClient c = connect()) {
            HandshakeV10 g = c.readGreeting();
            c.write(3, RawClient.handshakeResponse(g, cluster.app().user(), cluster.app().password(), null,
                    g.authPluginName()));
            c.expectErr(1156, "08S01");
            c.expectClosed();
        }
    }

    @Test
    void aTruncatedHandshakeResponseGets1043() throws IOException {
        try (RawClient c = connect()) {
            HandshakeV10 g = c.readGreeting();
            byte[] r = RawClient.handshakeResponse(g, cluster.app().user(), cluster.app().password(), null,
                    g.authPluginName());
            c.write(1, Arrays.copyOf(r, 36));
            c.expectErr(1043, "08S01");
            c.expectClosed();
        }
    }

    @Test
    void anOversizedLoginPacketGets1153WithoutItsBodyBeingRead() throws IOException {
        try (RawClient c = connect()) {
            c.readGreeting();
            c.writeRaw(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01}); // 16 MiB - 1 announced
            c.expectErr(1153, "08S01");
            c.expectClosed();
        }
    }

    @Test
    void aClientThatNeverSendsItsHandshakeResponseIsClosedAtTheAuthTimeout() throws IOException {
        try (RawClient c = connect()) {
            c.readGreeting();
            long started = System.nanoTime();
            ErrPacket e = c.expectErr(1159, "08S01");
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            c.expectClosed();
            assertThat(e.message()).contains("no login within " + AUTH_TIMEOUT.toMillis() + " ms");
            assertThat(waited).as("ms until the proxy gave up").isBetween(AUTH_TIMEOUT.toMillis() - 100,
                    AUTH_TIMEOUT.toMillis() + 3000);
        }
    }

    @Test
    void aClientThatStopsAfterAnAuthSwitchIsClosedAtTheAuthTimeout() throws IOException {
        try (RawClient c = connect()) {
            HandshakeV10 g = c.readGreeting();
            // answer with the plugin the greeting did not offer: the proxy switches the client to its own
            String other = g.authPluginName().equals(NativePassword.PLUGIN_NAME) ? CachingSha2Password.PLUGIN_NAME
                    : NativePassword.PLUGIN_NAME;
            c.write(1, RawClient.handshakeResponse(g, cluster.app().user(), cluster.app().password(), null, other));
            Pkt sw = c.read();
            assertThat(sw.first()).as("an AuthSwitchRequest, not %s", sw).isEqualTo(0xFE);
            c.expectErr(1159, "08S01");
            c.expectClosed();
        }
    }

    @Test
    void manyHostileConnectionsAtOnceAreAllClosed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                boolean silent = i % 3 == 0;
                all.add(pool.submit(() -> {
                    try (RawClient c = connect()) {
                        c.readGreeting();
                        if (!silent) {
                            c.writeRaw(ascii("\u0001\u0000\u0000\u0007garbage after a bad header"));
                        }
                        Pkt err = c.read();
                        assertThat(err.isErr()).as("an ERR, not %s", err).isTrue();
                        c.expectClosed();
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- commands --------------------------------------------------------------------------------

    @Test
    void commandsTheProxyDoesNotRelayGet1047AndTheSessionGoesOn() throws IOException {
        try (RawClient c = loggedIn()) {
            // COM_SLEEP, COM_SHUTDOWN, COM_PROCESS_INFO, COM_CONNECT, COM_DEBUG, COM_BINLOG_DUMP,
            // COM_REGISTER_SLAVE, COM_BINLOG_DUMP_GTID, COM_STMT_BULK_EXECUTE, and bytes that are no command
            for (int command : new int[] {0x00, 0x08, 0x0A, 0x0B, 0x0D, 0x12, 0x15, 0x1E, 0xFA, 0x42, 0xEE}) {
                c.command(command, new byte[] {1, 0, 0, 0});
                c.expectErr(1047, "08S01");
            }
            c.ping();
            c.query("SELECT 6 * 7");
            List<Pkt> result = c.readResult();
            assertThat(RawClient.rows(result)).singleElement()
                    .satisfies(row -> assertThat(row.payload()).containsExactly(0x02, '4', '2'));
        }
    }

    @Test
    void comChangeUserWithAWrongPasswordGets1045AndIsClosed() throws IOException {
        try (RawClient c = loggedIn()) {
            c.command(0x11, ascii(cluster.app().user() + "\0\0" + cluster.database() + "\0"));
            RawClient.Pkt sw = c.read();
            assertThat(sw.payload()[0] & 0xFF).as("an auth switch, not %s", sw).isEqualTo(0xFE);
            c.write(sw.seq() + 1, new byte[20]);
            ErrPacket e = c.expectErr(1045, "28000");
            assertThat(e.message()).contains("Access denied for user '" + cluster.app().user() + "'");
            c.expectClosed();
        }
    }

    @Test
    void aTruncatedComChangeUserGets1835AndIsClosed() throws IOException {
        try (RawClient c = loggedIn()) {
            c.command(0x11, ascii("no-terminator"));
            c.expectErr(1835, "HY000");
            c.expectClosed();
        }
    }

    @Test
    void aCommandWithTheWrongSequenceIdGets1156AndIsClosed() throws IOException {
        try (RawClient c = loggedIn()) {
            c.write(5, new byte[] {0x0E});
            c.expectErr(1156, "08S01");
            c.expectClosed();
        }
    }

    @Test
    void anEmptyCommandGets1835AndIsClosed() throws IOException {
        try (RawClient c = loggedIn()) {
            c.write(0, new byte[0]);
            c.expectErr(1835, "HY000");
            c.expectClosed();
        }
    }

    @Test
    void aCommandOverMaxMessageBytesGets1153AndIsClosed() throws IOException {
        try (RawClient c = loggedIn()) {
            byte[] q = new byte[(int) MAX_MESSAGE + 100];
            Arrays.fill(q, (byte) ' ');
            byte[] select = ascii("SELECT 1");
            System.arraycopy(select, 0, q, 0, select.length);
            c.query(new String(q, StandardCharsets.US_ASCII));
            ErrPacket e = c.expectErr(1153, "08S01");
            assertThat(e.message()).contains("max_allowed_packet");
            c.expectClosed();
        }
    }

    @Test
    void aClientStalledInsideAPacketIsClosedAtTheReadTimeout() throws IOException {
        try (RawClient c = loggedIn()) {
            byte[] q = RawClient.frame(0, ascii("\u0003SELECT 'the rest of this never comes'"));
            c.writeRaw(Arrays.copyOf(q, 12));
            long started = System.nanoTime();
            c.expectErr(1159, "08S01");
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            c.expectClosed();
            assertThat(waited).isBetween(READ_TIMEOUT.toMillis() - 100, READ_TIMEOUT.toMillis() + 3000);
        }
    }

    // ---- prepared statements ---------------------------------------------------------------------

    /** COM_STMT_EXECUTE of {@code id}: no cursor, one iteration, then {@code rest}. */
    private static byte[] execute(long id, int... rest) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(0x17).writeIntLE((int) id).writeByte(0).writeIntLE(1);
        for (int r : rest) {
            b.writeByte(r);
        }
        return ByteBufUtil.getBytes(b);
    }

    private static final int[] INT_42_AND_ABC = {
        0x00,                   // NULL bitmap: none
        0x01,                   // new-params-bound
        0x03, 0x00, 0xFD, 0x00, // LONG, VAR_STRING
        0x2A, 0x00, 0x00, 0x00, // 42
        0x03, 'a', 'b', 'c'};   // "abc"

    private static int[] cut(int[] a, int n) {
        return Arrays.copyOf(a, n);
    }

    /** Prepares {@code sql}, reads the whole answer, returns the statement id; checks the parameter count. */
    private static long prepare(RawClient c, String sql, int params) throws IOException {
        c.command(0x16, ascii(sql));
        Pkt ok = c.read();
        assertThat(ok.isOk()).as("prepared, not %s", ok).isTrue();
        ByteBuf b = Unpooled.wrappedBuffer(ok.payload());
        b.skipBytes(1);
        long id = b.readUnsignedIntLE();
        int columns = b.readUnsignedShortLE();
        assertThat(b.readUnsignedShortLE()).as("parameters").isEqualTo(params);
        for (int i = 0; i < params + (params > 0 ? 1 : 0) + columns + (columns > 0 ? 1 : 0); i++) {
            c.read();
        }
        return id;
    }

    private static void expectRowWith42AndAbc(RawClient c) throws IOException {
        List<Pkt> rows = RawClient.rows(c.readResult());
        assertThat(rows).hasSize(1);
        byte[] row = rows.get(0).payload();
        assertThat(row[0]).as("a binary row").isEqualTo((byte) 0);
        assertThat(row).contains(42);
        assertThat(Arrays.copyOfRange(row, row.length - 4, row.length)).containsExactly(3, 'a', 'b', 'c');
    }

    @Test
    void executesThatDoNotFitTheirStatementGet1210AndTheSessionGoesOn() throws IOException {
        try (RawClient c = loggedIn()) {
            long id = prepare(c, "SELECT ? AS n, ? AS s", 2);

            c.write(0, execute(id + 1000, INT_42_AND_ABC));
            c.expectErr(1243, "HY000");
            c.write(0, execute(id, 0x00, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x01, 'x'));
            assertThat(c.expectErr(1210, "HY000").message()).contains("first execute");
            c.write(0, execute(id, cut(INT_42_AND_ABC, 8)));
            assertThat(c.expectErr(1210, "HY000").message()).contains("parameter 1 of 2");
            c.write(0, execute(id, cut(INT_42_AND_ABC, 12)));
            assertThat(c.expectErr(1210, "HY000").message()).contains("parameter 2 of 2");
            c.write(0, execute(id, 0x00));
            c.expectErr(1210, "HY000");

            c.write(0, execute(id, INT_42_AND_ABC));
            expectRowWith42AndAbc(c);
            // the types of the last execute now apply: values cut short there are refused too
            c.write(0, execute(id, 0x00, 0x00, 0x2A, 0x00));
            assertThat(c.expectErr(1210, "HY000").message()).contains("parameter 1 of 2");
            // no NULL bitmap at all: this one used to leave the client waiting forever
            c.write(0, execute(id));
            assertThat(c.expectErr(1210, "HY000").message()).contains("NULL bitmap");
            c.write(0, execute(id, 0x00, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x03, 'a', 'b', 'c'));
            expectRowWith42AndAbc(c);
        }
    }

    @Test
    void fetchWithoutACursorGets1421() throws IOException {
        try (RawClient c = loggedIn()) {
            long id = prepare(c, "SELECT ? AS n, ? AS s", 2);
            c.write(0, execute(id, INT_42_AND_ABC));
            expectRowWith42AndAbc(c);
            ByteBuf fetch = Unpooled.buffer().writeByte(0x1C).writeIntLE((int) id).writeIntLE(10);
            c.write(0, ByteBufUtil.getBytes(fetch));
            c.expectErr(1421, "HY000");
            c.write(0, new byte[] {0x1C, (byte) id, 0, 0, 0}); // without its number of rows
            c.expectErr(1835, "HY000");
            c.ping();
        }
    }

    @Test
    void longDataOverTheLimitFailsTheExecuteUntilTheStatementIsReset() throws IOException {
        try (RawClient c = loggedIn()) {
            long id = prepare(c, "SELECT ? AS n, ? AS s", 2);
            byte[] chunk = new byte[400 << 10];
            Arrays.fill(chunk, (byte) 'z');
            for (int i = 0; i < 3; i++) {
                ByteBuf d = Unpooled.buffer().writeByte(0x18).writeIntLE((int) id).writeShortLE(1).writeBytes(chunk);
                c.write(0, ByteBufUtil.getBytes(d)); // no answer, as from a server
            }
            int[] intOnly = {0x00, 0x01, 0x03, 0x00, 0xFD, 0x00, 0x2A, 0x00, 0x00, 0x00};
            for (int i = 0; i < 2; i++) {
                ErrPacket e = c.expectErrAfter(execute(id, intOnly), 1105, "HY000");
                assertThat(e.message()).contains("mysql_send_long_data()", "max_allowed_packet");
            }
            c.write(0, new byte[] {0x1A, (byte) id, 0, 0, 0}); // COM_STMT_RESET
            assertThat(c.read().isOk()).isTrue();
            c.write(0, execute(id, INT_42_AND_ABC));
            expectRowWith42AndAbc(c);
        }
    }

    // ---- clients that do not read -----------------------------------------------------------------

    /** A logged-in client on a non-blocking channel with small socket buffers. */
    private SocketChannel nonBlockingLoggedIn() throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 64 << 10);
        ch.setOption(StandardSocketOptions.SO_SNDBUF, 64 << 10);
        ch.connect(new InetSocketAddress("127.0.0.1", proxy.port()));
        ch.socket().setSoTimeout((int) SOCKET_TIMEOUT.toMillis());
        RawClient.over(ch).login(cluster.app().user(), cluster.app().password(), cluster.database());
        ch.configureBlocking(false);
        return ch;
    }

    /**
     * Writes {@code pattern} over and over until the socket takes nothing for a second (the proxy
     * stopped reading) or {@code cap} bytes went; returns the bytes written.
     */
    private static long writeUntilStalled(SocketChannel ch, byte[] pattern, long cap) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(pattern);
        long sent = 0;
        long lastProgress = System.nanoTime();
        while (sent < cap) {
            int n = ch.write(b);
            if (!b.hasRemaining()) {
                b.rewind();
            }
            if (n > 0) {
                sent += n;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(1)) {
                break;
            } else {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
        return sent;
    }

    @Test
    void aClientThatSendsWithoutReadingIsNoLongerReadAndLosesNoAnswer() throws IOException {
        byte[] pings = new byte[5 * 13_000];
        for (int i = 0; i < pings.length; i += 5) {
            pings[i] = 1; // payload length 1, sequence id 0, COM_PING
            pings[i + 4] = 0x0E;
        }
        try (SocketChannel ch = nonBlockingLoggedIn()) {
            long sent = writeUntilStalled(ch, pings, 16L << 20);
            assertThat(sent).as("bytes of pings the proxy took from a client that reads nothing")
                    .isLessThan(12L << 20);
            // finish the last ping, then read every answer
            ByteBuffer rest = ByteBuffer.wrap(pings, (int) (sent % pings.length), (int) ((5 - sent % 5) % 5));
            long expected = (sent + 4) / 5;
            ByteBuffer in = ByteBuffer.allocate(1 << 16);
            long answers = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (answers < expected) {
                assertThat(System.nanoTime()).as("all %d answers within 30 s, %d so far", expected, answers)
                        .isLessThan(deadline);
                if (rest.hasRemaining()) {
                    ch.write(rest);
                }
                int n = ch.read(in);
                assertThat(n).as("the connection stays open").isNotNegative();
                in.flip();
                while (in.remaining() >= 4) {
                    int length = (in.get(in.position()) & 0xFF) | (in.get(in.position() + 1) & 0xFF) << 8
                            | (in.get(in.position() + 2) & 0xFF) << 16;
                    if (in.remaining() < 4 + length) {
                        break;
                    }
                    assertThat(in.get(in.position() + 4)).as("an OK to ping %d", answers).isEqualTo((byte) 0);
                    in.position(in.position() + 4 + length);
                    answers++;
                }
                in.compact();
                if (n == 0) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            }
            assertThat(answers).isEqualTo(expected);
        }
    }

    @Test
    void commandsPipelinedBehindASlowStatementAreNotReadWithoutBound() throws IOException {
        byte[] big = new byte[4 + (4 << 20)];
        ByteBuf header = Unpooled.wrappedBuffer(big).writerIndex(0);
        header.writeMediumLE(4 << 20).writeByte(0).writeByte(0x03).writeBytes(ascii("SELECT 1 -- "));
        Arrays.fill(big, header.writerIndex(), big.length, (byte) 'x');
        try (SocketChannel ch = nonBlockingLoggedIn()) {
            ch.write(ByteBuffer.wrap(RawClient.frame(0, ascii("\u0003SELECT SLEEP(4)"))));
            long sent = writeUntilStalled(ch, big, 96L << 20);
            assertThat(sent).as("bytes of 4 MiB commands the proxy took while the first still ran")
                    .isLessThan(48L << 20);
        }
    }
}
