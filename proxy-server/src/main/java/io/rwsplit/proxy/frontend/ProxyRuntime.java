package io.rwsplit.proxy.frontend;

import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.rwsplit.core.config.NodeConfig;
import io.rwsplit.core.flavor.Flavor;
import io.rwsplit.core.route.Router;
import io.rwsplit.core.sql.StatementClassifier;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.core.topology.NodeView;
import io.rwsplit.core.topology.TopologyMonitor;
import io.rwsplit.core.topology.Suspects;
import io.rwsplit.core.topology.TopologySnapshot;
import io.rwsplit.proxy.admin.ProxyMetrics;
import io.rwsplit.proxy.auth.Scramble;
import io.rwsplit.proxy.backend.BackendConnector;
import io.rwsplit.proxy.backend.NodePool;
import io.rwsplit.proxy.config.ProxyConfig;
import io.rwsplit.proxy.protocol.ErrPacket;
import io.rwsplit.proxy.protocol.ErrorCode;
import java.security.KeyPair;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every client session of one proxy shares: configuration, classifier, router, topology,
 * accounts, TLS and RSA keys, connection ids, the backend pools of each event loop, and the
 * registry of live sessions (for KILL). Created by {@link ProxyServer}; thread-safe.
 */
public final class ProxyRuntime {

    private static final Logger log = LoggerFactory.getLogger(ProxyRuntime.class);

    // replaced by a configuration reload (apply): a session reads them per login or statement
    volatile ProxyConfig config;
    final StatementClassifier classifier;
    volatile Router router;
    final TopologyMonitor monitor;
    volatile Accounts accounts;
    final SslContext clientTls;
    final KeyPair rsa;
    final Scramble scramble;
    final BackendConnector connector;
    volatile List<NodeId> nodes;
    final CausalReads causal;
    final AuthFailures authFailures;
    final ProxyMetrics metrics;
    /** How long a scrape waits for an event loop to report its pools. */
    private static final Duration POOL_READ_WAIT = Duration.ofMillis(250);

    final SwitchoverGate gate;
    private final PlannedSwitchover switchover;
    private final Map<EventLoop, LoopPools> pools = new IdentityHashMap<>();
    private final Suspects suspects;
    private final Map<Long, ClientSession> sessions = new ConcurrentHashMap<>();
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicInteger clients = new AtomicInteger();
    private volatile ServerIdentity identity;
    private volatile boolean closing;

    ProxyRuntime(ProxyConfig config, StatementClassifier classifier, Router router, TopologyMonitor monitor,
            Accounts accounts, SslContext clientTls, KeyPair rsa, Scramble scramble, BackendConnector connector) {
        this(config, classifier, router, monitor, accounts, clientTls, rsa, scramble, connector, System::nanoTime);
    }

    /** @param nanoTime the clock failed logins are timed with (tests move it by hand) */
    ProxyRuntime(ProxyConfig config, StatementClassifier classifier, Router router, TopologyMonitor monitor,
            Accounts accounts, SslContext clientTls, KeyPair rsa, Scramble scramble, BackendConnector connector,
            LongSupplier nanoTime) {
        this.config = config;
        this.authFailures = new AuthFailures(config.limits().authFailures(), nanoTime, AuthFailures.DEFAULT_CAPACITY);
        this.classifier = classifier;
        this.router = router;
        this.monitor = monitor;
        this.suspects = new Suspects(config.routing().monitor().failCount());
        this.accounts = accounts;
        this.clientTls = clientTls;
        this.rsa = rsa;
        this.scramble = scramble;
        this.connector = connector;
        this.nodes = config.routing().nodes().stream().map(NodeConfig::id).toList();
        this.identity = ServerIdentity.DEFAULT;
        this.causal = new CausalReads(config.routing().readYourWrites());
        this.metrics = new ProxyMetrics(nodes, new ProxyMetrics.Sources() {
            @Override
            public TopologySnapshot topology() {
                return ProxyRuntime.this.topology();
            }

            @Override
            public Map<NodeId, ProxyMetrics.PoolUsage> pools() {
                return poolUsage(POOL_READ_WAIT);
            }

            @Override
            public int sessions() {
                return sessions.size();
            }

            @Override
            public long failovers() {
                return monitor.promotions();
            }
        });
        this.gate = new SwitchoverGate(config.routing().switchover().holdTimeout());
        this.switchover = new PlannedSwitchover(this);
    }

