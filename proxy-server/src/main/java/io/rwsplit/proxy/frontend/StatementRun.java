package io.rwsplit.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.Future;
import io.rwsplit.core.route.RouteDecision;
import io.rwsplit.core.session.SessionState;
import io.rwsplit.core.session.Transaction;
import io.rwsplit.core.sql.Classification;
import io.rwsplit.core.sql.SessionEffects;
import io.rwsplit.core.sql.StatementKind;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.core.topology.NodeView;
import io.rwsplit.proxy.admin.ProxyMetrics;
import io.rwsplit.proxy.backend.BackendConnection;
import io.rwsplit.proxy.backend.BackendException;
import io.rwsplit.proxy.backend.ResponseTracker;
import io.rwsplit.proxy.backend.SessionSync;
import io.rwsplit.proxy.codec.Messages;
import io.rwsplit.proxy.protocol.ErrPacket;
import io.rwsplit.proxy.protocol.ErrorCode;
import io.rwsplit.proxy.protocol.ServerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client command that runs on a server: route it, get a backend connection for the chosen
 * node, bring the connection to the session's state, send the command and relay the answer.
 *
 * <p>An autocommit read whose server cannot be reached, or whose connection breaks before any of
 * the answer reached the client, is routed again once, without that node: the client never sees
 * the failure. Anything that may have written is never sent twice; the client gets an error
 * saying what happened instead.
 */
final class StatementRun implements Relay.Listener {

    private static final Logger log = LoggerFactory.getLogger(StatementRun.class);

    private final ClientSession session;
    private final Classification classification;
    private final ByteBuf message;
    private final ResponseTracker.Shape shape;
    private final Hooks hooks;
    private boolean retried;
    private NodeView node;
    /** Causal reads: what the replica must have applied before the statement runs there. */
    private RouteDecision.CausalWait wait;
    /** Where the statement runs instead of where the router would send it (a causal wait timed out). */
    private NodeView instead;
    private long started;

    /** What a command kind adds around the run (prepared statements rewrite the packet per backend). */
    interface Hooks {
        /** The packet payload to send on {@code c}; called once per attempt; the result is released by the run. */
        default ByteBuf payloadFor(BackendConnection c, ByteBuf message) {
            return message.retainedDuplicate();
        }

        /** Work on {@code c} before the command (e.g. prepare the statement there); completes when done. */
        default Future<Void> before(BackendConnection c) {
            return c.eventLoop().newSucceededFuture(null);
        }

        /** The response ended; {@code tracker} says how. */
        default void after(BackendConnection c, ResponseTracker tracker) {
        }

        /** Changes a packet of the response before it is relayed. */
        default Relay.Patcher patcher() {
            return Relay.NONE;
        }

        /** Whether the command's outcome counts as a statement of the session (a prepare does not). */
        default boolean affectsSession() {
            return true;
        }
    }

    static final Hooks PLAIN = new Hooks() {
    };

    /**
     * @param message the command's payload, command byte first; the run takes the reference
     */
    StatementRun(ClientSession session, Classification classification, ByteBuf message, ResponseTracker.Shape shape,
            Hooks hooks) {
        this.session = session;
        this.classification = classification;
        this.message = message;
        this.shape = shape;
        this.hooks = hooks;
    }

    void start() {
        if (instead != null) {
            node = instead;
            wait = null;
        } else {
            RouteDecision d = session.route(classification);
            if (d.failed()) {
                finish(ErrorCode.packet(d.error()));
                return;
            }
            node = d.node();
            wait = d.causalWait();
            session.runtime().metrics.routed(node.id(), d.cause());
        }
        SwitchoverGate gate = session.runtime().gate;
        if (gate.mustHold(session, node.id())) {
            // routed again when let go: by then another node is the primary
            instead = null;
            gate.hold(session, this::start, () -> finish(ErrorCode.SWITCHOVER_TIMEOUT.packet("the primary "
                    + node.name() + " is being switched over and the statement waited " + gate.holdTimeout().toMillis()
                    + " ms (switchover.holdTimeout) without running; it did not run, retry it")));
            return;
        }
        session.runningOn(node.id());
        session.connectionFor(node.id()).addListener(f -> {
            if (!f.isSuccess()) {
                unavailable((BackendException) f.cause());
                return;
            }
            BackendConnection c = (BackendConnection) f.getNow();
            SessionState s = session.state();
            SessionEffects e = classification.effects();
            boolean startsTransaction = classification.kind() == StatementKind.BEGIN
                    || e.transaction() == SessionEffects.TransactionChange.BEGIN
                    || s.transaction() != Transaction.NONE && s.transactionNode() == null;
            SessionSync.apply(c, s, session, session.multiStatements(), startsTransaction, e.variables())
                    .addListener(g -> {
                        if (!g.isSuccess()) {
                            BackendException b = (BackendException) g.cause();
                            session.lost(c);
                            if (b.connectionLost()) {
                                unavailable(b);
                            } else {
                                finish(b.packet());
                            }
                            return;
                        }
                        if (wait == null) {
                            prepareThenSend(c);
                        } else {
                            awaitThenSend(c);
                        }
                    });
        });
    }

