package io.rwsplit.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.rwsplit.core.route.RouteDecision;
import io.rwsplit.core.session.SessionState;
import io.rwsplit.core.session.Transaction;
import io.rwsplit.core.sql.Classification;
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
import io.rwsplit.proxy.protocol.ErrPacket;
import io.rwsplit.proxy.protocol.ErrorCode;
import io.rwsplit.proxy.protocol.HandshakeResponse41;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logged-in client: its commands, one at a time and in order. Confined to the client
 * channel's event loop, as are the backend connections it uses.
 *
 * <p>Commands the client pipelines wait in an inbox; reading from the client pauses while the
 * inbox is long (in packets or in bytes), and while the client does not read what the proxy
 * writes: no command is taken from the inbox then, so a client that sends without reading gets
 * its socket filled, not the proxy's memory. Each command either is answered by the proxy (ping, options, reset, kill of its
 * own connection...) or runs on a server through a {@link StatementRun}.
 *
 * <p>The session wires the parts that do the rest: {@link HeldConnections} (which backend
 * connections it keeps between statements, and why: multiplexing), {@link Replies} (the proxy's
 * own answers), {@link UploadRelay} (LOAD DATA LOCAL), {@link KillCommand} (KILL and KILL QUERY),
 * {@link PreparedStatements} and {@link ChangeUser}.
 */
final class ClientSession {

    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    private final ProxyRuntime runtime;
    private final Channel channel;
    /** Changes with COM_CHANGE_USER; read by other sessions' KILL. */
    private volatile Accounts.Account account;
    private final long connectionId;
    private final boolean tls;
    private final long capabilities;
    private int collation;
    private Charset charset;
    private BackendProfile profile;
    private final SessionState state;
    private boolean multiStatements;
    private final long affinity;

    private final Inbox inbox = new Inbox();
    /** The last packet from the client said its message goes on in the next one. */
    private boolean midMessage;
    private Messages.Assembler assembler;
    private boolean busy;
    private boolean draining;
    private boolean closed;
    private int expectedSequence;

    private Relay relaying;
    /** The node the running command went to, once past the switchover gate; null between commands. */
    private NodeId runningOn;
    private ChangeUser changeUser;
    private final Replies replies;
    private final PreparedStatements prepared;
    private final HeldConnections connections;
    private final UploadRelay upload;
    private final KillCommand kill;

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
        String db = response.database();
        this.state = new SessionState(db == null || db.isEmpty() ? null : db);
        this.multiStatements = Capabilities.has(capabilities, Capabilities.CLIENT_MULTI_STATEMENTS);
        this.affinity = channel.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().hashCode() : connectionId;
        this.assembler = new Messages.Assembler(channel.alloc(), runtime.config.limits().maxMessageBytes());
        this.replies = new Replies(channel, capabilities, state);
        this.prepared = new PreparedStatements(this);
        this.connections = new HeldConnections(runtime, channel.eventLoop(), state, prepared,
                new NodePool.Key(profile, account.backend));
        this.upload = new UploadRelay(this, channel);
        this.kill = new KillCommand(this);
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

    /** Whether the session has ended (the client left, was refused or killed). */
    boolean closed() {
        return closed;
    }

    HeldConnections connections() {
        return connections;
    }

    KillCommand kill() {
        return kill;
    }

