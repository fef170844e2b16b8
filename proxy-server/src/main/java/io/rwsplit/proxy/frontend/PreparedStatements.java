package io.rwsplit.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.Future;
import io.rwsplit.core.sql.Classification;
import io.rwsplit.core.sql.SessionEffects;
import io.rwsplit.core.sql.StatementKind;
import io.rwsplit.proxy.backend.BackendConnection;
import io.rwsplit.proxy.backend.BackendException;
import io.rwsplit.proxy.backend.ResponseTracker;
import io.rwsplit.proxy.codec.MalformedPacketException;
import io.rwsplit.proxy.protocol.Capabilities;
import io.rwsplit.proxy.protocol.Command;
import io.rwsplit.proxy.protocol.ErrorCode;
import io.rwsplit.proxy.protocol.ServerStatus;
import io.rwsplit.proxy.protocol.StmtExecute;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A session's server-side prepared statements, under ids of the proxy's own.
 *
 * <p>A statement lives on the servers only as a cache: the client's prepare runs on the node the
 * statement would run on now (to answer with the real parameter and column definitions), and each
 * execute runs wherever the router sends it (a read on a replica, a write on the primary), after
 * preparing it on that connection if it is not there yet ({@link ServerStatements}, shared by the
 * sessions that use the connection).
 *
 * <p>An execute that does not repeat the parameter types (new-params-bound flag 0) is sent with
 * the types of the statement's last execute, since the backend statement may never have seen
 * them. Long data ({@code COM_STMT_SEND_LONG_DATA}) is kept until the execute and replayed on the
 * connection that runs it; a session holds at most {@code limits.maxMessageBytes} of it, and a
 * statement whose long data went past that fails its executes, as on a server, until it is reset.
 * An execute is checked against its statement ({@link StmtExecute}) before a server sees it. A
 * cursor keeps its connection until the statement is reset, closed or executed again. MariaDB's
 * "the statement just prepared" id (0xFFFFFFFF) is honoured, and its COM_STMT_BULK_EXECUTE runs
 * like an execute.
 */
final class PreparedStatements {

    private static final long LAST_PREPARED = 0xFFFF_FFFFL;
    private static final int CURSOR_TYPE_READ_ONLY = 1;
    /** COM_STMT_BULK_EXECUTE flag: parameter types precede the rows. */
    private static final int BULK_SEND_TYPES = 128;

    /** A statement of the client's, under the proxy's id. */
    static final class Stmt {
        final long id;
        /** The schema current at the prepare ("" for none): a server binds the statement's tables there. */
        final String schema;
        final String sql;
        final Classification classification;
        final int params;
        final int columns;
        byte[] types;
        final List<ByteBuf> longData = new ArrayList<>();
        long longDataBytes;
        boolean longDataTooLarge;
        BackendConnection cursor;
        /** The server's id of the statement whose cursor is open on {@link #cursor}. */
        long cursorServerId;

        Stmt(long id, String schema, String sql, Classification classification, int params, int columns) {
            this.id = id;
            this.schema = schema;
            this.sql = sql;
            this.classification = classification;
            this.params = params;
            this.columns = columns;
        }
    }

    private final ClientSession session;
    private final ServerStatements server;
    /**
     * Statements one session may hold at once: the servers' default {@code max_prepared_stmt_count}
     * (which they count over all connections). Keeps a client that never closes its statements
     * from growing the proxy without bound.
     */
    static final int MAX_STATEMENTS = 16_382;

    private final Map<Long, Stmt> statements = new HashMap<>();
    /** The text of all held statements, bounded like long data by the message size limit. */
    private long sqlChars;
    private long nextId = 1;
    private long lastPrepared = -1;
    private int cursors;
    /** Long data held for all statements together. */
    private long longDataBytes;

    PreparedStatements(ClientSession session) {
        this.session = session;
        this.server = new ServerStatements(session, this);
    }

