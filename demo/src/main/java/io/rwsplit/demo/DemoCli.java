package io.rwsplit.demo;

import io.rwsplit.proxy.config.AdminConfig;
import io.rwsplit.proxy.config.ListenConfig;
import io.rwsplit.sandbox.SandboxException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./rwsplit demo}: starts a local primary and two replicas, the proxy in front of them, runs a
 * mixed workload through the proxy, prints where its statements went by the servers' own counters
 * and how to connect, then keeps everything running until Ctrl-C. Exit codes: 0 fine, 1 it could
 * not run or the workload saw errors, 2 bad usage.
 */
@Command(name = "rwsplit demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Starts a local primary + 2 replicas and the rwsplit proxy in front of them, runs a mixed "
                + "workload through the proxy, and shows where its statements went by the servers' own counters.",
            "Everything stays up until Ctrl-C (or SIGTERM), then the proxy and the servers are stopped."})
public final class DemoCli implements Callable<Integer> {

    static final int FAILED = 1;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--duration", defaultValue = "20s", paramLabel = "TIME", converter = DurationConverter.class,
            description = "How long the workload runs: 500ms, 20s, 2m (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--port", defaultValue = "" + ListenConfig.DEFAULT_PORT,
            description = "The proxy's port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--admin-port", defaultValue = "" + AdminConfig.DEFAULT_PORT,
            description = "The admin listener's port on 127.0.0.1 (status page, /metrics); 0 picks a free one "
                    + "(default: ${DEFAULT-VALUE}).")
    int adminPort;

    @Option(names = "--threads", defaultValue = "4",
            description = "Client connections running the workload at once (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--no-wait", description = "Stop everything and exit after the report instead of waiting for "
            + "Ctrl-C (scripts, CI).")
    boolean noWait;

    @Option(names = "--name", defaultValue = "demo",
            description = "The sandbox cluster's name, as sandbox status --name takes it "
                    + "(default: ${DEFAULT-VALUE}).")
    String name;

    public static void main(String[] args) {
        // the demo prints what matters itself; library chatter only when asked for
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the demo with the given streams and returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new DemoCli());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof DemoException || e instanceof SandboxException) {
                line.getErr().println("rwsplit demo: " + e.getMessage());
                return FAILED;
            }
            throw e;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() throws InterruptedException {
        if (threads < 1 || threads > 256) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be 1..256, was " + threads);
        }
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0..65535, was " + port);
        }
        if (adminPort < 0 || adminPort > 65535 || (adminPort != 0 && adminPort == port)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--admin-port must be 0..65535 and not "
                    + "the proxy's --port, was " + adminPort);
        }
        if (duration.isZero() || duration.isNegative() || duration.compareTo(Duration.ofHours(1)) > 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--duration must be more than 0 and at most 1h, was " + duration);
        }
        // a console means both ends are a terminal: only then is redrawing one line in place readable
        boolean tty = System.console() != null;
        DemoOptions options = new DemoOptions(name, port, adminPort, threads, duration, tty);
        return Demo.run(options, spec.commandLine().getOut(), !noWait);
    }

    /** {@code 500ms}, {@code 20s}, {@code 1.5m}, {@code 1h}; a bare number is seconds. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

        private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

        @Override
        public Duration convert(String value) {
            Matcher m = FORM.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (500ms, 20s, 2m)");
            }
            double n = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            double millis = switch (unit) {
                case "ms" -> n;
                case "s" -> n * 1_000;
                case "m" -> n * 60_000;
                default -> n * 3_600_000;
            };
            return Duration.ofMillis(Math.round(millis));
        }
    }
}
