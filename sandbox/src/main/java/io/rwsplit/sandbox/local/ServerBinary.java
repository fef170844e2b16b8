package io.rwsplit.sandbox.local;

import io.rwsplit.sandbox.Flavor;
import io.rwsplit.sandbox.SandboxException;
import io.rwsplit.sandbox.ServerVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A server binary the sandbox can run, with what it needs around it: its base directory, its
 * flavor and version (from {@code --version}), and how to initialise an empty data directory.
 *
 * @param server  {@code mariadbd} or {@code mysqld}
 * @param basedir the installation root ({@code /usr} for {@code /usr/sbin/mariadbd})
 * @param version flavor and version
 * @param client  the {@code mariadb} / {@code mysql} command-line client next to it, if any
 */
public record ServerBinary(Path server, Path basedir, ServerVersion version, Optional<Path> client) {

    /** Inspects a binary named by the user; fails with a clear message if it cannot be run. */
    public static ServerBinary inspect(Path server) {
        Path abs = server.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs) || !Files.isExecutable(abs)) {
            throw new SandboxException("server binary " + abs + " does not exist or is not executable (set by "
                    + SandboxPaths.SERVER_PROPERTY + " / RWSPLIT_SANDBOX_SERVER)");
        }
        String out = Commands.run(List.of(abs.toString(), "--version"), abs.getParent().toFile(),
                Duration.ofSeconds(30));
        ServerVersion version = ServerVersion.parse(out.lines().filter(l -> l.contains("Ver ")).findFirst()
                .orElse(out));
        Path basedir = abs.getParent().getParent() == null ? abs.getParent() : abs.getParent().getParent();
        return new ServerBinary(abs, basedir, version, findClient(abs, basedir, version.flavor()));
    }

    /** The command that initialises {@code datadir} with system tables and a password-less root. */
    List<String> initializeCommand(Path datadir, boolean runningAsRoot) {
        List<String> cmd = new ArrayList<>();
        if (version.flavor() == Flavor.MARIADB) {
            cmd.add("bash");
            cmd.add(installScript().toString());
            cmd.add("--no-defaults");
            cmd.add("--basedir=" + basedir);
            cmd.add("--datadir=" + datadir);
            cmd.add("--auth-root-authentication-method=normal");
            cmd.add("--skip-test-db");
            cmd.add("--innodb-log-file-size=" + LocalServerOptions.REDO_LOG_SIZE);
        } else {
            cmd.add(server.toString());
            cmd.add("--no-defaults");
            cmd.add("--initialize-insecure");
            cmd.add("--basedir=" + basedir);
            cmd.add("--datadir=" + datadir);
            cmd.add("--skip-log-bin");
            cmd.add("--loose-innodb-redo-log-capacity=" + LocalServerOptions.REDO_LOG_SIZE);
        }
        if (runningAsRoot) {
            cmd.add("--user=root");
        }
        return cmd;
    }

    private Path installScript() {
        List<Path> candidates = new ArrayList<>();
        for (String name : List.of("mariadb-install-db", "mysql_install_db")) {
            candidates.add(basedir.resolve("scripts").resolve(name));
            candidates.add(basedir.resolve("bin").resolve(name));
            candidates.add(server.getParent().resolve(name));
            candidates.add(Path.of("/usr/bin").resolve(name));
        }
        return candidates.stream().filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new SandboxException("cannot find mariadb-install-db for " + server
                        + "; looked at " + candidates + ". On Debian it comes with mariadb-server-core"
                        + " and needs my_print_defaults from mariadb-client-core."));
    }

    private static Optional<Path> findClient(Path server, Path basedir, Flavor flavor) {
        List<String> names = flavor == Flavor.MARIADB ? List.of("mariadb", "mysql") : List.of("mysql");
        for (String name : names) {
            for (Path dir : List.of(server.getParent(), basedir.resolve("bin"))) {
                Path p = dir.resolve(name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** Identifies this exact binary, so a cached data-directory template is never used with another one. */
    String fingerprint() {
        try {
            return server + "|" + Files.size(server) + "|" + Files.getLastModifiedTime(server).toMillis() + "|"
                    + version;
        } catch (IOException e) {
            throw new SandboxException("cannot read " + server + ": " + e.getMessage(), e);
        }
    }
}
