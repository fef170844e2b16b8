package io.rwsplit.proxy.backend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.proxy.codec.Packet;
import io.rwsplit.proxy.protocol.Capabilities;
import io.rwsplit.proxy.protocol.Command;
import io.rwsplit.proxy.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One logged-in connection to a server. Commands are written with their {@link Exchange}, which
 * reads the response; several may be in flight (pipelined), their exchanges queued in order.
 * Confined to its channel's event loop, which is also the event loop of every client session that
 * uses it.
 *
 * <p>Besides the socket it mirrors the session state the server holds for this connection (schema,
 * autocommit, settings applied for the sessions that used it, prepared statements), so a session
 * borrowing it sends only what differs.
 */
public final class BackendConnection {

    private final Channel channel;
    private final NodeId node;
    private final BackendProfile profile;
    private final ArrayDeque<Exchange> exchanges = new ArrayDeque<>();
    private BackendLogin login;
    private boolean ready;
    private boolean broken;
    private boolean killPending;
    private Runnable afterKill;
    private Runnable whenWritable;
    private BackendException lostCause;
    private Runnable closeListener = () -> { };

    private long threadId;
    private String serverVersion = "";
    private long capabilities;
    private long serverCapabilities;
    private int statusFlags;

    // the server's session state for this connection, as far as the proxy set it
    /** The current schema; "" for none. */
    public String schema = "";
    public boolean autocommit = true;
    public boolean multiStatements;
    /** Session settings applied here: key (see core's SessionState) to the statement that made it. */
    public final Map<String, String> applied = new LinkedHashMap<>();
    /** The statement that puts the character set variables back as the handshake made them, once read. */
    public String charsetRestore;
    /** The session whose settings were last applied, and their version: both unchanged means nothing to send. */
    public Object owner;
    public long ownerVersion = -1;
    /**
     * Statements prepared on this connection: SQL text to the server's statement, least recently
     * used first (access order), so that the oldest can be closed when there are too many.
     */
    public final Map<String, PreparedOnServer> prepared = new LinkedHashMap<>(16, 0.75f, true);
    /** The pool's key for this connection, and whether the pool counts it in its size. */
    NodePool.Key poolKey;
    boolean counted;
    /** When it went back to its pool, for idle eviction. */
    long idleSinceNanos;
    final long createdNanos = System.nanoTime();

    BackendConnection(Channel channel, NodeId node, BackendProfile profile) {
        this.channel = channel;
        this.node = node;
        this.profile = profile;
    }

    /** A statement prepared on this connection: its id there and its parameter count. */
    public record PreparedOnServer(long id, int params, int columns) {
    }

    void startLogin(BackendLogin l) {
        this.login = l;
    }

    BackendLogin login() {
        return login;
    }

    void loggedIn(long threadId, String serverVersion, long serverCapabilities, long capabilities, int statusFlags,
            boolean multiStatements) {
        this.threadId = threadId;
        this.serverCapabilities = serverCapabilities;
        this.serverVersion = serverVersion;
        this.capabilities = capabilities;
        this.statusFlags = statusFlags;
        this.multiStatements = multiStatements;
        this.login = null;
        this.ready = true;
    }

    public NodeId node() {
        return node;
    }

    public BackendProfile profile() {
        return profile;
    }

    /** The server's id for this connection ({@code CONNECTION_ID()} there), for KILL QUERY. */
    public long threadId() {
        return threadId;
    }

    public String serverVersion() {
        return serverVersion;
    }

    public long capabilities() {
        return capabilities;
    }

    /** What the server offered in its greeting. */
    public long serverCapabilities() {
        return serverCapabilities;
    }

    public boolean deprecateEof() {
        return Capabilities.has(capabilities, Capabilities.CLIENT_DEPRECATE_EOF);
    }

    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    public Channel channel() {
        return channel;
    }

    boolean ready() {
        return ready;
    }

    /** Logged in, open, and not known to be broken. */
    public boolean usable() {
        return ready && !broken && channel.isActive();
    }

    /** Whether a response is still being read. */
    public boolean busy() {
        return !exchanges.isEmpty();
    }

    /** Marks the connection unusable: it is closed when it goes back to its pool, or now if idle. */
    public void markBroken() {
        broken = true;
    }

    public boolean broken() {
        return broken || !channel.isActive();
    }