    void prepare(ByteBuf message) {
        if (statements.size() >= MAX_STATEMENTS || sqlChars + message.readableBytes() > sessionBytesLimit()) {
            message.release();
            session.fail(ErrorCode.TOO_MANY_PREPARED.packet("Can't create more than max_prepared_stmt_count "
                    + "statements (current value: " + MAX_STATEMENTS + "): this connection holds " + statements.size()
                    + " statements of " + sqlChars + " characters in all; close statements it no longer uses"));
            return;
        }
        String sql = message.toString(message.readerIndex() + 1, message.readableBytes() - 1, session.charset());
        Classification c = session.runtime().classifier.classify(sql);
        // route the prepare like the statement, without its effects: preparing changes nothing yet
        StatementKind kind = c.kind() == StatementKind.READ ? StatementKind.READ : StatementKind.PRIMARY_ONLY;
        Classification where = new Classification(kind, "prepare: " + c.reason(), SessionEffects.NONE, c.hint(),
                c.decidedBy());
        long id = nextId;
        long[] serverId = {-1};
        // as on a server, "the statement just prepared" (-1) names nothing until this prepare succeeds: a
        // pipelined execute after a failed prepare must fail, not run the statement prepared before
        lastPrepared = -1;
        new StatementRun(session, where, message, ResponseTracker.Shape.PREPARE, new StatementRun.Hooks() {
            @Override
            public Relay.Patcher patcher() {
                return (in, start, length, index) -> {
                    if (index == 0 && length >= 12 && in.getUnsignedByte(start) == 0) {
                        serverId[0] = in.getUnsignedIntLE(start + 1);
                        in.setIntLE(start + 1, (int) id);
                    }
                };
            }

            @Override
            public void after(BackendConnection b, ResponseTracker t) {
                if (t.error() || serverId[0] < 0) {
                    return;
                }
                nextId++;
                statements.put(id, new Stmt(id, b.schema, sql, c, t.params(), t.columns()));
                sqlChars += sql.length();
                lastPrepared = id;
                server.preparedByClient(b, sql, serverId[0], t.params(), t.columns());
            }

            @Override
            public boolean affectsSession() {
                return false;
            }
        }).start();
    }

    void execute(ByteBuf message) {
        Stmt s = find(message, "mysqld_stmt_execute");
        if (s == null) {
            return;
        }
        if (s.longDataTooLarge) {
            message.release();
            session.fail(ErrorCode.LONG_DATA_TOO_LARGE.packet("Parameter of prepared statement which is set through "
                    + "mysql_send_long_data() is longer than 'max_allowed_packet' bytes (the proxy's "
                    + "limits.maxMessageBytes, " + sessionBytesLimit() + ", for the long data of a session)"));
            return;
        }
        try {
            byte[] types = StmtExecute.check(message, s.params, s.types, longDataParams(s));
            if (types != null) {
                s.types = types;
            }
        } catch (MalformedPacketException e) {
            message.release();
            session.fail(ErrorCode.WRONG_ARGUMENTS.packet("Incorrect arguments to mysqld_stmt_execute: "
                    + e.getMessage()));
            return;
        }
        int flags = message.getUnsignedByte(message.readerIndex() + 5);
        if (s.cursor != null) {
            // a new execute closes the statement's cursor
            releaseCursor(s);
        }
        boolean wantsCursor = (flags & CURSOR_TYPE_READ_ONLY) != 0;
        session.countsFoundRows(s.sql);
        new StatementRun(session, s.classification, message, ResponseTracker.Shape.EXECUTE, new StatementRun.Hooks() {
            @Override
            public Future<Void> before(BackendConnection b) {
                return server.ensurePrepared(b, s);
            }

            @Override
            public ByteBuf payloadFor(BackendConnection b, ByteBuf m) {
                return rewriteExecute(b, s, m);
            }

            @Override
            public void after(BackendConnection b, ResponseTracker t) {
                clearLongData(s);
                if (wantsCursor && !t.error() && ServerStatus.has(t.statusFlags(), ServerStatus.CURSOR_EXISTS)) {
                    s.cursor = b;
                    s.cursorServerId = ServerStatements.on(b, s).id();
                    cursors++;
                }
            }
        }).start();
    }

    private long sessionBytesLimit() {
        return session.runtime().config.limits().maxMessageBytes();
    }

    /** The parameters the statement's pending long data is for: their values are not in the execute. */
    private static BitSet longDataParams(Stmt s) {
        BitSet b = new BitSet();
        for (ByteBuf d : s.longData) {
            b.set(d.getUnsignedShortLE(d.readerIndex() + 5));
        }
        return b;
    }

