package io.rwsplit.proxy.backend;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.proxy.protocol.ErrorCode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The backend connections to one node that belong to one event loop. Everything happens on that
 * loop, so there are no locks: sessions of the loop borrow and return connections, and a
 * connection never crosses to another loop.
 *
 * <p>Idle connections are kept per {@link Key} (client profile and backend account) and handed
 * out most recently used first, so a quiet period lets the older ones age out. A borrower finds
 * an idle connection of its key, else opens one while the pool is below its size, else waits in
 * line for up to the acquire timeout and then fails with a clear error. A returned connection
 * goes to the first waiter of its key; if only waiters of other keys are in line, it is closed so
 * that one of theirs can be opened in its place.
 */
public final class NodePool {

    /** What makes backend connections interchangeable. */
    public record Key(BackendProfile profile, BackendCredentials credentials) {
    }

    private record Waiter(Key key, boolean multiStatements, Promise<BackendConnection> promise,
            ScheduledFuture<?> timeout) {
    }

    private final NodeId node;
    private final EventLoop loop;
    private final BackendConnector connector;
    private final int maxSize;
    private final int minIdle;
    private final Duration acquireTimeout;
    private final Duration idleTimeout;
    private final Duration maxLifetime;
    private final Map<Key, ArrayDeque<BackendConnection>> idle = new HashMap<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** Every counted connection, idle or borrowed, so a demoted primary's can all be closed. */
    private final Set<BackendConnection> counted = Collections.newSetFromMap(new IdentityHashMap<>());
    private int total;
    private int idleCount;
    private boolean closed;

    public NodePool(NodeId node, EventLoop loop, BackendConnector connector, int maxSize, int minIdle,
            Duration acquireTimeout, Duration idleTimeout, Duration maxLifetime) {
        this.node = node;
        this.loop = loop;
        this.connector = connector;
        this.maxSize = Math.max(1, maxSize);
        this.minIdle = minIdle;
        this.acquireTimeout = acquireTimeout;
        this.idleTimeout = idleTimeout;
        this.maxLifetime = maxLifetime;
    }

    public NodeId node() {
        return node;
    }

    /** A logged-in connection for {@code key}, now or when one comes free; completes on the pool's loop. */
    public Future<BackendConnection> acquire(Key key, boolean multiStatements) {
        Promise<BackendConnection> promise = loop.newPromise();
        if (closed) {
            promise.setFailure(BackendException.lost(ErrorCode.SHUTDOWN, "the proxy is shutting down", null));
            return promise;
        }
        BackendConnection c = takeIdle(key);
        if (c != null) {
            promise.setSuccess(c);
            return promise;
        }
        if (total < maxSize) {
            open(key, multiStatements, promise);
            return promise;
        }
        ScheduledFuture<?> timeout = loop.schedule(() -> expire(promise), acquireTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
        waiters.add(new Waiter(key, multiStatements, promise, timeout));
        return promise;
    }

    private BackendConnection takeIdle(Key key) {
        ArrayDeque<BackendConnection> list = idle.get(key);
        if (list == null) {
            return null;
        }
        BackendConnection c;
        while ((c = list.pollFirst()) != null) {
            idleCount--;
            if (c.usable() && !c.busy()) {
                return c;
            }
            discard(c);
        }
        return null;
    }

    private void open(Key key, boolean multiStatements, Promise<BackendConnection> promise) {
        total++;
        connector.connect(loop, node, key.profile(), key.credentials(), multiStatements).addListener(f -> {
            if (f.isSuccess()) {
                BackendConnection c = (BackendConnection) f.getNow();
                c.poolKey = key;
                c.counted = true;
                counted.add(c);
                c.onClose(() -> closedUnderUs(c));
                if (closed || !promise.trySuccess(c)) {
                    // the borrower gave up (timeout, client gone): keep it for the next one
                    release(c);
                }
            } else {
                total--;
                promise.tryFailure(f.cause());
                serveWaiter();
            }
        });
    }

    /** Gives a connection back. Broken, busy, old ones and those about to be killed are closed instead of reused. */
    public void release(BackendConnection c) {
        if (c.broken() || c.busy() || c.killPending() || closed || tooOld(c)) {
            discard(c);
            serveWaiter();
            return;
        }
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext();) {
            Waiter w = it.next();
            if (w.key.equals(keyOf(c))) {
                it.remove();
                w.timeout.cancel(false);
                if (w.promise.trySuccess(c)) {
                    return;
                }
            }
        }
        if (!waiters.isEmpty()) {
            // only borrowers of other kinds are waiting: make room for one of theirs
            discard(c);
            serveWaiter();
            return;
        }
        c.idleSinceNanos = System.nanoTime();
        idle.computeIfAbsent(keyOf(c), k -> new ArrayDeque<>()).addFirst(c);
        idleCount++;
    }