    /** The command's own preparation (a prepared statement's prepare and long data) on {@code c}, then the command. */
    private void prepareThenSend(BackendConnection c) {
        hooks.before(c).addListener(h -> {
            if (!h.isSuccess()) {
                BackendException b = (BackendException) h.cause();
                if (b.connectionLost()) {
                    session.lost(c);
                    unavailable(b);
                } else {
                    finish(b.packet());
                }
                return;
            }
            send(c);
        });
    }

    /**
     * The replica runs the statement once it has the session's last write; else the primary does.
     * The wait comes before the command's preparation, so that nothing of it (long data) is left
     * on a replica the statement then does not run on.
     */
    private void awaitThenSend(BackendConnection c) {
        RouteDecision.CausalWait w = wait;
        CausalReads.await(c, w).addListener(f -> {
            if (Boolean.TRUE.equals(f.getNow())) {
                prepareThenSend(c);
                return;
            }
            if (c.broken() || !c.usable()) {
                session.lost(c);
            }
            instead = w.fallback();
            start();
        });
    }

    private void send(BackendConnection c) {
        if (!session.canRetry()) {
            // the client left while the connection was being prepared: the session gave it back already
            message.release();
            return;
        }
        ByteBuf payload;
        try {
            payload = hooks.payloadFor(c, message);
        } catch (RuntimeException e) {
            // thrown inside a future's listener it would be logged there and the client left waiting
            log.warn("session {}: could not build the command for {}", session.connectionId(), node.name(), e);
            finish(ErrorCode.INTERNAL.packet("internal error in the proxy (its log has the details)"));
            return;
        }
        Relay relay = new Relay(session.channel(), c, new ResponseTracker(shape, c.deprecateEof()), this,
                hooks.patcher());
        session.relaying(relay);
        started = System.nanoTime();
        node.stats().begin();
        c.sendPackets(relay, Messages.split(payload, 0).toArray(new io.rwsplit.proxy.codec.Packet[0]));
        c.flush();
    }

    @Override
    public void relayed(Relay relay) {
        long now = System.nanoTime();
        node.stats().end(now - started);
        session.relaying(null);
        ResponseTracker t = relay.tracker();
        ProxyMetrics metrics = session.runtime().metrics;
        metrics.statementTime(node.id(), now - started);
        if (t.error()) {
            metrics.error(t.errorCode());
        }
        BackendConnection c = relay.backend();
        SessionState s = session.state();
        NodeId id = node.id();
        if (!hooks.affectsSession()) {
            // nothing to record
        } else if (t.error()) {
            s.failed(classification, id);
        } else {
            s.succeeded(classification, id, now);
            SessionSync.ran(c, classification.effects().variables(), classification.effects().schema(),
                    t.statusFlags(), s, session);
            s.observeServer(ServerStatus.has(t.statusFlags(), ServerStatus.IN_TRANS),
                    ServerStatus.has(t.statusFlags(), ServerStatus.AUTOCOMMIT), now);
        }
        hooks.after(c, t);
        message.release();
        if (hooks.affectsSession() && !t.error() && session.runtime().causal.mustLearn(classification, s)) {
            // the client has its answer; its next read waits for the position, not the other way round
            session.channel().flush();
            session.runtime().causal.learn(c, s).addListener(
                    f -> session.statementDone(classification, c, t, hooks.affectsSession()));
            return;
        }
        session.statementDone(classification, c, t, hooks.affectsSession());
    }

    @Override
    public void uploadRequested(Relay relay) {
        session.startUpload(relay.backend());
    }

    @Override
    public void relayFailed(Relay relay, BackendException cause, boolean started) {
        long elapsed = System.nanoTime() - this.started;
        node.stats().end(elapsed);
        session.runtime().metrics.statementTime(node.id(), elapsed);
        session.relaying(null);
        session.lost(relay.backend());
        if (cause.connectionLost()) {
            session.runtime().suspect(node.id());
        }
        if (started) {
            // part of a response is with the client: nothing sensible can follow it
            message.release();
            session.closeClient("lost the connection to " + node.name() + " in the middle of a response");
            return;
        }
        if (canRetry()) {
            retried = true;
            instead = null;
            start();
            return;
        }
        SessionState s = session.state();
        if (s.transaction() != Transaction.NONE && node.id().equals(s.transactionNode())) {
            s.observeServer(false, s.autocommit(), System.nanoTime());
            finish(ErrorCode.TRANSACTION_LOST.packet("lost the connection to " + node.name()
                    + " during the transaction; the server rolled it back: " + cause.getMessage()));
            return;
        }
        finish(ErrorCode.SERVER_LOST.packet("lost the connection to " + node.name() + " during the statement, which "
                + "may or may not have run there: " + cause.getMessage()));
    }

    private void unavailable(BackendException cause) {
        if (cause.connectionLost() && cause.errno() == ErrorCode.CANNOT_CONNECT.errno()) {
            session.runtime().suspect(node.id());
        }
        if (cause.errno() == ErrorCode.CANNOT_CONNECT.errno() && canRetry()) {
            retried = true;
            instead = null;
            start();
            return;
        }
        finish(cause.packet());
    }

    /** An autocommit read that has not been retried yet may run elsewhere. */
    private boolean canRetry() {
        SessionState s = session.state();
        return !retried && classification.kind() == StatementKind.READ && s.transaction() == Transaction.NONE
                && !s.pinned() && session.canRetry();
    }

    private void finish(ErrPacket error) {
        message.release();
        session.fail(error);
    }
}