    /**
     * MariaDB's COM_STMT_BULK_EXECUTE: one statement for many rows of parameters, answered like an
     * execute. Layout: 0xFA, int&lt;4&gt; statement id, int&lt;2&gt; bulk flags, then with
     * SEND_TYPES_TO_SERVER two bytes of type per parameter, then the rows.
     */
    void bulkExecute(ByteBuf message) {
        if (!Capabilities.has(session.capabilities(), Capabilities.MARIADB_CLIENT_STMT_BULK_OPERATIONS)) {
            message.release();
            session.fail(ErrorCode.UNKNOWN_COMMAND.packet("Unknown command: COM_STMT_BULK_EXECUTE needs the bulk "
                    + "operations capability, which this connection did not ask for"));
            return;
        }
        Stmt s = find(message, "mysqld_stmt_bulk_execute");
        if (s == null) {
            return;
        }
        int base = message.readerIndex();
        if (message.readableBytes() < 7) {
            message.release();
            session.fail(ErrorCode.MALFORMED_PACKET.packet("Malformed communication packet: COM_STMT_BULK_EXECUTE "
                    + "without its flags"));
            return;
        }
        boolean typesSent = (message.getUnsignedShortLE(base + 5) & BULK_SEND_TYPES) != 0;
        if (typesSent) {
            if (message.readableBytes() < 7 + 2 * s.params) {
                message.release();
                session.fail(ErrorCode.MALFORMED_PACKET.packet("Malformed communication packet: "
                        + "COM_STMT_BULK_EXECUTE ends inside its parameter types"));
                return;
            }
            s.types = new byte[2 * s.params];
            message.getBytes(base + 7, s.types);
        } else if (s.types == null && s.params > 0) {
            message.release();
            session.fail(ErrorCode.MALFORMED_PACKET.packet("Malformed communication packet: the first execute of "
                    + "statement " + s.id + " does not send parameter types"));
            return;
        }
        new StatementRun(session, s.classification, message, ResponseTracker.Shape.EXECUTE, new StatementRun.Hooks() {
            @Override
            public Future<Void> before(BackendConnection b) {
                return server.ensurePrepared(b, s);
            }

            @Override
            public ByteBuf payloadFor(BackendConnection b, ByteBuf m) {
                long serverId = ServerStatements.on(b, s).id();
                int at = m.readerIndex();
                ByteBuf out;
                if (typesSent || s.params == 0) {
                    out = m.copy();
                } else {
                    // the backend statement may never have seen the types: send them
                    out = b.channel().alloc().buffer(m.readableBytes() + s.types.length);
                    out.writeBytes(m, at, 7);
                    out.setShortLE(5, m.getUnsignedShortLE(at + 5) | BULK_SEND_TYPES);
                    out.writeBytes(s.types);
                    out.writeBytes(m, at + 7, m.readableBytes() - 7);
                }
                out.setIntLE(out.readerIndex() + 1, (int) serverId);
                return out;
            }
        }).start();
    }

    /** The client's execute with the backend's statement id and, when the client left them out, the types. */
    private ByteBuf rewriteExecute(BackendConnection b, Stmt s, ByteBuf m) {
        long serverId = ServerStatements.on(b, s).id();
        int base = m.readerIndex();
        if (s.params > 0) {
            int bitmap = (s.params + 7) / 8;
            int boundAt = base + 10 + bitmap;
            if (m.getUnsignedByte(boundAt) == 0) {
                int valuesAt = boundAt + 1;
                ByteBuf out = b.channel().alloc().buffer(m.readableBytes() + s.types.length);
                out.writeBytes(m, base, boundAt - base);
                out.writeByte(1);
                out.writeBytes(s.types);
                out.writeBytes(m, valuesAt, m.writerIndex() - valuesAt);
                out.setIntLE(1, (int) serverId);
                return out;
            }
        }
        ByteBuf out = m.copy();
        out.setIntLE(out.readerIndex() + 1, (int) serverId);
        return out;
    }

    void fetch(ByteBuf message) {
        Stmt s = find(message, "mysqld_stmt_fetch");
        if (s == null) {
            return;
        }
        if (message.readableBytes() < 9) {
            message.release();
            session.fail(ErrorCode.MALFORMED_PACKET.packet("Malformed communication packet: COM_STMT_FETCH without "
                    + "its number of rows"));
            return;
        }
        BackendConnection b = s.cursor;
        if (b == null || !b.usable()) {
            message.release();
            session.fail(ErrorCode.NO_OPEN_CURSOR.packet("The statement (" + s.id + ") has no open cursor."));
            return;
        }
        ByteBuf out = message.copy();
        message.release();
        out.setIntLE(out.readerIndex() + 1, (int) s.cursorServerId);
        new DirectRun(session, b, out, ResponseTracker.Shape.FETCH).start();
    }

