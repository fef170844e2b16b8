package io.rwsplit.sandbox.local;

import io.rwsplit.sandbox.Handshake;
import io.rwsplit.sandbox.NodeProcess;
import io.rwsplit.sandbox.SandboxException;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@code mariadbd} / {@code mysqld} process on this machine, started from its node's option file.
 * The process is found again after a JVM restart through the pid file, and only accepted if its
 * command line names this node's option file, so a recycled pid is never signalled.
 */
final class LocalProcess implements NodeProcess {

    private static final String LOOPBACK = "127.0.0.1";

    private final String name;
    private final ServerBinary binary;
    private final NodeLayout layout;
    private final int port;
    private final Duration startTimeout;
    private volatile ProcessHandle handle;
    private volatile long lastPid = -1;

    LocalProcess(String name, ServerBinary binary, NodeLayout layout, int port, Duration startTimeout) {
        this.name = name;
        this.binary = binary;
        this.layout = layout;
        this.port = port;
        this.startTimeout = startTimeout;
    }

    /** The process of a node started by an earlier JVM, if it still runs. */
    static Optional<ProcessHandle> find(NodeLayout layout) {
        try {
            long pid = Long.parseLong(Files.readString(layout.pidFile()).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().commandLine().map(c -> c.contains(layout.optionFile().toString()))
                            .orElse(false));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    void adopt(ProcessHandle running) {
        handle = running;
        lastPid = running.pid();
    }

    NodeLayout layout() {
        return layout;
    }

    @Override
    public String host() {
        return LOOPBACK;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String replicationHost() {
        return LOOPBACK;
    }

    @Override
    public int replicationPort() {
        return port;
    }

    @Override
    public long pid() {
        return lastPid;
    }

    @Override
    public boolean isRunning() {
        ProcessHandle h = handle;
        return h != null && h.isAlive();
    }

    @Override
    public boolean isFrozen() {
        return isRunning() && Signals.isStopped(lastPid);
    }

    @Override
    public synchronized void start() {
        if (isRunning()) {
            throw new SandboxException(name + " is already running (pid " + lastPid + ")");
        }
        try {
            Files.deleteIfExists(layout.pidFile());
            Process p = new ProcessBuilder(binary.server().toString(), "--defaults-file=" + layout.optionFile())
                    .directory(layout.dir().toFile())
                    .redirectInput(Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(layout.consoleLog().toFile()))
                    .start();
            handle = p.toHandle();
            lastPid = p.pid();
        } catch (IOException e) {
            throw new SandboxException("cannot start " + binary.server() + " for " + name + ": " + e.getMessage(), e);
        }
        awaitReady();
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(startTimeout);
        for (;;) {
            if (!isRunning()) {
                String log = tail(layout.errorLog(), 25) + tail(layout.consoleLog(), 10);
                if (log.contains("Address already in use") || log.contains("Do you already have another")) {
                    throw new PortInUseException(name + ": port " + port + " is taken");
                }
                throw new SandboxException(name + " (" + binary.server() + ") exited while starting; the end of its"
                        + " error log " + layout.errorLog() + ":\n" + log);
            }
            if (Handshake.answers(LOOPBACK, port)) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                kill();
                throw new SandboxException(name + " did not accept connections on port " + port + " within "
                        + startTimeout.toSeconds() + " s; the end of its error log:\n" + tail(layout.errorLog(), 25));
            }
            sleep(50);
        }
    }

    @Override
    public synchronized void kill() {
        ProcessHandle h = handle;
        if (h == null || !h.isAlive()) {
            return;
        }
        h.destroyForcibly();
        awaitExit(h, Duration.ofSeconds(20), "kill -9");
    }

    @Override
    public synchronized void freeze() {
        requireRunning("freeze");
        Signals.send(lastPid, "STOP");
        awaitState(true);
    }

    @Override
    public synchronized void thaw() {
        requireRunning("thaw");
        Signals.send(lastPid, "CONT");
        awaitState(false);
    }

    @Override
    public synchronized void stop() {
        ProcessHandle h = handle;
        if (h == null || !h.isAlive()) {
            return;
        }
        if (Signals.isStopped(h.pid())) {
            Signals.send(h.pid(), "CONT");
        }
        h.destroy();
        try {
            h.onExit().get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            h.destroyForcibly();
            awaitExit(h, Duration.ofSeconds(20), "kill -9 after a shutdown that hung");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while stopping " + name, e);
        } catch (ExecutionException e) {
            throw new SandboxException("could not stop " + name + ": " + e.getCause(), e);
        }
    }

    private void requireRunning(String what) {
        if (!isRunning()) {
            throw new SandboxException("cannot " + what + " " + name + ": it is not running");
        }
    }

    private void awaitState(boolean stopped) {
        Instant deadline = Instant.now().plusSeconds(5);
        while (Signals.isStopped(lastPid) != stopped) {
            if (Instant.now().isAfter(deadline)) {
                throw new SandboxException(name + " (pid " + lastPid + ") did not " + (stopped ? "stop" : "continue"));
            }
            sleep(5);
        }
    }

    private void awaitExit(ProcessHandle h, Duration timeout, String what) {
        try {
            h.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SandboxException(name + " (pid " + h.pid() + ") is still alive after " + what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while waiting for " + name + " to exit", e);
        } catch (ExecutionException e) {
            throw new SandboxException("could not wait for " + name + " to exit: " + e.getCause(), e);
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return name + "(pid " + lastPid + ", port " + port + ")";
    }
}
