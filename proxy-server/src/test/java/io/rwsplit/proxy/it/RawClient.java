package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.rwsplit.proxy.auth.CachingSha2Password;
import io.rwsplit.proxy.auth.NativePassword;
import io.rwsplit.proxy.codec.MalformedPacketException;
import io.rwsplit.proxy.protocol.Capabilities;
import io.rwsplit.proxy.protocol.CharacterSets;
import io.rwsplit.proxy.protocol.ErrPacket;
import io.rwsplit.proxy.protocol.HandshakeResponse41;
import io.rwsplit.proxy.protocol.HandshakeV10;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A MySQL client written by hand on a blocking socket, so a test can send exactly the bytes it
 * wants, hostile ones included. Every read has a timeout: a proxy that does not answer fails the
 * test instead of hanging it.
 */
final class RawClient implements AutoCloseable {

    /** A 4.1 client with plugin auth; EOF packets kept, so a result's end is easy to see. */
    static final long CAPABILITIES = Capabilities.CLIENT_LONG_PASSWORD | Capabilities.CLIENT_PROTOCOL_41
            | Capabilities.CLIENT_SECURE_CONNECTION | Capabilities.CLIENT_TRANSACTIONS
            | Capabilities.CLIENT_MULTI_RESULTS | Capabilities.CLIENT_PLUGIN_AUTH
            | Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | Capabilities.CLIENT_CONNECT_WITH_DB;

    /** One packet from the proxy. */
    record Pkt(int seq, byte[] payload) {
        int first() {
            return payload.length == 0 ? -1 : payload[0] & 0xFF;
        }

        boolean isErr() {
            return first() == 0xFF;
        }

        boolean isOk() {
            return first() == 0x00;
        }

        boolean isEof() {
            return first() == 0xFE && payload.length < 9;
        }

