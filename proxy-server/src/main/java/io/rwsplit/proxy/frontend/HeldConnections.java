package io.rwsplit.proxy.frontend;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.rwsplit.core.session.SessionState;
import io.rwsplit.core.session.Transaction;
import io.rwsplit.core.sql.Classification;
import io.rwsplit.core.sql.StatementKind;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.proxy.backend.BackendConnection;
import io.rwsplit.proxy.backend.BackendException;
import io.rwsplit.proxy.backend.NodePool;
import io.rwsplit.proxy.backend.ResponseTracker;
import io.rwsplit.proxy.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The backend connections one client session holds, at most one per node, and why: after a
 * statement the session keeps only the connections its state lives on (an open transaction, pins
 * such as temporary tables or locks, an open cursor) and the one the last statement used when the
 * next may ask about it (warnings, a write's {@code LAST_INSERT_ID()} and {@code ROW_COUNT()},
 * {@code FOUND_ROWS()}); the rest go back to their pools for other sessions. Confined to the
 * session's event loop.
 */
final class HeldConnections {

    private final ProxyRuntime runtime;
    private final EventLoop loop;
    private final SessionState state;
    private final PreparedStatements prepared;
    /** Changes with COM_CHANGE_USER. */
    private NodePool.Key poolKey;

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
    /** The session is gone: a connection that arrives now goes straight back. */
    private boolean closed;

    HeldConnections(ProxyRuntime runtime, EventLoop loop, SessionState state, PreparedStatements prepared,
            NodePool.Key poolKey) {
        this.runtime = runtime;
        this.loop = loop;
        this.state = state;
        this.prepared = prepared;
        this.poolKey = poolKey;
    }

    /** Whether the session's pins (temporary tables, locks, user variables) live on {@code node}. */
    boolean pinsOn(NodeId node) {
        return state.pinned() && node.equals(pinNode);
    }

    /** The pools' key for this session's connections (its profile and backend credentials). */
    NodePool.Key poolKey() {
        return poolKey;
    }

    void poolKey(NodePool.Key key) {
        this.poolKey = key;
    }

    /** A connection to {@code node}: the one the session holds there, or one from the pool. */
    Future<BackendConnection> connectionFor(NodeId node, boolean multiStatements) {
        BackendConnection c = held.get(node);
        if (c != null) {
            // a reply the proxy is still waiting for (a cursor's COM_STMT_RESET) is no reason to let go:
            // commands queue on the connection in order, and a transaction or pinned state lives only there
            if (c.usable()) {
                if (c.killPending()) {
                    // a KILL QUERY for the statement before may still reach the server: let it land first
                    Promise<BackendConnection> afterKill = loop.newPromise();
                    c.afterKill(() -> afterKill.trySuccess(c));
                    return afterKill;
                }
                return loop.newSucceededFuture(c);
            }
            held.remove(node);
            giveBack(c);
            if (state.transaction() != Transaction.NONE && node.equals(state.transactionNode())) {
                // never carry on a transaction on a fresh connection as if nothing happened
                state.observeServer(false, state.autocommit(), System.nanoTime());
                return loop.newFailedFuture(BackendException.lost(ErrorCode.TRANSACTION_LOST,
                        "lost the connection that ran this transaction; the server rolled it back", null));
            }
        }
        Promise<BackendConnection> p = loop.newPromise();
        runtime.pool(loop, node).acquire(poolKey, multiStatements).addListener(f -> {
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

    /** Returns {@code c} to its node's pool (which drops it if it is broken). */
    void giveBack(BackendConnection c) {
        runtime.pool(loop, c.node()).release(c);
    }

    /** A new command starts: nothing is known yet about what it counts. */
    void commandStarts() {
        countsFoundRows = false;
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

    /** A command's answer has been relayed from {@code used}: keep what the session needs, give back the rest. */
    void commandRan(Classification c, BackendConnection used, ResponseTracker t, boolean statement) {
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
        releaseUnneeded();
    }

    /** Gives back every held connection the session's state does not need. */
    void releaseUnneeded() {
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

    /** The session's state is thrown away (reset, change of user): the connections carrying it are dropped. */
    void dropAll() {
        for (BackendConnection c : held.values()) {
            c.markBroken();
        }
        for (BackendConnection c : held.values()) {
            giveBack(c);
        }
        held.clear();
        keptForNext = null;
        pinNode = null;
    }

    /**
     * The client is gone or leaving: give everything back, and what arrives later too. Connections
     * carrying its state, or still busy with its statement, are dropped.
     */
    void close() {
        closed = true;
        boolean dirty = state.transaction() != Transaction.NONE || state.pinned() || prepared.hasAnyCursor();
        for (BackendConnection c : held.values()) {
            if (dirty || c.busy()) {
                c.markBroken();
            }
            giveBack(c);
        }
        held.clear();
        keptForNext = null;
    }
}
