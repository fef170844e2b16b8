package io.rwsplit.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.rwsplit.proxy.backend.BackendConnection;
import io.rwsplit.proxy.backend.BackendConnection.PreparedOnServer;
import io.rwsplit.proxy.backend.Response;
import io.rwsplit.proxy.backend.ResponseTracker;
import io.rwsplit.proxy.codec.Packet;
import io.rwsplit.proxy.protocol.Command;
import java.nio.charset.StandardCharsets;

/**
 * The server side of a session's prepared statements: what each backend connection has prepared,
 * under the server's ids. Backend statements are kept per connection and per schema and SQL text,
 * so sessions sharing connections share them; one SQL text is prepared once per connection, and
 * the least recently used are closed beyond {@link #MAX_PER_CONNECTION}.
 */
final class ServerStatements {

    /**
     * Most server statements kept per backend connection. Clients close their statements, but the
     * proxy keeps them for whichever session runs the same SQL there next; without a bound an
     * application with many distinct statements would fill the server's max_prepared_stmt_count
     * (16382 by default, shared by all connections), after which every prepare fails.
     */
    static final int MAX_PER_CONNECTION = 128;

    private final ClientSession session;
    private final PreparedStatements statements;

    ServerStatements(ClientSession session, PreparedStatements statements) {
        this.session = session;
        this.statements = statements;
    }

    private static String key(String schema, String sql) {
        return (schema == null ? "" : schema) + '\0' + sql;
    }

    /** {@code s} as prepared on {@code b}; there after {@link #ensurePrepared}. */
    static PreparedOnServer on(BackendConnection b, PreparedStatements.Stmt s) {
        return b.prepared.get(key(s.schema, s.sql));
    }

    /**
     * The client's prepare of {@code sql} ran on {@code b} as statement {@code serverId}, in the
     * connection's schema: the connection keeps it for the executes.
     */
    void preparedByClient(BackendConnection b, String sql, long serverId, int params, int columns) {
        String k = key(b.schema, sql);
        if (b.prepared.containsKey(k)) {
            // the connection has this statement already (a client preparing the same SQL again, or
            // another session before it): keep that one, or each prepare would leave one behind on
            // the server until the connection closes, up to max_prepared_stmt_count
            closeOnServer(b, serverId);
        } else {
            remember(b, k, new PreparedOnServer(serverId, params, columns));
        }
    }

    /** Prepares {@code s} on {@code b} unless it is there already, then sends it its pending long data. */
    Future<Void> ensurePrepared(BackendConnection b, PreparedStatements.Stmt s) {
        Promise<Void> done = b.eventLoop().newPromise();
        if (b.prepared.containsKey(key(s.schema, s.sql))) {
            replayLongData(b, s);
            done.setSuccess(null);
            return done;
        }
        String current = b.schema;
        if (s.schema.isEmpty() || s.schema.equals(current)) {
            prepareOn(b, s, done);
            return done;
        }
        // the session changed schema since the prepare: prepare in the statement's own schema, as the
        // server that answered the prepare would keep it, then put the connection's schema back
        initDb(b, s.schema).addListener(f -> {
            if (!f.isSuccess()) {
                done.setFailure(f.cause());
                return;
            }
            Promise<Void> prepared = b.eventLoop().newPromise();
            prepareOn(b, s, prepared);
            prepared.addListener(g -> {
                if (current.isEmpty()) {
                    // no way back to "no schema"; the mirror follows the server
                    b.schema = s.schema;
                    relay(g, done);
                    return;
                }
                initDb(b, current).addListener(h -> {
                    if (!h.isSuccess()) {
                        b.markBroken();
                        done.setFailure(h.cause());
                        return;
                    }
                    relay(g, done);
                });
            });
        });
        return done;
    }

    private static void relay(Future<?> from, Promise<Void> to) {
        if (from.isSuccess()) {
            to.setSuccess(null);
        } else {
            to.setFailure(from.cause());
        }
    }

    private Future<Void> initDb(BackendConnection b, String schema) {
        Promise<Void> done = b.eventLoop().newPromise();
        byte[] name = schema.getBytes(StandardCharsets.UTF_8);
        ByteBuf payload = b.channel().alloc().buffer(1 + name.length);
        payload.writeByte(Command.COM_INIT_DB.code()).writeBytes(name);
        b.command(payload, ResponseTracker.Shape.SINGLE).addListener(f -> {
            if (!f.isSuccess()) {
                done.setFailure(f.cause());
                return;
            }
            Response r = (Response) f.getNow();
            if (r.error()) {
                done.setFailure(r.failure());
                return;
            }
            done.setSuccess(null);
        });
        return done;
    }

    /** Prepares {@code s} on {@code b} in the connection's current schema. */
    private void prepareOn(BackendConnection b, PreparedStatements.Stmt s, Promise<Void> done) {
        byte[] text = s.sql.getBytes(session.charset());
        ByteBuf payload = b.channel().alloc().buffer(1 + text.length);
        payload.writeByte(Command.COM_STMT_PREPARE.code()).writeBytes(text);
        b.command(payload, ResponseTracker.Shape.PREPARE).addListener(f -> {
            if (!f.isSuccess()) {
                done.setFailure(f.cause());
                return;
            }
            Response r = (Response) f.getNow();
            if (r.error()) {
                done.setFailure(r.failure());
                return;
            }
            remember(b, key(s.schema, s.sql), new PreparedOnServer(r.summary().statementId(), r.summary().params(),
                    r.summary().columns()));
            replayLongData(b, s);
            done.setSuccess(null);
        });
    }

    private static void replayLongData(BackendConnection b, PreparedStatements.Stmt s) {
        if (s.longData.isEmpty()) {
            return;
        }
        long serverId = on(b, s).id();
        for (ByteBuf d : s.longData) {
            ByteBuf copy = d.copy();
            copy.setIntLE(copy.readerIndex() + 1, (int) serverId);
            b.sendPackets(null, new Packet(0, copy));
        }
    }

    /**
     * Records a statement prepared on {@code b}, closing the least recently used ones over
     * {@link #MAX_PER_CONNECTION}, except those with an open cursor of this session (no other
     * session can have one there: a cursor keeps its connection out of the pool).
     */
    private void remember(BackendConnection b, String key, PreparedOnServer p) {
        b.prepared.put(key, p);
        int excess = b.prepared.size() - MAX_PER_CONNECTION;
        for (var it = b.prepared.entrySet().iterator(); excess > 0 && it.hasNext();) {
            var e = it.next();
            if (!e.getKey().equals(key) && !statements.cursorUses(b, e.getValue().id())) {
                it.remove();
                closeOnServer(b, e.getValue().id());
                excess--;
            }
        }
    }

    /** COM_STMT_CLOSE on the server; it has no response. */
    private static void closeOnServer(BackendConnection b, long serverStatementId) {
        ByteBuf close = b.channel().alloc().buffer(5);
        close.writeByte(Command.COM_STMT_CLOSE.code()).writeIntLE((int) serverStatementId);
        b.sendPackets(null, new Packet(0, close));
        b.flush();
    }
}
