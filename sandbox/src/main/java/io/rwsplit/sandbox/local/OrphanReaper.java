package io.rwsplit.sandbox.local;

import io.rwsplit.sandbox.SandboxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans up after runs that died without closing their clusters (a crashed or killed test JVM):
 * every cluster folder whose owning JVM is gone and that was not started detached has its server
 * processes killed and its folder deleted. Runs before each new local cluster starts.
 */
final class OrphanReaper {

    private static final Logger log = LoggerFactory.getLogger(OrphanReaper.class);

    private final Path home;

    OrphanReaper(Path home) {
        this.home = home;
    }

    /** Reaps every orphaned cluster; returns the names of those it removed. */
    List<String> reap() {
        List<String> reaped = new ArrayList<>();
        if (!Files.isDirectory(home)) {
            return reaped;
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.list(home)) {
            dirs = s.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            throw new SandboxException("cannot list " + home + ": " + e.getMessage(), e);
        }
        for (Path dir : dirs) {
            Optional<ClusterState> state;
            try {
                state = ClusterState.read(dir);
            } catch (SandboxException damaged) {
                log.warn("leaving {} alone: {}", dir, damaged.getMessage());
                continue;
            }
            if (state.isEmpty() || state.get().detached() || state.get().ownerAlive()) {
                continue;
            }
            int killed = killServers(dir);
            Files2.deleteTree(dir);
            log.info("removed orphaned sandbox cluster {} (owner pid {} is gone, {} server(s) killed)",
                    state.get().name(), state.get().ownerPid(), killed);
            reaped.add(state.get().name());
        }
        return reaped;
    }

    /** Kills every server process whose pid file is in a node folder of {@code clusterDir}. */
    static int killServers(Path clusterDir) {
        List<ProcessHandle> running = new ArrayList<>();
        try (Stream<Path> s = Files.list(clusterDir)) {
            s.filter(Files::isDirectory).map(NodeLayout::new).map(LocalProcess::find)
                    .flatMap(Optional::stream).forEach(running::add);
        } catch (IOException e) {
            throw new SandboxException("cannot list " + clusterDir + ": " + e.getMessage(), e);
        }
        for (ProcessHandle h : running) {
            h.destroyForcibly();
        }
        for (ProcessHandle h : running) {
            try {
                h.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new SandboxException("server pid " + h.pid() + " in " + clusterDir + " survived kill -9", e);
            }
        }
        return running.size();
    }
}
