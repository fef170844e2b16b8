package io.rwsplit.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.rwsplit.core.route.RouteDecision;
import io.rwsplit.core.session.SessionState;
import io.rwsplit.core.session.Transaction;
import io.rwsplit.core.sql.Classification;
import io.rwsplit.core.sql.StatementKind;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.core.topology.NodeView;
import io.rwsplit.core.topology.TopologySnapshot;
import io.rwsplit.proxy.backend.BackendConnection;
import io.rwsplit.proxy.backend.BackendException;
import io.rwsplit.proxy.backend.BackendProfile;
import io.rwsplit.proxy.backend.NodePool;
import io.rwsplit.proxy.backend.ResponseTracker;
import io.rwsplit.proxy.codec.Messages;
import io.rwsplit.proxy.codec.Packet;
import io.rwsplit.proxy.protocol.Capabilities;
import io.rwsplit.proxy.protocol.CharacterSets;
import io.rwsplit.proxy.protocol.Command;
import io.rwsplit.proxy.protocol.EofPacket;
import io.rwsplit.proxy.protocol.ErrPacket;
import io.rwsplit.proxy.protocol.ErrorCode;
import io.rwsplit.proxy.protocol.HandshakeResponse41;
import io.rwsplit.proxy.protocol.OkPacket;
import io.rwsplit.proxy.protocol.ServerStatus;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logged-in client: its commands, one at a time and in order, and the backend connections it
 * holds. Confined to the client channel's event loop, as are the backend connections it uses.
 *
 * <p>Commands the client pipelines wait in an inbox; reading from the client pauses while the
 * inbox is long. Each command either is answered by the proxy (ping, options, reset, kill of its
 * own connection...) or runs on a server through a {@link StatementRun}.
 *
 * <p>Multiplexing: after a statement, the session keeps only the backend connections its state
 * lives on (an open transaction, pins such as temporary tables or locks, an open cursor) and the
 * one the last statement used when the next may ask about it (warnings, a write's
 * {@code LAST_INSERT_ID()} and {@code ROW_COUNT()}); the rest go back to their pools for other
 * sessions.
 */
