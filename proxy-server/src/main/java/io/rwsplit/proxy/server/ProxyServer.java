package io.rwsplit.proxy.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.netty.util.concurrent.EventExecutor;
import io.rwsplit.core.config.MonitorConfig;
import io.rwsplit.core.failover.FailoverSettings;
import io.rwsplit.core.topology.JdbcProbeConnector;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.core.topology.NodeView;
import io.rwsplit.core.topology.Role;
import io.rwsplit.core.topology.TopologyMonitor;
import io.rwsplit.core.topology.TopologySnapshot;
import io.rwsplit.proxy.admin.AdminServer;
import io.rwsplit.proxy.backend.BackendConnection;
import io.rwsplit.proxy.backend.BackendConnector;
import io.rwsplit.proxy.backend.BackendCredentials;
import io.rwsplit.proxy.backend.BackendProfile;
import io.rwsplit.proxy.codec.PacketDecoder;
import io.rwsplit.proxy.codec.PacketEncoder;
import io.rwsplit.proxy.config.BackendConfig;
import io.rwsplit.proxy.config.ClientTlsConfig;
import io.rwsplit.proxy.config.ProxyConfig;
import io.rwsplit.proxy.config.UserConfig;
import io.rwsplit.proxy.frontend.ProxyRuntime;
import io.rwsplit.proxy.frontend.SwitchoverOutcome;
import io.rwsplit.proxy.protocol.Capabilities;
import io.rwsplit.proxy.protocol.CharacterSets;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running proxy: the client listener, the topology monitor and the backend pools.
 *
 * <p>Threads: one acceptor, and {@code limits.workerThreads} event loops (one per CPU by default)
 * that each run their clients and those clients' backend connections, so a statement crosses no
 * thread from the client's socket to the server's and back. The monitor has its own threads.
 */