    /**
     * A {@code KILL QUERY} for this connection's thread is on its way: until it has been answered
     * the connection must not serve another client, whose statement it might interrupt instead.
     */
    public void killPending(boolean pending) {
        killPending = pending;
        if (!pending && afterKill != null) {
            Runnable r = afterKill;
            afterKill = null;
            r.run();
        }
    }

    /** Runs {@code r} once the pending KILL QUERY has been answered (at once if none is pending). */
    public void afterKill(Runnable r) {
        if (!killPending) {
            r.run();
        } else {
            Runnable before = afterKill;
            afterKill = before == null ? r : () -> {
                before.run();
                r.run();
            };
        }
    }

    public boolean killPending() {
        return killPending;
    }

    void onClose(Runnable listener) {
        this.closeListener = listener;
    }

    /** Writes one command of a single packet (sequence id 0) and queues its exchange; does not flush. */
    public void send(ByteBuf payload, Exchange exchange) {
        sendPackets(exchange, new Packet(0, payload));
    }

    /** Writes the packets of one command and queues its exchange (if any: some commands have no response). */
    public void sendPackets(Exchange exchange, Packet... packets) {
        if (!usable()) {
            for (Packet p : packets) {
                p.release();
            }
            if (exchange != null) {
                exchange.onFailure(lostCause != null ? lostCause : BackendException.lost(ErrorCode.SERVER_LOST,
                        "the connection to " + node.name() + " is closed", null));
            }
            return;
        }
        if (exchange != null) {
            exchanges.add(exchange);
        }
        for (Packet p : packets) {
            channel.write(p, channel.voidPromise());
        }
    }

    /** Writes a packet that belongs to the command in flight (the file of a LOAD DATA LOCAL). */
    public void write(Packet packet) {
        if (channel.isActive()) {
            channel.write(packet, channel.voidPromise());
        } else {
            packet.release();
        }
    }

    public void flush() {
        channel.flush();
    }

    /** Runs {@code r} once, on the event loop, when the socket takes writes again (now, if it does). */
    public void whenWritable(Runnable r) {
        if (channel.isWritable() || !channel.isActive()) {
            r.run();
        } else {
            whenWritable = r;
        }
    }

    void writabilityChanged() {
        if (whenWritable != null && (channel.isWritable() || !channel.isActive())) {
            Runnable r = whenWritable;
            whenWritable = null;
            r.run();
        }
    }

    /** Sends a COM_QUERY for the proxy's own purposes and collects its (small) response. */
    public io.netty.util.concurrent.Future<Response> query(String sql) {
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        ByteBuf payload = channel.alloc().buffer(1 + text.length);
        payload.writeByte(Command.COM_QUERY.code()).writeBytes(text);
        return command(payload, ResponseTracker.Shape.QUERY);
    }

    /** Sends a command payload (its command byte first) and collects the response. */
    public io.netty.util.concurrent.Future<Response> command(ByteBuf payload, ResponseTracker.Shape shape) {
        Promise<Response> promise = channel.eventLoop().newPromise();
        send(payload, new Response.Collector(new ResponseTracker(shape, deprecateEof()), deprecateEof(), promise));
        flush();
        return promise;
    }

    // --- called by the decoder, on the event loop ---

    Exchange current() {
        return exchanges.peek();
    }

    void completed() {
        exchanges.poll();
    }

    /** Bytes arrived that no command asked for: the server is closing the connection (e.g. wait_timeout). */
    void unsolicited() {
        broken = true;
        channel.close();
    }

    void readComplete() {
        Exchange e = exchanges.peek();
        if (e != null) {
            e.onReadComplete();
        }
    }

    void lost(BackendException cause) {
        broken = true;
        if (lostCause == null) {
            lostCause = cause;
        }
        if (login != null) {
            BackendLogin l = login;
            login = null;
            l.failed(cause);
        }
        Exchange e;
        while ((e = exchanges.poll()) != null) {
            e.onFailure(cause);
        }
        Runnable l = closeListener;
        closeListener = () -> { };
        l.run();
    }

    public void close() {
        broken = true;
        channel.close();
    }

    /** Closes the connection; the command in flight, if any, fails with {@code cause}. */
    public void abort(BackendException cause) {
        if (lostCause == null) {
            lostCause = cause;
        }
        close();
    }

    int statusFlags() {
        return statusFlags;
    }

    @Override
    public String toString() {
        return "BackendConnection(" + node.name() + ", thread " + threadId + (broken ? ", broken" : "") + ")";
    }
}
