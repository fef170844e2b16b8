package io.rwsplit.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.Promise;
import io.rwsplit.proxy.backend.BackendConnection;
import io.rwsplit.proxy.backend.BackendException;
import io.rwsplit.proxy.backend.Response;
import io.rwsplit.proxy.backend.ResponseTracker;
import io.rwsplit.proxy.protocol.ErrorCode;

/**
 * KILL of a proxy connection id, as COM_PROCESS_KILL or as a statement: the client's own, or
 * another of the same user's (as a server lets a user kill its own threads). KILL QUERY stops the
 * statement that connection is running on its server and leaves the connection open; the server
 * never sees the client's KILL, whose id is the proxy's, but a {@code KILL QUERY} of the backend
 * connection's thread, sent on another connection to the same server.
 */
final class KillCommand {

    private final ClientSession session;

    KillCommand(ClientSession session) {
        this.session = session;
    }

    /** The KILL statement. */
    void run(KillStatement kill) {
        if (!kill.supported()) {
            session.fail(ErrorCode.NOT_SUPPORTED.packet("'" + kill.text() + "' is not supported by the rwsplit proxy, "
                    + "which takes KILL [CONNECTION | QUERY] <id> with the connection id the proxy gave"));
            return;
        }
        kill(kill.id(), kill.queryOnly());
    }

    /** COM_PROCESS_KILL. */
    void run(ByteBuf message) {
        long id = message.readableBytes() >= 5 ? message.getUnsignedIntLE(message.readerIndex() + 1) : -1;
        message.release();
        kill(id, false);
    }

    private void kill(long id, boolean queryOnly) {
        if (id == session.connectionId() && queryOnly) {
            // this connection runs nothing but this KILL
            session.writeOk(0, 0, 0);
            session.commandDone();
            return;
        }
        if (id == session.connectionId()) {
            session.writeOk(0, 0, 0);
            session.channel().flush();
            session.close();
            session.channel().close();
            return;
        }
        ClientSession other = session.runtime().session(id);
        if (other == null || other.account() != session.account()) {
            session.fail(ErrorCode.NO_SUCH_THREAD.packet("Unknown thread id: " + id));
            return;
        }
        if (queryOnly) {
            Promise<Void> done = session.channel().eventLoop().newPromise();
            other.channel().eventLoop().execute(() -> other.kill().cancelStatement(done));
            done.addListener(f -> {
                if (session.closed()) {
                    return;
                }
                if (f.isSuccess()) {
                    session.writeOk(0, 0, 0);
                    session.commandDone();
                } else {
                    session.fail(((BackendException) f.cause()).packet());
                }
            });
            return;
        }
        Promise<Void> gone = session.channel().eventLoop().newPromise();
        other.channel().eventLoop().execute(() -> {
            // as a server's KILL does, stop the statement it is running too: closing the connection
            // alone would leave the server to finish it
            Promise<Void> stopped = other.channel().eventLoop().newPromise();
            other.kill().cancelStatement(stopped);
            stopped.addListener(f -> {
                other.close();
                other.channel().close().addListener(c -> gone.trySuccess(null));
            });
        });
        // answered once the other connection is closed, as a server answers KILL
        gone.addListener(f -> {
            if (!session.closed()) {
                session.writeOk(0, 0, 0);
                session.commandDone();
            }
        });
    }

    /**
     * Interrupts the statement this session is running on a server, if any, with {@code KILL QUERY}
     * on another connection to that server; completes {@code done} (from any thread) when the
     * server has answered. Runs on this session's event loop.
     */
    void cancelStatement(Promise<Void> done) {
        Relay r = session.relaying();
        if (r == null || session.closed()) {
            done.trySuccess(null);
            return;
        }
        HeldConnections connections = session.connections();
        BackendConnection target = r.backend();
        target.killPending(true);
        long thread = target.threadId();
        session.runtime().pool(session.channel().eventLoop(), target.node()).acquire(connections.poolKey(), false)
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        target.killPending(false);
                        done.tryFailure(f.cause());
                        return;
                    }
                    BackendConnection killer = (BackendConnection) f.getNow();
                    killer.query("KILL QUERY " + thread).addListener(g -> {
                        target.killPending(false);
                        connections.giveBack(killer);
                        if (!g.isSuccess()) {
                            done.tryFailure(g.cause());
                            return;
                        }
                        Response answer = (Response) g.getNow();
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
}