public final class ProxyServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);
    private static final PacketEncoder ENCODER = new PacketEncoder();

    private volatile ProxyConfig config;
    private final ConfigSource source;
    private final ProxyRuntime runtime;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel listener;
    private volatile AdminServer admin;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile boolean stopping;

    private ProxyServer(ProxyConfig config, ConfigSource source, ProxyRuntime runtime, EventLoopGroup boss,
            EventLoopGroup workers, Channel listener) {
        this.config = config;
        this.source = source;
        this.runtime = runtime;
        this.boss = boss;
        this.workers = workers;
        this.listener = listener;
    }

    /**
     * Binds the listener and starts the monitor and pools.
     *
     * @throws ProxyStartException when it cannot start (port in use, unreadable TLS files...), with
     *                             a message for the operator
     */
    public static ProxyServer start(ProxyConfig config) {
        return start(config, null);
    }

    /**
     * Like {@link #start(ProxyConfig)}, with where {@link #reload()} reads the configuration from.
     *
     * @param source the config file's loader, or {@code null}: then a reload is refused
     */
    public static ProxyServer start(ProxyConfig config, ConfigSource source) {
        SslContext clientTls = clientTls(config.tls());
        SslContext backendTls = backendTls(config.backend());
        int threads = config.limits().workerThreads() > 0 ? config.limits().workerThreads()
                : Runtime.getRuntime().availableProcessors();
        SocketTransport transport = SocketTransport.choose(config.listen().transport());
        BackendConnector connector = new BackendConnector(transport.channel(), backendTls,
                config.backend().tls().required(), config.backend().connectTimeout());
        MonitorConfig m = config.routing().monitor();
        UserConfig first = config.users().get(0);
        String monitorUser = m.user() != null ? m.user() : first.backendUser();
        String monitorPassword = m.user() != null ? m.password() : first.backendPassword();
        ProxyRuntime[] holder = new ProxyRuntime[1];
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(threads, transport.ioHandlers().get());
        FailoverSettings failover = FailoverSettings.from(config.routing(), monitorUser, monitorPassword);
        TopologyMonitor monitor = new TopologyMonitor(config.routing().nodes(), m, config.routing().failover(),
                failover, new JdbcProbeConnector(monitorUser, monitorPassword, m.connectTimeout(), m.readTimeout(),
                        MonitorTls.properties(config.backend())), (before, after) -> {
                    ProxyRuntime r = holder[0];
                    if (r != null) {
                        nodesDown(r, workers, before, after);
                    }
                });
        ProxyRuntime runtime = ProxyRuntime.create(config, monitor, clientTls, connector);
        holder[0] = runtime;
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor e : workers) {
            loops.add((EventLoop) e);
        }
        for (EventLoop l : loops) {
            runtime.addLoop(l, loops.size());
            l.scheduleWithFixedDelay(() -> runtime.evictIdle(l), 5, 5, TimeUnit.SECONDS);
        }
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, transport.ioHandlers().get());
        try {
            TopologySnapshot first0 = monitor.start();
            identify(runtime, connector, loops.get(0), first0, first, config.backend().connectTimeout());
            ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024,
                            1024 * 1024))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast("frames", new PacketDecoder()).addLast("packets", ENCODER)
                                    .addLast("session", runtime.frontendHandler());
                        }
                    });
            Channel listener;
            try {
                listener = b.bind(config.listen().address(), config.listen().port()).syncUninterruptibly().channel();
            } catch (Exception e) {
                // syncUninterruptibly rethrows the bind's java.net.BindException, a checked exception, unchecked
                throw new ProxyStartException("cannot listen on " + config.listen().address() + ":"
                        + config.listen().port() + ": " + e.getMessage(), e);
            }
            ProxyServer server = new ProxyServer(config, source, runtime, boss, workers, listener);
            log.info("rwsplit proxy listening on {} ({} worker threads on {}, {} nodes, primary {})",
                    listener.localAddress(), threads, transport.name(), config.routing().nodes().size(),
                    first0.primary().map(NodeView::name).orElse("not found yet"));
            if (config.admin().enabled()) {
                try {
                    server.admin = AdminServer.start(config.admin(), runtime,
                            () -> listener.isActive() && !server.stopping, () -> server.reload().toAdmin());
                } catch (IllegalStateException e) {
                    listener.close().syncUninterruptibly();
                    throw new ProxyStartException("admin listener: " + e.getMessage(), e);
                }
                log.info("rwsplit admin listening on http://{}/ (status page, metrics, health, topology; "
                        + "changes {})", hostPort(server.admin.address()), config.admin().token() == null
                                ? "off: no admin token set" : "need the admin token");
            }
            return server;
        } catch (RuntimeException e) {
            monitor.close();
            runtime.close();
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e instanceof ProxyStartException p ? p : new ProxyStartException("cannot start: " + e.getMessage(), e);
        }
    }

    /** Learns the servers' version and capabilities from a first login, so the greeting looks like them. */
    private static void identify(ProxyRuntime runtime, BackendConnector connector, EventLoop loop,
            TopologySnapshot topology, UserConfig user, Duration timeout) {
        List<NodeView> order = new ArrayList<>();
        topology.primary().ifPresent(order::add);
        topology.nodes().stream().filter(n -> !order.contains(n)).forEach(order::add);
        BackendProfile profile = BackendProfile.of(Capabilities.CLIENT_DEPRECATE_EOF, CharacterSets.UTF8MB4_GENERAL_CI);
        for (NodeView n : order) {
            try {
                BackendConnection c = connector.connect(loop, n.id(), profile, new BackendCredentials(
                        user.backendUser(), user.backendPassword()), false).get(timeout.toMillis() + 500,
                        TimeUnit.MILLISECONDS);
                runtime.identify(c.serverVersion(), c.serverCapabilities());
                loop.execute(c::close);
                return;
            } catch (Exception e) {
                log.warn("could not log in to {} ({}): {}", n.name(), n.id().address(), rootMessage(e));
            }
        }
        log.warn("no server could be reached at start; clients are greeted as a MySQL 8.0 server until one is");
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /**
     * Reads the configuration again from the source the proxy was started with and applies it
     * (see {@link #reload(ProxyConfig)}). A file with an error changes nothing.
     */
    public synchronized ReloadResult reload() {
        if (source == null) {
            return ReloadResult.refused("this proxy was started without a config file, so there is nothing to "
                    + "reload from");
        }
        ProxyConfig next;
        try {
            next = source.load();
        } catch (io.rwsplit.core.config.ConfigException e) {
            return ReloadResult.refused("the config file has an error, nothing changed: " + e.getMessage());
        } catch (RuntimeException e) {
            return ReloadResult.refused("cannot read the config file, nothing changed: " + e.getMessage());
        }
        return reload(next);
    }

    /**
     * Applies {@code next} without dropping a session: users (new logins), limits, the node list
     * (nodes added, removed, re-weighted) and the routing rules (new statements). Keys bound to
     * sockets, threads or state built at start ({@link ReloadPlan}) cannot change this way: if
     * any did, nothing is applied and the answer names them. Removing the current primary is
     * refused likewise.
     */
    public synchronized ReloadResult reload(ProxyConfig next) {
        ProxyConfig running = config;
        ReloadPlan plan = ReloadPlan.compare(running, next);
        if (!plan.applicable()) {
            return ReloadResult.refused("nothing changed: these keys differ from the running proxy's and need a "
                    + "restart: " + String.join(", ", plan.needRestart()));
        }
        if (plan.changes().isEmpty()) {
            return new ReloadResult(true, "the file matches the running configuration", List.of());
        }
        List<NodeId> before = running.routing().nodes().stream().map(io.rwsplit.core.config.NodeConfig::id).toList();
        List<NodeId> after = next.routing().nodes().stream().map(io.rwsplit.core.config.NodeConfig::id).toList();
        List<NodeId> added = after.stream().filter(n -> !before.contains(n)).toList();
        List<NodeId> removed = before.stream().filter(n -> !after.contains(n)).toList();
        // checked before anything is touched (the monitor checks again under its own thread)
        for (NodeView v : runtime.monitor().current().nodes()) {
            if (v.role() == Role.PRIMARY && removed.contains(v.id())) {
                return ReloadResult.refused("the new node list leaves out " + v.name() + ", the current primary; "
                        + "switch over to another node first; nothing changed");
            }
        }
        runtime.addPools(added);
        TopologyMonitor.NodeChanges nodes;
        try {
            nodes = runtime.monitor().reconfigure(next.routing().nodes());
        } catch (IllegalArgumentException | IllegalStateException | java.util.concurrent.RejectedExecutionException e) {
            return ReloadResult.refused(e.getMessage() + "; nothing changed");
        }
        runtime.apply(next);
        config = next;
        for (NodeId n : removed) {
            for (EventExecutor e : workers) {
                EventLoop l = (EventLoop) e;
                // connections in use finish their statement or transaction; nothing new is routed there
                l.execute(() -> runtime.closeIdle(l, n));
            }
        }
        List<String> changes = new ArrayList<>(plan.changes());
        String detail = "applied: " + String.join(", ", plan.changes())
                + (nodes.isEmpty() ? "" : "; nodes added " + nodes.added() + ", removed " + nodes.removed()
                        + ", settings changed " + nodes.settingsChanged());
        log.info("configuration reloaded: changes={} added={} removed={} settings={}", changes, nodes.added(),
                nodes.removed(), nodes.settingsChanged());
        return new ReloadResult(true, detail, changes);
    }

    /** What a reload did. */
    public record ReloadResult(boolean applied, String message, List<String> changes) {

        static ReloadResult refused(String why) {
            log.warn("configuration reload refused: {}", why);
            return new ReloadResult(false, why, List.of());
        }

        io.rwsplit.proxy.admin.ReloadOutcome toAdmin() {
            return new io.rwsplit.proxy.admin.ReloadOutcome(applied, message, changes);
        }
    }

    private static void nodesDown(ProxyRuntime runtime, EventLoopGroup workers, TopologySnapshot before,
            TopologySnapshot after) {
        for (NodeView n : after.nodes()) {
            NodeView was = before.node(n.id()).orElse(null);
            if (was != null && was.role() == Role.PRIMARY && n.role() != Role.PRIMARY && !runtime.switchingOver(n.id())) {
                // demoted (promotion elsewhere, or read_only set): close even the borrowed connections
                for (EventExecutor e : workers) {
                    EventLoop l = (EventLoop) e;
                    l.execute(() -> runtime.closeAll(l, n.id()));
                }
            } else if (was != null && was.isUp() && !n.isUp()) {
                // down by the monitor's count: a statement waiting on it (a frozen server answers
                // nothing, ever) fails now with the proxy's error, and an autocommit read is retried
                // elsewhere, instead of waiting for the server to come back
                String reason = n.name() + " stopped answering (the monitor marked it down)";
                for (EventExecutor e : workers) {
                    EventLoop l = (EventLoop) e;
                    l.execute(() -> runtime.closeAll(l, n.id(), reason));
                }
            }
        }
    }

    private static SslContext clientTls(ClientTlsConfig tls) {
        if (!tls.enabled()) {
            return null;
        }
        try {
            if (tls.certificate() != null) {
                return SslContextBuilder.forServer(tls.certificate().toFile(), tls.key().toFile()).build();
            }
            SelfSignedCertificate self = SelfSignedCertificate.builder().fqdn("rwsplit-proxy").build();
            return SslContextBuilder.forServer(self.certificate(), self.privateKey()).build();
        } catch (SSLException | java.security.cert.CertificateException | RuntimeException e) {
            throw new ProxyStartException("cannot set up TLS for clients: " + rootMessage(e), e);
        }
    }

    /**
     * TLS towards the servers. preferred and required encrypt without checking the certificate (as
     * the MySQL client's modes of those names); verify-ca checks the chain against
     * {@code backend.caCertificate} (or the JVM's trusted CAs); verify-identity also checks that the
     * certificate names the host the node is configured with (a DNS name or an IP address in its
     * subject alternative names), which the handler gets from {@code BackendLogin}.
     */
    static SslContext backendTls(BackendConfig backend) {
        if (backend.tls() == BackendConfig.BackendTls.DISABLED) {
            return null;
        }
        SslContextBuilder b = SslContextBuilder.forClient();
        try {
            if (!backend.tls().verifies()) {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
            } else {
                if (backend.caCertificate() != null) {
                    b.trustManager(backend.caCertificate().toFile());
                }
                b.endpointIdentificationAlgorithm(backend.tls() == BackendConfig.BackendTls.VERIFY_IDENTITY ? "HTTPS"
                        : null);
            }
            return b.build();
        } catch (SSLException | RuntimeException e) {
            throw new ProxyStartException("cannot set up TLS to the servers" + (backend.caCertificate() == null ? ""
                    : " with backend.caCertificate " + backend.caCertificate()) + ": " + rootMessage(e), e);
        }
    }

    /** The address the listener is bound to (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** The admin listener's bound address, when it is enabled. */
    public java.util.Optional<InetSocketAddress> adminAddress() {
        AdminServer a = admin;
        return a == null ? java.util.Optional.empty() : java.util.Optional.of(a.address());
    }

    /**
     * A planned switchover: {@code targetName} (or, when empty, the best candidate) becomes the
     * primary and the primary becomes its replica. Statements for the primary are held meanwhile
     * (at most {@code switchover.holdTimeout} each), so clients see a pause, not errors. Blocks
     * until done; returns what happened, or why nothing did.
     */
    public SwitchoverOutcome switchover(java.util.Optional<String> targetName) {
        return runtime.switchover(targetName);
    }

    /** The shared state of the running proxy, for tests and the admin side. */
    public ProxyRuntime runtime() {
        return runtime;
    }

    /**
     * Stops accepting clients, lets running statements finish for up to {@code grace}, then closes
     * every client and backend connection and stops the monitor. Idempotent.
     */
    public void shutdown(Duration grace) {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
        }
        try {
            listener.close().syncUninterruptibly();
            runtime.beginShutdown();
            long deadline = System.nanoTime() + grace.toNanos();
            while (runtime.clientCount() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            runtime.closeClients();
            for (EventExecutor e : workers) {
                EventLoop l = (EventLoop) e;
                l.submit(() -> runtime.closePools(l)).awaitUninterruptibly(1, TimeUnit.SECONDS);
            }
            runtime.monitor().close();
            runtime.close();
            AdminServer a = admin;
            if (a != null) {
                a.close();
            }
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            log.info("rwsplit proxy stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            terminated.countDown();
        }
    }

    /** Blocks until the proxy has shut down. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }
}