    void sendLongData(ByteBuf message) {
        // no answer, as from a server; an unknown statement is reported at execute
        if (message.readableBytes() < 7) {
            message.release();
            session.commandDoneSilently();
            return;
        }
        long id = message.getUnsignedIntLE(message.readerIndex() + 1);
        Stmt s = statements.get(id == LAST_PREPARED ? lastPrepared : id);
        if (s == null || s.longDataTooLarge) {
            message.release();
        } else if (longDataBytes + message.readableBytes() > sessionBytesLimit()) {
            // no answer to give now: the next execute reports it, as a server's does
            message.release();
            clearLongData(s);
            s.longDataTooLarge = true;
        } else {
            s.longData.add(message);
            s.longDataBytes += message.readableBytes();
            longDataBytes += message.readableBytes();
        }
        session.commandDoneSilently();
    }

    void close(ByteBuf message) {
        if (message.readableBytes() >= 5) {
            long id = message.getUnsignedIntLE(message.readerIndex() + 1);
            Stmt s = statements.remove(id);
            if (s != null) {
                sqlChars -= s.sql.length();
                clearLongData(s);
                releaseCursor(s);
            }
        }
        message.release();
        session.commandDoneSilently();
    }

    void reset(ByteBuf message) {
        Stmt s = find(message, "mysqld_stmt_reset");
        if (s == null) {
            return;
        }
        message.release();
        clearLongData(s);
        s.longDataTooLarge = false;
        releaseCursor(s);
        session.writeOk(0, 0, 0);
        session.commandDone();
    }

    /** The statement named by an execute/fetch/reset, or null after answering with the server's error. */
    private Stmt find(ByteBuf message, String where) {
        if (message.readableBytes() < 5) {
            message.release();
            session.fail(ErrorCode.MALFORMED_PACKET.packet("Malformed communication packet: a statement command "
                    + "without a statement id"));
            return null;
        }
        long id = message.getUnsignedIntLE(message.readerIndex() + 1);
        Stmt s = statements.get(id == LAST_PREPARED ? lastPrepared : id);
        if (s == null) {
            message.release();
            session.fail(ErrorCode.UNKNOWN_STATEMENT.packet("Unknown prepared statement handler (" + id + ") given to "
                    + where));
        }
        return s;
    }

    private void releaseCursor(Stmt s) {
        BackendConnection b = s.cursor;
        if (b == null) {
            return;
        }
        s.cursor = null;
        cursors--;
        if (b.usable()) {
            ByteBuf reset = b.channel().alloc().buffer(5);
            reset.writeByte(Command.COM_STMT_RESET.code()).writeIntLE((int) s.cursorServerId);
            b.command(reset, ResponseTracker.Shape.SINGLE);
        }
    }

    /** Whether a cursor of this session's is open on {@code b} as its statement {@code serverStatementId}. */
    boolean cursorUses(BackendConnection b, long serverStatementId) {
        if (cursors == 0) {
            return false;
        }
        for (Stmt s : statements.values()) {
            if (s.cursor == b && s.cursorServerId == serverStatementId) {
                return true;
            }
        }
        return false;
    }

    private void clearLongData(Stmt s) {
        for (ByteBuf d : s.longData) {
            d.release();
        }
        s.longData.clear();
        longDataBytes -= s.longDataBytes;
        s.longDataBytes = 0;
    }

    boolean hasCursorOn(BackendConnection c) {
        if (cursors == 0) {
            return false;
        }
        for (Stmt s : statements.values()) {
            if (s.cursor == c) {
                return true;
            }
        }
        return false;
    }

    boolean hasAnyCursor() {
        if (cursors == 0) {
            return false;
        }
        for (Stmt s : statements.values()) {
            if (s.cursor != null) {
                return true;
            }
        }
        return false;
    }

    void clear() {
        for (Stmt s : statements.values()) {
            clearLongData(s);
            s.cursor = null;
        }
        statements.clear();
        sqlChars = 0;
        cursors = 0;
    }
}