    /**
     * Makes {@code target} (or the best candidate) the primary and the primary its replica, holding
     * statements for the primary meanwhile so that clients see a pause, not errors. Blocks the
     * caller until done; one at a time.
     */
    public SwitchoverOutcome switchover(java.util.Optional<String> target) {
        SwitchoverOutcome o = switchover.run(target);
        if (o instanceof SwitchoverOutcome.Switched) {
            metrics.switchedOver();
        }
        return o;
    }

    /** Whether statements for the primary are being held for a switchover now. */
    public boolean switchoverRunning() {
        return gate.closedFor() != null;
    }

    /**
     * Builds the shared parts; the monitor is created but not started.
     *
     * @param clientTls TLS towards clients, or {@code null}
     */
    public static ProxyRuntime create(ProxyConfig config, TopologyMonitor monitor, SslContext clientTls,
            BackendConnector connector) {
        io.rwsplit.core.config.RwsplitConfig r = config.routing();
        StatementClassifier classifier = new StatementClassifier(r.classifier());
        Router router = router(r);
        java.security.SecureRandom random = new java.security.SecureRandom();
        KeyPair rsa;
        try {
            java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
            g.initialize(2048, random);
            rsa = g.generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM cannot make RSA keys", e);
        }
        return new ProxyRuntime(config, classifier, router, monitor, new Accounts(config.users()), clientTls, rsa,
                new Scramble(random), connector);
    }

    private static Router router(io.rwsplit.core.config.RwsplitConfig r) {
        return new Router(io.rwsplit.core.route.RoutingPolicy.from(r), io.rwsplit.core.balance.LoadBalancers.create(
                r.balance(), java.util.random.RandomGenerator.of("L64X128MixRandom")));
    }

    /**
     * Gives every event loop pools for {@code added} nodes, and returns when they have them; a
     * reload calls it before the monitor publishes the nodes, so that no statement is routed to a
     * node its loop has no pool for.
     */
    public void addPools(List<NodeId> added) {
        if (added.isEmpty()) {
            return;
        }
        List<io.netty.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        int loops = pools.size();
        for (Map.Entry<EventLoop, LoopPools> e : pools.entrySet()) {
            done.add(e.getKey().submit(() -> added.forEach(n -> e.getValue().add(n, connector,
                    config.routing().pool(), loops))));
        }
        done.forEach(io.netty.util.concurrent.Future::syncUninterruptibly);
        added.forEach(metrics::addNode);
    }

    /**
     * Takes a reloaded configuration (after {@link ProxyServer}'s plan found nothing that needs a
     * restart, and after the monitor took the new node list): new logins see the new users, new
     * statements the new routing rules and limits; sessions already open carry on.
     */
    public void apply(ProxyConfig next) {
        accounts = new Accounts(next.users(), accounts);
        authFailures.limits(next.limits().authFailures());
        router = router(next.routing());
        nodes = next.routing().nodes().stream().map(NodeConfig::id).toList();
        config = next;
    }

    /** Gives {@code loop} its backend pools; call once per event loop before clients arrive. */
    public void addLoop(EventLoop loop, int loops) {
        pools.put(loop, new LoopPools(loop, nodes, connector, config.routing().pool(), loops));
    }

    /** The handler that runs a client connection, for the end of a client channel's pipeline. */
    public io.netty.channel.ChannelHandler frontendHandler() {
        return new FrontendHandler(this);
    }

    /**
     * Closes idle backend connections past their idle timeout or lifetime, and those to drained
     * nodes or to nodes a reload removed (given back by statements, transactions or pinned sessions
     * that were using them meanwhile); call on each loop now and then.
     */
    public void evictIdle(EventLoop loop) {
        LoopPools p = pools.get(loop);
        if (p != null) {
            p.all().forEach(NodePool::evictIdle);
            List<NodeId> configured = nodes;
            for (NodePool pool : p.all()) {
                if (!configured.contains(pool.node())) {
                    pool.closeIdle();
                }
            }
            for (NodeView n : monitor.current().nodes()) {
                if (n.draining()) {
                    p.pool(n.id()).closeIdle();
                }
            }
        }
    }

    /** What {@link #drain} did. */
    public enum DrainOutcome {
        DONE,
        NO_SUCH_NODE,
        /** The node is the primary: it cannot be drained (a switchover moves the primary). */
        PRIMARY
    }

