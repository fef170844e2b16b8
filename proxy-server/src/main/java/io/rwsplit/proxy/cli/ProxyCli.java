package io.rwsplit.proxy.cli;

import io.rwsplit.core.config.ConfigException;
import io.rwsplit.core.config.NodeConfig;
import io.rwsplit.proxy.config.ClientTlsConfig;
import io.rwsplit.proxy.config.ProxyConfig;
import io.rwsplit.proxy.config.ProxyConfigLoader;
import io.rwsplit.proxy.config.UserConfig;
import io.rwsplit.proxy.server.ProxyServer;
import io.rwsplit.proxy.server.ProxyStartException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rwsplit-proxy --config proxy.yaml}: runs the proxy until SIGTERM or Ctrl-C, or with
 * {@code --check} only validates the file. Exit codes: 0 fine, 1 the proxy could not start, 2 the
 * command line or the config file is wrong (picocli's usage code, so both mean "fix what you typed").
 */
@Command(name = "rwsplit-proxy", mixinStandardHelpOptions = true, versionProvider = ProxyCli.Version.class,
        sortOptions = false,
        description = {"A MySQL-protocol proxy: writes go to the primary, reads are spread over the replicas.",
            "It runs until SIGTERM or Ctrl-C, then gives running statements the shutdownGrace of the config's "
                    + "limits to finish."})
public final class ProxyCli implements Callable<Integer> {

    static final int START_FAILED = 1;
    static final int CONFIG_ERROR = 2;
    private static final String NAME = "rwsplit-proxy";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The YAML config file: the proxy's listen, users, tls, backend and limits, and the "
                    + "routing keys shared with the JDBC driver (nodes, balance, maxLag, monitor, ...).")
    Path config;

    @Option(names = "--check", description = "Load and validate the config, print a summary and exit: 0 when it is "
            + "valid, 2 when it is not. Starts nothing.")
    boolean check;

    private final Function<ProxyConfig, RunningProxy> starter;
    private final Consumer<Thread> shutdownHooks;

    private ProxyCli(Function<ProxyConfig, RunningProxy> starter, Consumer<Thread> shutdownHooks) {
        this.starter = starter;
        this.shutdownHooks = shutdownHooks;
    }

    public static void main(String[] args) {
        // slf4j-simple, the runnable jar's logger: a service log needs timestamps; -D settings still win.
        if (System.getProperty("org.slf4j.simpleLogger.showDateTime") == null) {
            System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
            System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command with the given streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        // no starter: the real proxy, which reloads from the file given (POST /api/reload)
        return run(args, out, err, null, Runtime.getRuntime()::addShutdownHook);
    }

    /**
     * @param starter       starts the proxy (tests pass one that opens no listener)
     * @param shutdownHooks registers the thread that stops the proxy when the JVM is asked to exit
     */
    static int run(String[] args, PrintWriter out, PrintWriter err, Function<ProxyConfig, RunningProxy> starter,
            Consumer<Thread> shutdownHooks) {
        CommandLine cl = new CommandLine(new ProxyCli(starter, shutdownHooks));
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProxyConfig cfg;
        try {
            cfg = ProxyConfigLoader.load(config);
        } catch (ConfigException e) {
            // The message names the file, the key and what is expected; a stack trace would bury it.
            err.println(NAME + ": " + e.getMessage());
            return CONFIG_ERROR;
        }
        if (check) {
            out.println(NAME + ": config file '" + config + "' is valid");
            summary(cfg).forEach(out::println);
            out.flush();
            return 0;
        }
        RunningProxy proxy;
        try {
            Path file = config;
            proxy = starter != null ? starter.apply(cfg) : startServer(cfg, () -> ProxyConfigLoader.load(file));
        } catch (ProxyStartException e) {
            err.println(NAME + ": " + e.getMessage());
            return START_FAILED;
        }
        Duration grace = cfg.limits().shutdownGrace();
        // Registered before anything else can fail, so that SIGTERM always drains.
        shutdownHooks.accept(new Thread(() -> stop(proxy, grace), NAME + "-shutdown"));
        out.println(NAME + " listening on " + hostPort(proxy.address()));
        out.flush();
        try {
            proxy.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            proxy.shutdown(grace);
        }
        return 0;
    }

    /** The shutdown hook's work: the JVM exits when hooks return, so wait for the drain to end. */
    private static void stop(RunningProxy proxy, Duration grace) {
        proxy.shutdown(grace);
        try {
            proxy.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static List<String> summary(ProxyConfig cfg) {
        List<String> lines = new ArrayList<>();
        lines.add("  listen: " + hostPort(cfg.listen().address(), cfg.listen().port()));
        lines.add("  users:  " + cfg.users().stream().map(UserConfig::name).collect(Collectors.joining(", ")));
        List<NodeConfig> nodes = cfg.routing().nodes();
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            NodeConfig n = nodes.get(i);
            String address = hostPort(n.host(), n.port());
            String text = n.name().equals(address) ? address : n.name() + " (" + address + ")";
            shown.add(i == 0 ? text + " [primary at start]" : text);
        }
        lines.add("  nodes:  " + String.join(", ", shown));
        lines.add("  tls:    " + tls(cfg.tls()));
        lines.add("  admin:  " + (cfg.admin().enabled() ? "http://" + hostPort(cfg.admin().address(), cfg.admin().port())
                + "/" + (cfg.admin().token() == null ? " (no token: changes refused)" : " (token set)") : "off"));
        return lines;
    }

    private static String tls(ClientTlsConfig tls) {
        if (!tls.enabled()) {
            return "off";
        }
        String how = tls.selfSigned() && tls.certificate() == null ? "self-signed certificate"
                : "certificate " + tls.certificate();
        return how + (tls.required() ? ", required" : ", optional");
    }

    private static String hostPort(InetSocketAddress a) {
        return hostPort(a.getHostString(), a.getPort());
    }

    private static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static RunningProxy startServer(ProxyConfig cfg, io.rwsplit.proxy.server.ConfigSource source) {
        ProxyServer server = ProxyServer.start(cfg, source);
        return new RunningProxy() {
            @Override
            public InetSocketAddress address() {
                return server.address();
            }

            @Override
            public void shutdown(Duration grace) {
                server.shutdown(grace);
            }

            @Override
            public void awaitTermination() throws InterruptedException {
                server.awaitTermination();
            }
        };
    }

    /** What the command needs of a running proxy: a seam so that its tests open no port. */
    interface RunningProxy {

        InetSocketAddress address();

        void shutdown(Duration grace);

        void awaitTermination() throws InterruptedException;
    }

    /** The version the jar was built as; a build from the IDE has none. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ProxyCli.class.getPackage().getImplementationVersion();
            return new String[] {NAME + " " + (v == null ? "(development build)" : v)};
        }
    }
}