final class ClientSession {

    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);
    private static final int INBOX_HIGH = 32;
    private static final int INBOX_LOW = 4;

    private final ProxyRuntime runtime;
    private final Channel channel;
    private final Accounts.Account account;
    private final long connectionId;
    private final boolean tls;
    private long capabilities;
    private int collation;
    private Charset charset;
    private BackendProfile profile;
    private NodePool.Key poolKey;
    private SessionState state;
    private boolean multiStatements;
    private final long affinity;

    private final ArrayDeque<Packet> inbox = new ArrayDeque<>();
    private Messages.Assembler assembler;
    private boolean busy;
    private boolean draining;
    private boolean closed;
    /** Sequence id of the last packet of the command being answered. */
    private int lastSequence;
    private int expectedSequence;

    private final Map<NodeId, BackendConnection> held = new HashMap<>(4);
    /** The connection the last statement used, kept for what the next one may ask about it. */
    private BackendConnection keptForNext;
    /** The node where the session's pins (temporary tables, locks, user variables) live. */
    private NodeId pinNode;
    private Relay relaying;
    private BackendConnection upload;
    private final PreparedStatements prepared;

    ClientSession(ProxyRuntime runtime, Channel channel, Accounts.Account account, HandshakeResponse41 response,
            long connectionId, boolean tls) {
        this.runtime = runtime;
        this.channel = channel;
        this.account = account;
        this.connectionId = connectionId;
        this.tls = tls;
        this.capabilities = response.capabilities();
        this.collation = response.characterSet();
        this.charset = CharacterSets.javaCharset(collation);
        this.profile = BackendProfile.of(capabilities, collation);
        this.poolKey = new NodePool.Key(profile, account.backend);
        String db = response.database();
        this.state = new SessionState(db == null || db.isEmpty() ? null : db);
        this.multiStatements = Capabilities.has(capabilities, Capabilities.CLIENT_MULTI_STATEMENTS);
        this.affinity = channel.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().hashCode() : connectionId;
        this.assembler = new Messages.Assembler(channel.alloc(), runtime.config.limits().maxMessageBytes());
        this.prepared = new PreparedStatements(this);
    }

    // --- what other parts of the session read -------------------------------------------------

    ProxyRuntime runtime() {
        return runtime;
    }

    Channel channel() {
        return channel;
    }

    SessionState state() {
        return state;
    }

    long connectionId() {
        return connectionId;
    }

    long capabilities() {
        return capabilities;
    }

    boolean multiStatements() {
        return multiStatements;
    }

    Accounts.Account account() {
        return account;
    }

    Charset charset() {
        return charset;
    }

    /** Whether the client is in a state where a failed statement may silently run again. */
    boolean canRetry() {
        return !closed && channel.isActive();
    }

    /**
     * Checks the initial schema (a server must accept it, as it would at its own login) and sends
     * the OK that ends the login. Fails with the packet to refuse the client with.
     */
    Future<Void> open(int sequence) {
        this.lastSequence = sequence;
        Promise<Void> p = channel.eventLoop().newPromise();
        String schema = state.schema();
        if (schema == null) {
            welcome(p);
            return p;
        }
        Classification c = runtime.classifier.classify("USE `" + schema.replace("`", "``") + "`");
        RouteDecision d = route(c);
        if (d.failed()) {
            p.setFailure(new ClientLogin.SessionRefused(ErrorCode.forClient(d.error().errno(), d.error().sqlState(),
                    d.error().message())));
            return p;
        }
        NodeId node = d.node().id();
        connectionFor(node).addListener(f -> {
            if (!f.isSuccess()) {
                p.setFailure(new ClientLogin.SessionRefused(((BackendException) f.cause()).packet()));
                return;
            }
            BackendConnection c0 = (BackendConnection) f.getNow();
            io.rwsplit.proxy.backend.SessionSync.apply(c0, state, this, multiStatements, false, Map.of())
                    .addListener(g -> {
                        if (!g.isSuccess()) {
                            lost(c0);
                            p.setFailure(new ClientLogin.SessionRefused(((BackendException) g.cause()).packet()));
                            return;
                        }
                        releaseUnneeded(null);
                        welcome(p);
                    });
        });
        return p;
    }

    private void welcome(Promise<Void> p) {
        runtime.register(this);
        writeOk(0, 0, 0);
        channel.flush();
        p.setSuccess(null);
    }

    // --- commands -------------------------------------------------------------------------------

    void onPacket(Packet p) {
        if (closed) {
            p.release();
            return;
        }
        if (upload != null) {
            forwardUpload(p);
            return;
        }
        inbox.add(p);
        if (inbox.size() > INBOX_HIGH) {
            channel.config().setAutoRead(false);
        }
        drain();
    }

    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (!busy && !closed && !inbox.isEmpty()) {
                Packet p = inbox.poll();
                if (!sequenceOk(p)) {
                    return;
                }
                ByteBuf message;
                try {
                    message = assembler.add(p);
                } catch (Messages.TooLargeException e) {
                    closeWith(ErrorCode.PACKET_TOO_LARGE.packet(e.getMessage()));
                    return;
                }
                if (message == null) {
                    continue;
                }
                busy = true;
                try {
                    dispatch(message);
                } catch (RuntimeException e) {
                    log.warn("session {}: command failed inside the proxy", connectionId, e);
                    fail(ErrorCode.INTERNAL.packet("internal error in the proxy: " + e));
                }
            }
        } finally {
            draining = false;
        }
        if (!closed && inbox.size() <= INBOX_LOW && !channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
    }

    /** A command starts at sequence id 0; its continuation packets count up from there. */
    private boolean sequenceOk(Packet p) {
        int expected = expectedSequence;
        if (p.sequenceId() != expected) {
            p.release();
            closeWith(ErrorCode.PACKETS_OUT_OF_ORDER.packet("Got packets out of order (sequence id " + p.sequenceId()
                    + ", expected " + expected + ")"));
            return false;
        }
        lastSequence = p.sequenceId();
        expectedSequence = p.continues() ? (expected + 1) & 0xFF : 0;
        return true;
    }

    private void dispatch(ByteBuf message) {
        if (!message.isReadable()) {
            message.release();
            closeWith(ErrorCode.MALFORMED_PACKET.packet("Malformed communication packet: an empty command"));
            return;
        }
        Command command = Command.of(message.getUnsignedByte(message.readerIndex()));
        switch (command) {
            case COM_QUERY -> query(message);
            case COM_PING -> {
                message.release();
                writeOk(0, 0, 0);
                commandDone();
            }
            case COM_QUIT -> {
                message.release();
                close();
                channel.close();
            }
            case COM_INIT_DB -> initDb(message);
            case COM_FIELD_LIST -> relayRead(message, "COM_FIELD_LIST", ResponseTracker.Shape.FIELD_LIST);
            case COM_STATISTICS -> relayRead(message, "COM_STATISTICS", ResponseTracker.Shape.SINGLE);
            case COM_SET_OPTION -> setOption(message);
            case COM_RESET_CONNECTION -> {
                message.release();
                resetConnection();
                writeOk(0, 0, 0);
                commandDone();
            }
            case COM_PROCESS_KILL -> kill(message);
            case COM_STMT_PREPARE -> prepared.prepare(message);
            case COM_STMT_EXECUTE -> prepared.execute(message);
            case COM_STMT_FETCH -> prepared.fetch(message);
            case COM_STMT_SEND_LONG_DATA -> prepared.sendLongData(message);
            case COM_STMT_CLOSE -> prepared.close(message);
            case COM_STMT_RESET -> prepared.reset(message);
            case COM_CHANGE_USER -> {
                message.release();
                fail(ErrorCode.NOT_SUPPORTED.packet("COM_CHANGE_USER is not supported by the rwsplit proxy; "
                        + "open a new connection as the other user"));
            }
            default -> {
                message.release();
                fail(ErrorCode.UNKNOWN_COMMAND.packet("Unknown command: " + command.name()
                        + " is not supported by the rwsplit proxy"));
            }
        }
    }

    private void query(ByteBuf message) {
        String sql = message.toString(message.readerIndex() + 1, message.readableBytes() - 1, charset);
        Classification c = runtime.classifier.classify(sql);
        new StatementRun(this, c, message, ResponseTracker.Shape.QUERY, StatementRun.PLAIN).start();
    }

    private void initDb(ByteBuf message) {
        String schema = message.toString(message.readerIndex() + 1, message.readableBytes() - 1, charset);
        Classification c = runtime.classifier.classify("USE `" + schema.replace("`", "``") + "`");
        new StatementRun(this, c, message, ResponseTracker.Shape.SINGLE, StatementRun.PLAIN).start();
    }

    /** A command that reads like a plain SELECT (table columns, server statistics). */
    private void relayRead(ByteBuf message, String what, ResponseTracker.Shape shape) {
        Classification c = runtime.classifier.classify("SELECT 1 /* " + what + " */");
        new StatementRun(this, c, message, shape, StatementRun.PLAIN).start();
    }

    private void setOption(ByteBuf message) {
        int option = message.readableBytes() >= 3 ? message.getUnsignedShortLE(message.readerIndex() + 1) : -1;
        message.release();
        switch (option) {
            case 0 -> multiStatements = true;
            case 1 -> multiStatements = false;
            default -> {
                fail(ErrorCode.UNKNOWN_COMMAND.packet("Unknown command: COM_SET_OPTION " + option));
                return;
            }
        }
        if (Capabilities.has(capabilities, Capabilities.CLIENT_DEPRECATE_EOF)) {
            write(OkPacket.endOfResultSet(statusFlags(), 0));
        } else {
            ByteBuf out = channel.alloc().buffer(5);
            new EofPacket(0, statusFlags()).writeTo(out);
            writePayload(out);
        }
        commandDone();
    }

    private void kill(ByteBuf message) {
        long id = message.readableBytes() >= 5 ? message.getUnsignedIntLE(message.readerIndex() + 1) : -1;
        message.release();
        if (id == connectionId) {
            writeOk(0, 0, 0);
            channel.flush();
            close();
            channel.close();
            return;
        }
        ClientSession other = runtime.session(id);
        if (other == null || other.account != account) {
            fail(ErrorCode.NO_SUCH_THREAD.packet("Unknown thread id: " + id));
            return;
        }
        other.channel.eventLoop().execute(() -> {
            other.close();
            other.channel.close();
        });
        writeOk(0, 0, 0);
        commandDone();
    }

    /** COM_RESET_CONNECTION: a fresh session on the same login; connections holding its state are dropped. */
    private void resetConnection() {
        for (BackendConnection c : new ArrayList<>(held.values())) {
            c.markBroken();
        }
        releaseAll();
        prepared.clear();
        state.reset(state.schema());
        pinNode = null;
    }

    // --- routing and backend connections --------------------------------------------------------

    RouteDecision route(Classification c) {
        TopologySnapshot t = runtime.topology();
        return runtime.router.route(c, state, t, affinity, System.nanoTime());
    }

    /** A connection to {@code node}: the one the session holds there, or one from the pool. */
    Future<BackendConnection> connectionFor(NodeId node) {
        BackendConnection c = held.get(node);
        if (c != null) {
            if (c.usable() && !c.busy()) {
                return channel.eventLoop().newSucceededFuture(c);
            }
            held.remove(node);
            giveBack(c);
        }
        Promise<BackendConnection> p = channel.eventLoop().newPromise();
        runtime.pool(channel.eventLoop(), node).acquire(poolKey, multiStatements).addListener(f -> {
            if (!f.isSuccess()) {
                p.setFailure(f.cause());
                return;
            }
            BackendConnection got = (BackendConnection) f.getNow();
            runtime.learnIdentity(got.serverVersion(), got.serverCapabilities());
            if (closed) {
                giveBack(got);
                p.setFailure(BackendException.lost(ErrorCode.SERVER_LOST, "the client has gone", null));
                return;
            }
            BackendConnection old = held.put(node, got);
            if (old != null && old != got) {
                giveBack(old);
            }
            p.setSuccess(got);
        });
        return p;
    }

    /** A connection that broke: forget it. */
    void lost(BackendConnection c) {
        c.markBroken();
        held.remove(c.node(), c);
        if (keptForNext == c) {
            keptForNext = null;
        }
        giveBack(c);
    }

    private void giveBack(BackendConnection c) {
        runtime.pool(channel.eventLoop(), c.node()).release(c);
    }

    void relaying(Relay r) {
        this.relaying = r;
    }

    /** A statement's answer has been relayed: update what is held, then take the next command. */
    void statementDone(Classification c, BackendConnection used, ResponseTracker t, boolean statement) {
        if (!c.effects().pins().isEmpty() && !t.error()) {
            pinNode = used.node();
        }
        boolean keep = statement && (t.warnings() > 0 || c.kind() == StatementKind.WRITE
                || c.kind() == StatementKind.UNKNOWN || c.kind() == StatementKind.PRIMARY_ONLY
                || c.kind() == StatementKind.PRIMARY_READ);
        keptForNext = keep ? used : null;
        releaseUnneeded(used);
        channel.flush();
        commandDone();
    }

    /** Gives back every held connection the session's state does not need. */
    private void releaseUnneeded(BackendConnection justUsed) {
        if (held.isEmpty()) {
            return;
        }
        if (!state.pinned()) {
            pinNode = null;
        }
        NodeId txNode = state.transaction() != Transaction.NONE ? state.transactionNode() : null;
        List<NodeId> free = null;
        for (Map.Entry<NodeId, BackendConnection> e : held.entrySet()) {
            BackendConnection c = e.getValue();
            boolean needed = c == keptForNext || e.getKey().equals(txNode) || e.getKey().equals(pinNode)
                    || prepared.hasCursorOn(c);
            if (!needed || c.broken()) {
                if (free == null) {
                    free = new ArrayList<>(2);
                }
                free.add(e.getKey());
            }
        }
        if (free != null) {
            for (NodeId n : free) {
                giveBack(held.remove(n));
            }
        }
    }

    private void releaseAll() {
        for (BackendConnection c : held.values()) {
            giveBack(c);
        }
        held.clear();
        keptForNext = null;
    }

    // --- LOAD DATA LOCAL ------------------------------------------------------------------------

    void startUpload(BackendConnection c) {
        upload = c;
        if (!channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
        // packets the client sent before the request are its file's first packets
        while (upload != null && !inbox.isEmpty()) {
            forwardUpload(inbox.poll());
        }
    }

    private void forwardUpload(Packet p) {
        boolean last = !p.payload().isReadable();
        upload.write(p);
        if (last) {
            upload.flush();
            upload = null;
        }
    }

    /** The client's socket has no more bytes for now. */
    void readComplete() {
        if (upload != null) {
            upload.flush();
        }
    }

    void writabilityChanged() {
        if (relaying != null && channel.isWritable()) {
            relaying.backend().channel().config().setAutoRead(true);
        }
    }

    // --- answers from the proxy -----------------------------------------------------------------

    int statusFlags() {
        int s = state.autocommit() ? ServerStatus.AUTOCOMMIT : 0;
        if (state.transaction() != Transaction.NONE && state.explicitTransaction()) {
            s |= ServerStatus.IN_TRANS;
        }
        return s;
    }

    void writeOk(long affectedRows, long lastInsertId, int warnings) {
        write(OkPacket.of(affectedRows, lastInsertId, statusFlags(), warnings));
    }

    private void write(OkPacket ok) {
        ByteBuf out = channel.alloc().buffer(16);
        ok.writeTo(out, capabilities);
        writePayload(out);
    }

    /** Writes a packet answering the current command; does not flush. */
    void writePayload(ByteBuf payload) {
        lastSequence = (lastSequence + 1) & 0xFF;
        channel.write(new Packet(lastSequence, payload), channel.voidPromise());
    }

    /** The current command failed: the client gets the error, the session takes the next command. */
    void fail(ErrPacket error) {
        ByteBuf out = channel.alloc().buffer(32 + error.message().length());
        error.writeTo(out, capabilities);
        writePayload(out);
        channel.flush();
        commandDone();
    }

    /** The current command has no answer (COM_STMT_CLOSE, COM_STMT_SEND_LONG_DATA). */
    void commandDoneSilently() {
        busy = false;
        drain();
    }

    /** The current command is answered (and flushed, if it was written here). */
    void commandDone() {
        busy = false;
        channel.flush();
        if (runtime.closing()) {
            closeIfIdle();
            return;
        }
        drain();
    }

    /** During shutdown: a session between commands is closed; a busy one when its command is answered. */
    void closeIfIdle() {
        if (!busy && !closed) {
            close();
            channel.close();
        }
    }

    private void closeWith(ErrPacket error) {
        ByteBuf out = channel.alloc().buffer(32 + error.message().length());
        error.writeTo(out, capabilities);
        writePayload(out);
        channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(f -> channel.close());
        close();
    }

    void closeClient(String why) {
        log.debug("session {}: closing the client connection: {}", connectionId, why);
        close();
        channel.close();
    }

    /** The client is gone or leaving: give everything back. Connections carrying its state are dropped. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        runtime.unregister(this);
        account.leave();
        boolean dirty = state.transaction() != Transaction.NONE || state.pinned() || prepared.hasAnyCursor();
        for (BackendConnection c : held.values()) {
            if (dirty || c.busy()) {
                c.markBroken();
            }
            giveBack(c);
        }
        held.clear();
        keptForNext = null;
        Packet p;
        while ((p = inbox.poll()) != null) {
            p.release();
        }
        assembler.close();
        prepared.clear();
    }
}
