package io.rwsplit.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.proxy.config.ProxyConfig;
import io.rwsplit.proxy.server.ProxyStartException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rwsplit-proxy command line, run in-process with string streams and no listener. */
class ProxyCliTest {

    private static final String GOOD = """
            listen: {address: 127.0.0.1, port: 7033}
            users:
              - {name: app, password: app-secret-pw}
              - {name: reporting, password: ro-secret-pw}
            nodes:
              - {host: db1.example.com, name: primary}
              - {host: db2.example.com, port: 3307}
            limits: {shutdownGrace: 3s}
            """;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<Thread> hooks = new ArrayList<>();

    private int run(Function<ProxyConfig, ProxyCli.RunningProxy> starter, String... args) {
        return ProxyCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true), starter, hooks::add);
    }

    private int run(String... args) {
        return run(cfg -> {
            throw new AssertionError("nothing should be started");
        }, args);
    }

    private Path file(String yaml) throws Exception {
        return Files.writeString(dir.resolve("proxy.yaml"), yaml);
    }

    @Test
    void checkOfAGoodFilePrintsASummaryWithoutSecrets() throws Exception {
        Path file = file(GOOD);

        assertThat(run("--config", file.toString(), "--check")).isZero();

        assertThat(out.toString().split("\\R")).containsExactly(
                "rwsplit-proxy: config file '" + file + "' is valid",
                "  listen: 127.0.0.1:7033",
                "  users:  app, reporting",
                "  nodes:  primary (db1.example.com:3306) [primary at start], db2.example.com:3307",
                "  tls:    off",
                "  admin:  http://127.0.0.1:6080/ (no token: changes refused)");
        assertThat(out.toString()).doesNotContain("secret");
        assertThat(err.toString()).isEmpty();
        assertThat(hooks).isEmpty();
    }

    @Test
    void checkOfABadFilePrintsTheProblemAndExits2() throws Exception {
        Path file = file(GOOD.replace("limits:", "limit:"));

        assertThat(run("-c", file.toString(), "--check")).isEqualTo(2);

        assertThat(err.toString()).isEqualTo("rwsplit-proxy: config file '" + file + "': unknown config key 'limit' "
                + "(did you mean 'limits'?); the top-level keys are: nodes, balance, primaryReadWeight, maxLag, "
                + "fallback, readYourWrites, readYourWritesWindow, causalWait, failover, monitor, classifier, pool, "
                + "switchover, autoRejoin, replication, "
                + "listen, users, tls, backend, limits, admin" + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aBadValueIsReportedWithoutAStackTraceOrTheSecret() throws Exception {
        Path file = file(GOOD.replace("port: 7033", "port: 70000")
                .replace("password: ro-secret-pw", "passwordHash: '*ro-secret-pw'"));

        assertThat(run("-c", file.toString())).isEqualTo(2);

        assertThat(err.toString()).startsWith("rwsplit-proxy: config file '" + file + "': ")
                .contains("'listen.port'").doesNotContain("Exception", "\tat ");
    }

    @Test
    void aMissingFileIsNamed() {
        Path file = dir.resolve("absent.yaml");

        assertThat(run("--config", file.toString(), "--check")).isEqualTo(2);

        assertThat(err.toString()).startsWith("rwsplit-proxy: config file '" + file + "' does not exist");
    }

    @Test
    void theConfigOptionIsRequired() {
        assertThat(run("--check")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--config=FILE'", "Usage: rwsplit-proxy");
    }

    @Test
    void helpAndVersion() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: rwsplit-proxy", "--config=FILE", "--check");
        out.getBuffer().setLength(0);
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("rwsplit-proxy ");
    }

    @Test
    void aStartFailurePrintsTheReasonAndExits1() throws Exception {
        Path file = file(GOOD);

        int code = run(cfg -> {
            throw new ProxyStartException("cannot listen on 127.0.0.1:7033: address already in use");
        }, "-c", file.toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("rwsplit-proxy: cannot listen on 127.0.0.1:7033: address already in use"
                + System.lineSeparator());
        assertThat(hooks).isEmpty();
    }

    @Test
    void runningPrintsTheAddressAndTheShutdownHookDrainsWithTheConfiguredGrace() throws Exception {
        Path file = file(GOOD);
        FakeProxy proxy = new FakeProxy();
        List<ProxyConfig> started = new ArrayList<>();
        Thread main = new Thread(() -> run(cfg -> {
            started.add(cfg);
            return proxy;
        }, "-c", file.toString()));
        main.start();

        assertThat(proxy.awaiting.await(10, TimeUnit.SECONDS)).as("the command waits for the proxy").isTrue();
        assertThat(started).singleElement().satisfies(cfg -> assertThat(cfg.listen().port()).isEqualTo(7033));
        assertThat(out.toString()).isEqualTo("rwsplit-proxy listening on 127.0.0.1:7033" + System.lineSeparator());
        assertThat(hooks).hasSize(1);
        assertThat(main.isAlive()).isTrue();

        Thread hook = hooks.get(0); // what the JVM runs on SIGTERM or Ctrl-C
        hook.start();
        hook.join(10_000);
        main.join(10_000);

        assertThat(proxy.grace).isEqualTo(Duration.ofSeconds(3));
        assertThat(hook.isAlive()).isFalse();
        assertThat(main.isAlive()).as("the command returns once the proxy has stopped").isFalse();
    }

    /** Reports the listener's address, and runs until shut down. */
    private static final class FakeProxy implements ProxyCli.RunningProxy {
        final CountDownLatch awaiting = new CountDownLatch(1);
        final CountDownLatch stopped = new CountDownLatch(1);
        volatile Duration grace;

        @Override
        public InetSocketAddress address() {
            return new InetSocketAddress("127.0.0.1", 7033);
        }

        @Override
        public void shutdown(Duration grace) {
            this.grace = grace;
            stopped.countDown();
        }

        @Override
        public void awaitTermination() throws InterruptedException {
            awaiting.countDown();
            stopped.await();
        }
    }
}