    private static Key keyOf(BackendConnection c) {
        return c.poolKey;
    }

    private void serveWaiter() {
        while (!waiters.isEmpty() && total < maxSize) {
            Waiter w = waiters.poll();
            w.timeout.cancel(false);
            if (!w.promise.isDone()) {
                open(w.key, w.multiStatements, w.promise);
            }
        }
    }

    private void expire(Promise<BackendConnection> promise) {
        waiters.removeIf(w -> w.promise == promise);
        promise.tryFailure(BackendException.lost(ErrorCode.POOL_EXHAUSTED, "all " + maxSize + " connections to "
                + node.name() + " on this proxy thread are busy and none came free within the pool's acquireTimeout ("
                + acquireTimeout.toMillis() + " ms); raise pool.maxSize or lower the load", null));
    }

    private boolean tooOld(BackendConnection c) {
        return System.nanoTime() - c.createdNanos > maxLifetime.toNanos();
    }

    private void discard(BackendConnection c) {
        if (c.counted) {
            c.counted = false;
            counted.remove(c);
            total--;
        }
        c.close();
    }

    /** A connection closed by the server or the network while idle or in use. */
    private void closedUnderUs(BackendConnection c) {
        ArrayDeque<BackendConnection> list = idle.get(keyOf(c));
        if (list != null && list.remove(c)) {
            idleCount--;
        }
        if (c.counted) {
            c.counted = false;
            counted.remove(c);
            total--;
            serveWaiter();
        }
    }

    /** Closes idle connections past the idle timeout (above minIdle) or the maximum lifetime. */
    public void evictIdle() {
        long now = System.nanoTime();
        for (ArrayDeque<BackendConnection> list : idle.values()) {
            for (Iterator<BackendConnection> it = list.descendingIterator(); it.hasNext();) {
                BackendConnection c = it.next();
                boolean idleTooLong = now - c.idleSinceNanos > idleTimeout.toNanos() && idleCount > minIdle;
                if (idleTooLong || tooOld(c) || !c.usable()) {
                    it.remove();
                    idleCount--;
                    discard(c);
                }
            }
        }
    }

    /** Closes the idle connections (a node that went down); borrowed ones fail on their own. */
    public void closeIdle() {
        for (ArrayDeque<BackendConnection> list : idle.values()) {
            BackendConnection c;
            while ((c = list.pollFirst()) != null) {
                idleCount--;
                discard(c);
            }
        }
    }

    /**
     * Closes every connection, borrowed ones too: the node stopped being the primary (a failover),
     * and nothing may still be written or committed there through this proxy. A statement in
     * flight on one fails with {@code cause}; a session holding one finds it gone at its next
     * statement.
     */
    public void closeAll(BackendException cause) {
        closeIdle();
        for (BackendConnection c : new ArrayList<>(counted)) {
            c.abort(cause);
        }
    }

    /** Closes everything and fails the waiters. */
    public void close() {
        closed = true;
        closeIdle();
        Waiter w;
        while ((w = waiters.poll()) != null) {
            w.timeout.cancel(false);
            w.promise.tryFailure(BackendException.lost(ErrorCode.SHUTDOWN, "the proxy is shutting down", null));
        }
    }

    public int total() {
        return total;
    }

    public int idle() {
        return idleCount;
    }

    public int waiting() {
        return waiters.size();
    }
}
