package io.rwsplit.proxy.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Credentials;
import io.rwsplit.sandbox.local.LocalCluster;
import io.rwsplit.sandbox.local.SandboxPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code mariadb} command-line client, pointed at a proxy. The one that comes with the
 * sandbox's server binaries (the bundled MariaDB has one in its {@code bin}) is preferred, then a
 * system one (Debian's mariadb-client-core); without either the test is skipped.
 *
 * <p>Every run has {@code --no-defaults} (no option file of this machine changes what is tested),
 * {@code --skip-ssl} (the test proxies have no TLS, and MariaDB 11.4's client otherwise insists on
 * it) and a deadline.
 */
final class MariadbCli {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Path binary;

    private MariadbCli(Path binary) {
        this.binary = binary;
    }

    /** The client for this cluster; skips the test when the machine has none. */
    static MariadbCli forCluster(Cluster cluster) {
        Optional<Path> found = LocalCluster.client(SandboxPaths.fromEnvironment(), cluster.name())
                .filter(Files::isExecutable)
                .or(() -> ExternalProcess.onPath("mariadb"))
                .or(() -> ExternalProcess.onPath("mysql"));
        assumeTrue(found.isPresent(), "no mariadb command-line client: the sandbox's server binaries have none next "
                + "to them and none is on the PATH (Debian: apt-get install mariadb-client-core)");
        return new MariadbCli(found.get());
    }

    Path binary() {
        return binary;
    }

    /** Runs the client as the cluster's application account, in the cluster's database. */
    ExternalProcess.Result run(RunningProxy proxy, List<String> options, String stdin) {
        return run(proxy, proxy.cluster.app(), proxy.cluster.database(), options, stdin);
    }

    /** @param database null for none */
    ExternalProcess.Result run(RunningProxy proxy, Credentials login, String database, List<String> options,
            String stdin) {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--no-defaults", "--skip-ssl",
                "--protocol=TCP", "--host=127.0.0.1", "--port=" + proxy.port(), "--user=" + login.user(),
                "--password=" + login.password(), "--default-character-set=utf8mb4", "--connect-timeout=10"));
        cmd.addAll(options);
        if (database != null) {
            cmd.add(database);
        }
        // a UTF-8 locale, so the client neither guesses another character set nor mangles what it prints
        return ExternalProcess.run(cmd, stdin, TIMEOUT, Map.of("LC_ALL", "C.UTF-8", "LANG", "C.UTF-8"));
    }
}