    /**
     * Checks the initial schema (a server must accept it, as it would at its own login) and sends
     * the OK that ends the login. Fails with the packet to refuse the client with.
     */
    Future<Void> open(int sequence) {
        replies.lastSequence(sequence);
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
                        connections.releaseUnneeded();
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
        if (upload.active()) {
            upload.forward(p);
            return;
        }
        if (changeUser != null) {
            ChangeUser c = changeUser;
            changeUser = null;
            c.onPacket(p);
            return;
        }
        inbox.add(p);
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
    void updateReading() {
        if (closed || upload.active()) {
            return;
        }
        // An unwritable client is not a reason to stop reading: no command runs while it is
        // (drain waits), so the bounded inbox stops the reading soon enough, and reading is how the
        // proxy learns that a client which stopped taking its answers has gone.
        boolean autoRead = channel.config().isAutoRead();
        if (autoRead && inbox.full()) {
            channel.config().setAutoRead(false);
        } else if (!autoRead && inbox.roomy()) {
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
            replies.lastSequence(p.sequenceId()); // the ERR answers the packet that came
            p.release();
            closeWithError(ErrorCode.PACKETS_OUT_OF_ORDER.packet("Got packets out of order (sequence id " + p.sequenceId()
                    + ", expected " + expected + ")"));
            return false;
        }
        replies.lastSequence(p.sequenceId());
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
        connections.commandStarts();
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
            case COM_PROCESS_KILL -> kill.run(message);
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
        KillStatement killStatement = KillStatement.parse(sql);
        if (killStatement != null) {
            message.release();
            kill.run(killStatement);
            return;
        }
        connections.countsFoundRows(sql);
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
        connections.countsFoundRows(sql);
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
        replies.endOfResultSet();
        commandDone();
    }

    /** COM_RESET_CONNECTION: a fresh session on the same login; connections holding its state are dropped. */
    private void resetConnection() {
        dropSessionState(state.schema());
    }

    private void dropSessionState(String schema) {
        connections.dropAll();
        prepared.clear();
        state.reset(schema);
    }

    /** The sequence id of the last packet of the current command, either way. */
    int lastSequence() {
        return replies.lastSequence();
    }

    /** The client sent packet {@code sequence} of the current command's exchange (an auth answer). */
    void continuation(int sequence) {
        replies.lastSequence(sequence);
    }

    /**
     * COM_CHANGE_USER authenticated {@code a}: a fresh session as that user, in the schema and
     * character set the command named. Connections carrying the old session are dropped.
     */
    void changedUser(Accounts.Account a, ChangeUserRequest request) {
        if (a.connections != account.connections) {
            account.leave();
        }
        // the new object even for the same user: after a reload it holds the current settings
        account = a;
        if (request.characterSet() != 0) {
            collation = request.characterSet();
            charset = CharacterSets.javaCharset(collation);
            profile = BackendProfile.of(capabilities, collation);
        }
        connections.poolKey(new NodePool.Key(profile, account.backend));
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
     * node goes read-only: an open transaction there, a statement running there, or state that lives
     * only on its connection there (a temporary table, a named lock, user variables), which closing
     * that connection would lose without the client knowing.
     */
    boolean occupies(NodeId node) {
        return !closed && (hasTransactionOn(node) || busy && node.equals(runningOn) || connections.pinsOn(node));
    }

    /** A connection to {@code node}: the one the session holds there, or one from the pool. */
    Future<BackendConnection> connectionFor(NodeId node) {
        return connections.connectionFor(node, multiStatements);
    }

    /** A connection that broke: forget it. */
    void lost(BackendConnection c) {
        connections.lost(c);
    }

    Relay relaying() {
        return relaying;
    }

    void relaying(Relay r) {
        this.relaying = r;
    }

    /** A statement's answer has been relayed: update what is held, then take the next command. */
    void statementDone(Classification c, BackendConnection used, ResponseTracker t, boolean statement) {
        connections.commandRan(c, used, t, statement);
        channel.flush();
        commandDone();
    }

    // --- LOAD DATA LOCAL ------------------------------------------------------------------------

    void startUpload(BackendConnection c) {
        upload.start(c);
        // packets the client sent before the request are its file's first packets
        while (upload.active() && !inbox.isEmpty()) {
            upload.forward(inbox.poll());
        }
    }

    /** The client's socket has no more bytes for now. */
    void readComplete() {
        upload.flush();
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

    void writeOk(long affectedRows, long lastInsertId, int warnings) {
        replies.ok(affectedRows, lastInsertId, warnings);
    }

    /** Writes a packet answering the current command; does not flush. */
    void writePayload(ByteBuf payload) {
        replies.payload(payload);
    }

    /** The current command failed: the client gets the error, the session takes the next command. */
    void fail(ErrPacket error) {
        runtime.metrics.error(error.errorCode());
        replies.error(error);
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

    /** Whether the client's connection is encrypted. */
    boolean overTls() {
        return tls;
    }

    /** Answers the current command with {@code error} and closes the connection. */
    void closeWithError(ErrPacket error) {
        replies.errorThenClose(error);
        close();
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
        connections.close();
        inbox.clear();
        assembler.close();
        prepared.clear();
    }
}