    /**
     * Takes {@code node} out of the read rotation (or puts it back). Statements running there and
     * transactions held there finish normally; its idle pooled connections are closed. The flag
     * lives in the monitor, so topology updates keep it.
     */
    public DrainOutcome drain(String node, boolean on) {
        NodeView n = monitor.current().node(node).orElse(null);
        if (n == null) {
            return DrainOutcome.NO_SUCH_NODE;
        }
        if (on && n.role() == io.rwsplit.core.topology.Role.PRIMARY) {
            return DrainOutcome.PRIMARY;
        }
        monitor.setDraining(node, on);
        if (on) {
            for (EventLoop l : pools.keySet()) {
                l.execute(() -> closeIdle(l, n.id()));
            }
        }
        return DrainOutcome.DONE;
    }

    /**
     * Backend connections by node, summed over the event loops. Each loop counts its own pools (they
     * are confined to it); a loop that does not answer within {@code wait} is left out.
     */
    public Map<NodeId, ProxyMetrics.PoolUsage> poolUsage(Duration wait) {
        List<NodeId> nodes = this.nodes;
        List<io.netty.util.concurrent.Future<int[][]>> answers = new java.util.ArrayList<>();
        for (Map.Entry<EventLoop, LoopPools> e : pools.entrySet()) {
            LoopPools lp = e.getValue();
            answers.add(e.getKey().submit(() -> {
                int[][] counts = new int[nodes.size()][2];
                for (int i = 0; i < nodes.size(); i++) {
                    NodePool p = lp.pool(nodes.get(i));
                    counts[i][0] = p.total() - p.idle();
                    counts[i][1] = p.idle();
                }
                return counts;
            }));
        }
        int[][] sum = new int[nodes.size()][2];
        long deadline = System.nanoTime() + wait.toNanos();
        for (io.netty.util.concurrent.Future<int[][]> f : answers) {
            if (!f.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS)
                    || !f.isSuccess()) {
                continue;
            }
            int[][] c = f.getNow();
            for (int i = 0; i < sum.length; i++) {
                sum[i][0] += c[i][0];
                sum[i][1] += c[i][1];
            }
        }
        Map<NodeId, ProxyMetrics.PoolUsage> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            m.put(nodes.get(i), new ProxyMetrics.PoolUsage(sum[i][0], sum[i][1]));
        }
        return m;
    }

    /** The proxy's metrics. */
    public ProxyMetrics metrics() {
        return metrics;
    }

    /** The topology statements are routed by now (the monitor's, with nodes seen failing marked down). */
    public TopologySnapshot currentTopology() {
        return topology();
    }

    /** Says where a statement would go in a fresh session, against the live topology. */
    public io.rwsplit.core.route.Explainer explainer() {
        return new io.rwsplit.core.route.Explainer(classifier, router, this::topology);
    }

    /** What the proxy does when the primary fails. */
    public io.rwsplit.core.config.FailoverMode failoverMode() {
        return config.routing().failover();
    }

    /** Whether the proxy is shutting down (new clients are refused). */
    public boolean shuttingDown() {
        return closing;
    }

    /** Closes the idle connections to {@code node} on {@code loop} (it went down). */
    public void closeIdle(EventLoop loop, NodeId node) {
        LoopPools p = pools.get(loop);
        if (p != null) {
            p.pool(node).closeIdle();
        }
    }

    /**
     * Closes every connection to {@code node} on {@code loop}, borrowed ones too (it is no longer
     * the primary): a write in flight there fails now with an error that says so, instead of
     * hanging on a frozen server or committing on a fenced one after a new primary took over.
     */
    public void closeAll(EventLoop loop, NodeId node) {
        closeAll(loop, node, node.name() + " is no longer the primary (another server was promoted)");
    }

    /**
     * Closes every connection to {@code node} on {@code loop}, borrowed ones too: a statement in
     * flight there fails with {@code reason} (an autocommit read is then retried on another server).
     */
    public void closeAll(EventLoop loop, NodeId node, String reason) {
        LoopPools p = pools.get(loop);
        if (p != null) {
            p.pool(node).closeAll(io.rwsplit.proxy.backend.BackendException.lost(ErrorCode.SERVER_LOST, reason, null));
        }
    }

    /**
     * Closes every connection to {@code node} on every loop, borrowed ones too, and waits until it
     * is done: a switchover's old primary, once nothing runs there, so that no connection of its
     * primary days is used again.
     */
    void closeAllEverywhere(NodeId node, String why) {
        List<io.netty.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (Map.Entry<EventLoop, LoopPools> e : pools.entrySet()) {
            LoopPools p = e.getValue();
            done.add(e.getKey().submit(() -> p.pool(node).closeAll(io.rwsplit.proxy.backend.BackendException.lost(
                    ErrorCode.SERVER_LOST, why, null))));
        }
        done.forEach(f -> f.awaitUninterruptibly(5, java.util.concurrent.TimeUnit.SECONDS));
    }

    /**
     * Whether {@code node} is the primary a switchover of this proxy is replacing: its connections
     * were closed before the switch, and those opened once it is a replica must be left alone.
     */
    public boolean switchingOver(NodeId node) {
        return node.equals(gate.closedFor());
    }

    /** Closes the pools of {@code loop}; run on that loop. */
    public void closePools(EventLoop loop) {
        LoopPools p = pools.get(loop);
        if (p != null) {
            p.all().forEach(NodePool::close);
        }
    }

    /** From now on new clients are refused and sessions close once their running command is answered. */
    public void beginShutdown() {
        closing = true;
        for (ClientSession s : sessions.values()) {
            s.channel().eventLoop().execute(s::closeIfIdle);
        }
    }

    boolean closing() {
        return closing;
    }

    /** Client connections open now. */
    public int clientCount() {
        return clients.get();
    }

    /** Closes every client connection at once. */
    public void closeClients() {
        for (ClientSession s : sessions.values()) {
            s.channel().close();
        }
    }

    public TopologyMonitor monitor() {
        return monitor;
    }

    public void close() {
        classifier.close();
    }

    /** Sets what clients are told the server is, from a server the proxy logged in to. */
    public void identify(String serverVersion, long serverCapabilities) {
        learnIdentity(serverVersion, serverCapabilities);
    }

    /** The pool of {@code node} for sessions of {@code loop}. */
    NodePool pool(EventLoop loop, NodeId node) {
        return pools.get(loop).pool(node);
    }

    Iterable<LoopPools> loops() {
        return pools.values();
    }

    /**
     * The monitor's topology, with the nodes sessions saw fail treated as down until the monitor
     * can tell (see {@link Suspects}).
     */
    TopologySnapshot topology() {
        return suspects.apply(monitor.current(), monitor.passes());
    }

    /** A statement or connection attempt on {@code node} just failed for want of the server. */
    void suspect(NodeId node) {
        suspects.suspect(node, monitor.passes());
    }

    long nextConnectionId() {
        return connectionIds.incrementAndGet() & 0xFFFF_FFFFL;
    }

    /** Counts a new client; false (and nothing counted) when the proxy is full. */
    boolean admitClient() {
        for (;;) {
            int n = clients.get();
            if (n >= config.limits().maxConnections()) {
                return false;
            }
            if (clients.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /**
     * A client is being refused with {@code err} (sent by the caller, which then closes the
     * connection): the one place every refusal passes, at login, at COM_CHANGE_USER and at the
     * connection limit, so that logging and counting see them all.
     *
     * @param user the user name the client gave, or {@code null} when it gave none yet
     */
    void refused(Refusal reason, SocketAddress client, String user, ErrPacket err) {
        metrics.refused(reason);
        if (reason.quiet() ? log.isDebugEnabled() : log.isInfoEnabled()) {
            String address = client instanceof InetSocketAddress a ? (a.getAddress() == null ? a.getHostString()
                    : a.getAddress().getHostAddress()) + ":" + a.getPort() : String.valueOf(client);
            String line = "client refused: reason=" + reason.label() + " errno=" + err.errorCode() + " user="
                    + (user == null ? "-" : LogText.quoted(user)) + " address=" + address + " message="
                    + LogText.quoted(err.message());
            if (reason.quiet()) {
                log.debug(line);
            } else {
                log.info(line);
            }
        }
    }

    void clientGone() {
        clients.decrementAndGet();
    }

    int clients() {
        return clients.get();
    }

    void register(ClientSession s) {
        sessions.put(s.connectionId(), s);
    }

    void unregister(ClientSession s) {
        sessions.remove(s.connectionId(), s);
    }

    ClientSession session(long connectionId) {
        return sessions.get(connectionId);
    }

    Iterable<ClientSession> sessions() {
        return sessions.values();
    }

    /** What the proxy tells clients it is: learned from the first server it logs in to. */
    ServerIdentity identity() {
        return identity;
    }

    void learnIdentity(String serverVersion, long serverCapabilities) {
        if (identity == ServerIdentity.DEFAULT) {
            identity = ServerIdentity.of(serverVersion, serverCapabilities);
        }
    }

    Flavor flavor() {
        return identity.flavor();
    }
}