        ErrPacket err() {
            assertThat(isErr()).as("an ERR packet, not %s", this).isTrue();
            try {
                return ErrPacket.decode(Unpooled.wrappedBuffer(payload));
            } catch (MalformedPacketException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public String toString() {
            String hex = ByteBufUtil.hexDump(payload);
            return "Pkt(seq=" + seq + ", " + (hex.length() > 80 ? hex.substring(0, 80) + "..." : hex) + ")";
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    HandshakeV10 greeting;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connected, with every read bounded by {@code readTimeout}; the greeting is not read yet. */
    static RawClient connect(int port, Duration readTimeout) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout((int) readTimeout.toMillis());
        return new RawClient(s);
    }

    /** Over a connected channel in blocking mode (a test may make it non-blocking once logged in). */
    static RawClient over(SocketChannel channel) throws IOException {
        return new RawClient(channel.socket());
    }

    void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    static byte[] frame(int seq, byte[] payload) {
        ByteBuf b = Unpooled.buffer(4 + payload.length);
        b.writeMediumLE(payload.length).writeByte(seq).writeBytes(payload);
        return ByteBufUtil.getBytes(b);
    }

    void write(int seq, byte[] payload) throws IOException {
        writeRaw(frame(seq, payload));
    }

    /** A command packet, sequence id 0. */
    void command(int command, byte[] rest) throws IOException {
        byte[] p = new byte[1 + rest.length];
        p[0] = (byte) command;
        System.arraycopy(rest, 0, p, 1, rest.length);
        write(0, p);
    }

    void query(String sql) throws IOException {
        command(0x03, sql.getBytes(StandardCharsets.UTF_8));
    }

    /** The next packet; {@code null} when the proxy closed the connection. Times out as set. */
    Pkt read() throws IOException {
        byte[] header = readFully(4);
        if (header == null) {
            return null;
        }
        int length = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
        byte[] payload = readFully(length);
        if (payload == null) {
            throw new EOFException("the connection closed inside a packet");
        }
        return new Pkt(header[3] & 0xFF, payload);
    }

    private byte[] readFully(int n) throws IOException {
        byte[] b = new byte[n];
        int at = 0;
        while (at < n) {
            int r;
            try {
                r = in.read(b, at, n - at);
            } catch (SocketException e) {
                return null; // reset by the peer: closed as well
            }
            if (r < 0) {
                return null;
            }
            at += r;
        }
        return b;
    }

    /** The next packet is an ERR with this errno and SQLSTATE; returns it. */
    ErrPacket expectErr(int errno, String sqlState) throws IOException {
        Pkt p = read();
        assertThat(p).as("an ERR %d, not a closed connection", errno).isNotNull();
        ErrPacket e = p.err();
        assertThat(e.errorCode()).as("errno of %s", e).isEqualTo(errno);
        assertThat(e.sqlState()).as("SQLSTATE of %s", e).isEqualTo(sqlState);
        return e;
    }

    /** Sends {@code command} (sequence id 0) and expects an ERR with this errno and SQLSTATE. */
    ErrPacket expectErrAfter(byte[] command, int errno, String sqlState) throws IOException {
        write(0, command);
        return expectErr(errno, sqlState);
    }

    /** The proxy closes the connection (before the socket's read timeout) and sends nothing more. */
    void expectClosed() throws IOException {
        try {
            Pkt p = read();
            assertThat(p).as("the connection is closed, with nothing more sent").isNull();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the proxy did not close the connection within the read timeout", e);
        }
    }

    HandshakeV10 readGreeting() throws IOException {
        Pkt g = read();
        assertThat(g).as("the greeting").isNotNull();
        try {
            greeting = HandshakeV10.decode(Unpooled.wrappedBuffer(g.payload()));
        } catch (MalformedPacketException e) {
            throw new AssertionError(e);
        }
        return greeting;
    }

    /** A handshake response answering the greeting's plugin, as a real client would. */
    static byte[] handshakeResponse(HandshakeV10 greeting, String user, String password, String database,
            String plugin) {
        byte[] token = plugin.equals(NativePassword.PLUGIN_NAME) ? NativePassword.token(password, greeting.scramble())
                : CachingSha2Password.fastToken(password, greeting.scramble());
        HandshakeResponse41 r = new HandshakeResponse41(CAPABILITIES, 1 << 24, CharacterSets.UTF8MB4_GENERAL_CI, user,
                token, database, plugin, Map.of(), 0);
        ByteBuf b = Unpooled.buffer();
        r.writeTo(b);
        return ByteBufUtil.getBytes(b);
    }

    /** Logs in with the greeting's plugin; the next command starts at sequence id 0. */
    RawClient login(String user, String password, String database) throws IOException {
        readGreeting();
        String plugin = greeting.authPluginName();
        write(1, handshakeResponse(greeting, user, password, database, plugin));
        Pkt p = read();
        if (plugin.equals(CachingSha2Password.PLUGIN_NAME)) {
            assertThat(p.payload()).as("fast auth").containsExactly(0x01, CachingSha2Password.FAST_AUTH_SUCCESS);
            p = read();
        }
        assertThat(p.isOk()).as("logged in, not %s", p).isTrue();
        return this;
    }

    /** COM_PING answered with OK. */
    void ping() throws IOException {
        command(0x0E, new byte[0]);
        Pkt ok = read();
        assertThat(ok).as("an answer to COM_PING").isNotNull();
        assertThat(ok.isOk()).as("OK to COM_PING, not %s", ok).isTrue();
    }

    /**
     * A whole result set (text or binary), or a lone OK or ERR: its packets, from the column count
     * to the final EOF.
     */
    List<Pkt> readResult() throws IOException {
        List<Pkt> packets = new ArrayList<>();
        Pkt first = read();
        assertThat(first).as("an answer").isNotNull();
        packets.add(first);
        if (first.isOk() || first.isErr()) {
            return packets;
        }
        int columns = first.payload()[0] & 0xFF; // fewer than 251 here
        for (int i = 0; i < columns; i++) {
            packets.add(read());
        }
        Pkt eof = read();
        assertThat(eof.isEof()).as("EOF after the column definitions, not %s", eof).isTrue();
        packets.add(eof);
        for (;;) {
            Pkt p = read();
            assertThat(p).as("the rest of the result").isNotNull();
            packets.add(p);
            if (p.isEof() || p.isErr()) {
                return packets;
            }
        }
    }

    /** The rows of a result from {@link #readResult}: the packets between the two EOFs. */
    static List<Pkt> rows(List<Pkt> result) {
        int columns = result.get(0).payload()[0] & 0xFF;
        return result.subList(1 + columns + 1, result.size() - 1);
    }

    Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
