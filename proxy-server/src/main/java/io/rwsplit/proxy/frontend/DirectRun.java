package io.rwsplit.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.rwsplit.core.sql.Classification;
import io.rwsplit.core.sql.Hint;
import io.rwsplit.core.sql.SessionEffects;
import io.rwsplit.core.sql.StatementKind;
import io.rwsplit.proxy.backend.BackendConnection;
import io.rwsplit.proxy.backend.BackendException;
import io.rwsplit.proxy.backend.ResponseTracker;
import io.rwsplit.proxy.codec.Packet;
import io.rwsplit.proxy.protocol.ErrorCode;

/**
 * A command that must run on one particular backend connection, without routing: fetching rows
 * of a cursor that lives there.
 */
final class DirectRun implements Relay.Listener {

    private static final Classification FETCH = new Classification(StatementKind.READ, "fetch from a cursor",
            SessionEffects.NONE, Hint.NONE, Classification.DecidedBy.FAST_PATH);

    private final ClientSession session;
    private final BackendConnection backend;
    private final ByteBuf payload;
    private final ResponseTracker.Shape shape;

    /** @param payload the command to send as it is; the run takes the reference */
    DirectRun(ClientSession session, BackendConnection backend, ByteBuf payload, ResponseTracker.Shape shape) {
        this.session = session;
        this.backend = backend;
        this.payload = payload;
        this.shape = shape;
    }

    void start() {
        Relay relay = new Relay(session.channel(), backend, new ResponseTracker(shape, backend.deprecateEof()), this,
                Relay.NONE);
        session.relaying(relay);
        backend.sendPackets(relay, new Packet(0, payload));
        backend.flush();
    }

    @Override
    public void relayed(Relay relay) {
        session.relaying(null);
        session.statementDone(FETCH, backend, relay.tracker(), false);
    }

    @Override
    public void uploadRequested(Relay relay) {
        relayFailed(relay, BackendException.lost(ErrorCode.SERVER_LOST, "unexpected LOCAL INFILE request", null),
                true);
    }

    @Override
    public void relayFailed(Relay relay, BackendException cause, boolean started) {
        session.relaying(null);
        session.lost(backend);
        if (started) {
            session.closeClient("lost the connection to " + backend.node().name() + " in the middle of a response");
            return;
        }
        session.fail(ErrorCode.SERVER_LOST.packet("lost the connection to " + backend.node().name() + ": "
                + cause.getMessage()));
    }
}
