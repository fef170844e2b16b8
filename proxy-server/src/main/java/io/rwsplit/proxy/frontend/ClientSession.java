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
import io.rwsplit.core.topology.TopologySnapshot;
import io.rwsplit.proxy.backend.BackendConnection;
import io.rwsplit.proxy.backend.BackendException;
import io.rwsplit.proxy.backend.BackendProfile;
import io.rwsplit.proxy.backend.NodePool;
import io.rwsplit.proxy.backend.ResponseTracker;
import io.rwsplit.proxy.codec.Messages;
import io.rwsplit.proxy.codec.Packet;
import io.rwsplit.proxy.protocol.Capabilities;
import io.rwsplit.proxy.protocol.ChangeUserRequest;
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
 * inbox is long (in packets or in bytes), and while the client does not read what the proxy
 * writes: no command is taken from the inbox then, so a client that sends without reading gets
 * its socket filled, not the proxy's memory. Each command either is answered by the proxy (ping, options, reset, kill of its
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
    /** How long a refused client may go on sending before its connection is closed. */
    private static final long LINGER_MS = 2_000;
    private static final int INBOX_HIGH = 32;
    private static final int INBOX_LOW = 4;
    private static final long INBOX_HIGH_BYTES = 1 << 20;
    private static final long INBOX_LOW_BYTES = 64 << 10;

    private final ProxyRuntime runtime;
    private final Channel channel;
    /** Changes with COM_CHANGE_USER; read by other sessions' KILL. */
    private volatile Accounts.Account account;
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
    private long inboxBytes;
    /** The last packet from the client said its message goes on in the next one. */
    private boolean midMessage;
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
    /**
     * The running statement counts rows for a later {@code FOUND_ROWS()} (SQL_CALC_FOUND_ROWS): the
     * count lives on its connection only, so that connection is kept for the next statement like a
     * write's. Judged from the text; a mention in a literal or comment only keeps a connection longer.
     */
    private boolean countsFoundRows;
    /** The node where the session's pins (temporary tables, locks, user variables) live. */
    private NodeId pinNode;
    private Relay relaying;
    /** The node the running command went to, once past the switchover gate; null between commands. */
    private NodeId runningOn;
    private BackendConnection upload;
    private boolean uploadContinues;
    private ChangeUser changeUser;
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
        enterSchema().addListener(f -> {
            if (f.isSuccess()) {
                welcome(p);
            } else {
                p.setFailure(f.cause());
            }
        });
        return p;
    }

    /**
     * Checks that the session's schema exists, on the server the router picks for a USE (the
     * primary, which has every schema already); without a primary on a replica, so that readers
     * can still log in while there is none. Fails with {@link ClientLogin.SessionRefused}.
     */
    private Future<Void> enterSchema() {
        Promise<Void> p = channel.eventLoop().newPromise();
        String schema = state.schema();
        if (schema == null) {
            return p.setSuccess(null);
        }
        Classification c = runtime.classifier.classify("USE `" + schema.replace("`", "``") + "`");
        RouteDecision d = route(c);
        if (d.failed()) {
            RouteDecision replica = route(runtime.classifier.classify("SELECT 1"));
            if (!replica.failed()) {
                d = replica;
            }
        }
        if (d.failed()) {
            p.setFailure(new ClientLogin.SessionRefused(ErrorCode.packet(d.error())));
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
                        p.setSuccess(null);
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
        midMessage = p.continues();
        if (upload != null) {
            forwardUpload(p);
            return;
        }
        if (changeUser != null) {
            ChangeUser c = changeUser;
            changeUser = null;
            c.onPacket(p);
            return;
        }
        inbox.add(p);
        inboxBytes += p.payload().readableBytes();
        updateReading();
        drain();
    }

    /** Whether the client sent part of a message and owes the rest. */
    boolean midMessage() {
        return midMessage;
    }

    /**
     * Reads from the client only while there is room: a short inbox, and a client that takes what
     * the proxy writes. Between the marks the setting stays as it is, so it does not flap.
     */
    private void updateReading() {
        if (closed || upload != null) {
            return;
        }
        // An unwritable client is not a reason to stop reading: no command runs while it is
        // (drain waits), so the bounded inbox stops the reading soon enough, and reading is how the
        // proxy learns that a client which stopped taking its answers has gone.
        boolean autoRead = channel.config().isAutoRead();
        if (autoRead && (inbox.size() > INBOX_HIGH || inboxBytes > INBOX_HIGH_BYTES)) {
            channel.config().setAutoRead(false);
        } else if (!autoRead && inbox.size() <= INBOX_LOW && inboxBytes <= INBOX_LOW_BYTES) {
            channel.config().setAutoRead(true);
        }
    }

    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            // a client that does not read gets no more answers until it does
            while (!busy && !closed && !inbox.isEmpty() && channel.isWritable()) {
                Packet p = inbox.poll();
                inboxBytes -= p.payload().readableBytes();
                if (!sequenceOk(p)) {
                    return;
                }
                ByteBuf message;
                try {
                    message = assembler.add(p);
                } catch (Messages.TooLargeException e) {
                    closeWithError(ErrorCode.PACKET_TOO_LARGE.packet(e.getMessage()));
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
                    fail(ErrorCode.INTERNAL.packet("internal error in the proxy (its log has the details)"));
                }
            }
        } finally {
            draining = false;
        }
        updateReading();
    }

    /** A command starts at sequence id 0; its continuation packets count up from there. */
    private boolean sequenceOk(Packet p) {
        int expected = expectedSequence;
        if (p.sequenceId() != expected) {
            lastSequence = p.sequenceId(); // the ERR answers the packet that came
            p.release();
            closeWithError(ErrorCode.PACKETS_OUT_OF_ORDER.packet("Got packets out of order (sequence id " + p.sequenceId()
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
            closeWithError(ErrorCode.MALFORMED_PACKET.packet("Malformed communication packet: an empty command"));
            return;
        }
        Command command = Command.of(message.getUnsignedByte(message.readerIndex()));
        countsFoundRows = false;
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
            case COM_STMT_BULK_EXECUTE -> prepared.bulkExecute(message);
            case COM_STMT_FETCH -> prepared.fetch(message);
            case COM_STMT_SEND_LONG_DATA -> prepared.sendLongData(message);
            case COM_STMT_CLOSE -> prepared.close(message);
            case COM_STMT_RESET -> prepared.reset(message);
            case COM_CHANGE_USER -> changeUser = ChangeUser.start(this, message);
            default -> {
                String name = command == Command.UNKNOWN
                        ? String.format("0x%02X", message.getUnsignedByte(message.readerIndex())) : command.name();
                message.release();
                fail(ErrorCode.UNKNOWN_COMMAND.packet("Unknown command: " + name + " is not supported by the rwsplit "
                        + "proxy"));
            }
        }
    }

    private void query(ByteBuf message) {
        String sql = message.toString(message.readerIndex() + 1, message.readableBytes() - 1, charset);
        KillStatement kill = KillStatement.parse(sql);
        if (kill != null) {
            message.release();
            if (!kill.supported()) {
                fail(ErrorCode.NOT_SUPPORTED.packet("'" + kill.text() + "' is not supported by the rwsplit proxy, "
                        + "which takes KILL [CONNECTION | QUERY] <id> with the connection id the proxy gave"));
                return;
            }
            kill(kill.id(), kill.queryOnly());
            return;
        }
        countsFoundRows(sql);
        Classification c = runtime.classifier.classify(sql);
        new StatementRun(this, c, message, ResponseTracker.Shape.QUERY, StatementRun.PLAIN).start();
    }

    private void initDb(ByteBuf message) {
        String schema = message.toString(message.readerIndex() + 1, message.readableBytes() - 1, charset);
        Classification c = runtime.classifier.classify("USE `" + schema.replace("`", "``") + "`");
        new StatementRun(this, c, message, ResponseTracker.Shape.SINGLE, StatementRun.PLAIN).start();
    }

    /** Notes whether the statement about to run is one whose connection {@code FOUND_ROWS()} must find again. */
    void countsFoundRows(String sql) {
        countsFoundRows = containsIgnoreCase(sql, "SQL_CALC_FOUND_ROWS");
    }

    private static boolean containsIgnoreCase(String text, String word) {
        for (int i = 0, last = text.length() - word.length(); i <= last; i++) {
            if (text.regionMatches(true, i, word, 0, word.length())) {
                return true;
            }
        }
        return false;
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
        kill(id, false);
    }

    /**
     * KILL of a proxy connection id: the client's own, or another of the same user's (as a server
     * lets a user kill its own threads). KILL QUERY stops the statement that connection is running
     * on its server and leaves the connection open.
     */
    private void kill(long id, boolean queryOnly) {
        if (id == connectionId && queryOnly) {
            // this connection runs nothing but this KILL
            writeOk(0, 0, 0);
            commandDone();
            return;
        }
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
        if (queryOnly) {
            Promise<Void> done = channel.eventLoop().newPromise();
            other.channel.eventLoop().execute(() -> other.cancelStatement(done));
            done.addListener(f -> {
                if (closed) {
                    return;
                }
                if (f.isSuccess()) {
                    writeOk(0, 0, 0);
                    commandDone();
                } else {
                    fail(((BackendException) f.cause()).packet());
                }
            });
            return;
        }
        Promise<Void> gone = channel.eventLoop().newPromise();
        other.channel.eventLoop().execute(() -> {
            // as a server's KILL does, stop the statement it is running too: closing the connection
            // alone would leave the server to finish it
            Promise<Void> stopped = other.channel.eventLoop().newPromise();
            other.cancelStatement(stopped);
            stopped.addListener(f -> {
                other.close();
                other.channel.close().addListener(c -> gone.trySuccess(null));
            });
        });
        // answered once the other connection is closed, as a server answers KILL
        gone.addListener(f -> {
            if (!closed) {
                writeOk(0, 0, 0);
                commandDone();
            }
        });
    }

    /**
     * Interrupts the statement this session is running on a server, if any, with {@code KILL QUERY}
     * on another connection to that server; completes {@code done} (from any thread) when the
     * server has answered. Runs on this session's event loop.
     */
    private void cancelStatement(Promise<Void> done) {
        Relay r = relaying;
        if (r == null || closed) {
            done.trySuccess(null);
            return;
        }
        BackendConnection target = r.backend();
        target.killPending(true);
        long thread = target.threadId();
        runtime.pool(channel.eventLoop(), target.node()).acquire(poolKey, false).addListener(f -> {
            if (!f.isSuccess()) {
                target.killPending(false);
                done.tryFailure(f.cause());
                return;
            }
            BackendConnection killer = (BackendConnection) f.getNow();
            killer.query("KILL QUERY " + thread).addListener(g -> {
                target.killPending(false);
                giveBack(killer);
                if (!g.isSuccess()) {
                    done.tryFailure(g.cause());
                    return;
                }
                io.rwsplit.proxy.backend.Response answer = (io.rwsplit.proxy.backend.Response) g.getNow();
                ResponseTracker t = answer.summary();
                // the statement may have ended meanwhile: its thread is then idle, or gone
                if (answer.error() && t.errorCode() != ErrorCode.NO_SUCH_THREAD.errno()) {
                    done.tryFailure(BackendException.server(t.errorCode(), t.sqlState(), t.errorMessage()));
                } else {
                    done.trySuccess(null);
                }
            });
        });
    }

    /** COM_RESET_CONNECTION: a fresh session on the same login; connections holding its state are dropped. */
    private void resetConnection() {
        dropSessionState(state.schema());
    }

    private void dropSessionState(String schema) {
        for (BackendConnection c : new ArrayList<>(held.values())) {
            c.markBroken();
        }
        releaseAll();
        prepared.clear();
        state.reset(schema);
        pinNode = null;
    }

    /** The sequence id of the last packet of the current command, either way. */
    int lastSequence() {
        return lastSequence;
    }

    /** The client sent packet {@code sequence} of the current command's exchange (an auth answer). */
    void continuation(int sequence) {
        lastSequence = sequence;
    }

    /**
     * COM_CHANGE_USER authenticated {@code a}: a fresh session as that user, in the schema and
     * character set the command named. Connections carrying the old session are dropped.
     */
    void changedUser(Accounts.Account a, ChangeUserRequest request) {
        if (a != account) {
            account.leave();
            account = a;
        }
        if (request.characterSet() != 0) {
            collation = request.characterSet();
            charset = CharacterSets.javaCharset(collation);
            profile = BackendProfile.of(capabilities, collation);
        }
        poolKey = new NodePool.Key(profile, account.backend);
        dropSessionState(request.schema().isEmpty() ? null : request.schema());
        enterSchema().addListener(f -> {
            if (f.isSuccess()) {
                writeOk(0, 0, 0);
                commandDone();
            } else {
                closeWithError(((ClientLogin.SessionRefused) f.cause()).packet);
            }
        });
    }

    // --- routing and backend connections --------------------------------------------------------

    RouteDecision route(Classification c) {
        TopologySnapshot t = runtime.topology();
        return runtime.router.route(c, state, t, affinity, System.nanoTime());
    }

    /** The running command is on its way to {@code node} (past the switchover gate). */
    void runningOn(NodeId node) {
        runningOn = node;
    }

    /** Whether the session has a transaction open on {@code node}. */
    boolean hasTransactionOn(NodeId node) {
        return state.transaction() != Transaction.NONE && node.equals(state.transactionNode());
    }

    /**
     * Whether the session has work on {@code node} that a switchover must let finish before the
     * node goes read-only: an open transaction there, or a statement running there.
     */
    boolean occupies(NodeId node) {
        return !closed && (hasTransactionOn(node) || busy && node.equals(runningOn));
    }

    /** A connection to {@code node}: the one the session holds there, or one from the pool. */
    Future<BackendConnection> connectionFor(NodeId node) {
        BackendConnection c = held.get(node);
        if (c != null) {
            // a reply the proxy is still waiting for (a cursor's COM_STMT_RESET) is no reason to let go:
            // commands queue on the connection in order, and a transaction or pinned state lives only there
            if (c.usable()) {
                if (c.killPending()) {
                    // a KILL QUERY for the statement before may still reach the server: let it land first
                    Promise<BackendConnection> afterKill = channel.eventLoop().newPromise();
                    c.afterKill(() -> afterKill.trySuccess(c));
                    return afterKill;
                }
                return channel.eventLoop().newSucceededFuture(c);
            }
            held.remove(node);
            giveBack(c);
            if (state.transaction() != Transaction.NONE && node.equals(state.transactionNode())) {
                // never carry on a transaction on a fresh connection as if nothing happened
                state.observeServer(false, state.autocommit(), System.nanoTime());
                return channel.eventLoop().newFailedFuture(BackendException.lost(ErrorCode.TRANSACTION_LOST,
                        "lost the connection that ran this transaction; the server rolled it back", null));
            }
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
        boolean keep = statement && (t.warnings() > 0 || countsFoundRows || c.kind() == StatementKind.WRITE
                || c.kind() == StatementKind.UNKNOWN || c.kind() == StatementKind.PRIMARY_ONLY
                || c.kind() == StatementKind.PRIMARY_READ);
        if (statement) {
            // a prepare or a fetch in between leaves the connection a following FOUND_ROWS() or SHOW WARNINGS needs
            keptForNext = keep ? used : null;
        }
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
        uploadContinues = false;
        if (!channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
        // packets the client sent before the request are its file's first packets
        while (upload != null && !inbox.isEmpty()) {
            Packet p = inbox.poll();
            inboxBytes -= p.payload().readableBytes();
            forwardUpload(p);
        }
    }

    private void forwardUpload(Packet p) {
        // the file ends at an empty packet, unless that packet only ends a 16 MiB - 1 byte one
        boolean last = !p.payload().isReadable() && !uploadContinues;
        uploadContinues = p.continues();
        BackendConnection to = upload;
        to.write(p);
        if (last) {
            to.flush();
            upload = null;
            updateReading();
            return;
        }
        if (!to.channel().isWritable()) {
            // the server takes the file more slowly than the client sends it: hold the client
            to.flush();
            channel.config().setAutoRead(false);
            to.whenWritable(() -> {
                if (upload == to && !closed) {
                    channel.config().setAutoRead(true);
                }
            });
        }
    }

    /** The client's socket has no more bytes for now. */
    void readComplete() {
        if (upload != null) {
            upload.flush();
        }
    }

    void writabilityChanged() {
        if (closed) {
            return;
        }
        if (relaying != null && channel.isWritable()) {
            relaying.backend().channel().config().setAutoRead(true);
        }
        if (channel.isWritable()) {
            drain();
        } else {
            updateReading();
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
        runtime.metrics.error(error.errorCode());
        ByteBuf out = channel.alloc().buffer(32 + error.message().length());
        error.writeTo(out, capabilities);
        writePayload(out);
        channel.flush();
        commandDone();
    }

    /** The current command has no answer (COM_STMT_CLOSE, COM_STMT_SEND_LONG_DATA). */
    void commandDoneSilently() {
        busy = false;
        runningOn = null;
        drain();
    }

    /** The current command is answered (and flushed, if it was written here). */
    void commandDone() {
        busy = false;
        runningOn = null;
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

    /** Answers the current command with {@code error} and closes the connection. */
    /** Whether the client's connection is encrypted. */
    boolean overTls() {
        return tls;
    }

    void closeWithError(ErrPacket error) {
        ByteBuf out = channel.alloc().buffer(32 + error.message().length());
        error.writeTo(out, capabilities);
        writePayload(out);
        channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(f -> lingerThenClose());
        close();
    }

    /**
     * The client may still be sending what was refused (the rest of an oversized message): closing
     * with its bytes unread would reset the connection, and the client would meet the reset while
     * writing instead of reading the error. So the proxy stops sending, drops what still arrives
     * for a moment, then closes.
     */
    private void lingerThenClose() {
        if (channel instanceof io.netty.channel.socket.SocketChannel socket && socket.isActive()) {
            channel.config().setAutoRead(true);
            socket.shutdownOutput();
            channel.eventLoop().schedule(() -> {
                channel.close();
            }, LINGER_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        } else {
            channel.close();
        }
    }

    /** The client stopped inside a packet for {@code ms} (the read timeout): it gets an ERR and is closed. */
    void readTimedOut(long ms) {
        if (closed) {
            return;
        }
        log.debug("session {}: the client stalled inside a packet for {} ms", connectionId, ms);
        closeWithError(ErrorCode.READ_TIMEOUT.packet("Got timeout reading communication packets: the client sent part "
                + "of a packet, then nothing for " + ms + " ms"));
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
        inboxBytes = 0;
        assembler.close();
        prepared.clear();
    }
}
