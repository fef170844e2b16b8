package io.rwsplit.sandbox.local;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the sandbox keeps things. Each setting is read from a system property, else an environment
 * variable, else a default:
 * <ul>
 * <li>home ({@code rwsplit.sandbox.home} / {@code RWSPLIT_SANDBOX_HOME}, default
 * {@code $TMPDIR/rwsplit-sandbox}): one folder per running cluster, with data, logs and sockets;</li>
 * <li>cache ({@code rwsplit.sandbox.cache} / {@code RWSPLIT_SANDBOX_CACHE}, default
 * {@code ~/.cache/rwsplit}): extracted server binaries and initialised data-directory templates;</li>
 * <li>server ({@code rwsplit.sandbox.server} / {@code RWSPLIT_SANDBOX_SERVER}, default the bundled
 * MariaDB): a {@code mariadbd} or {@code mysqld} binary to run instead.</li>
 * </ul>
 */
public record SandboxPaths(Path home, Path cache, Optional<Path> serverOverride) {

    public static final String HOME_PROPERTY = "rwsplit.sandbox.home";
    public static final String CACHE_PROPERTY = "rwsplit.sandbox.cache";
    public static final String SERVER_PROPERTY = "rwsplit.sandbox.server";

    /** Settings from this JVM's system properties and environment. */
    public static SandboxPaths fromEnvironment() {
        return from(System.getProperties(), System.getenv());
    }

    static SandboxPaths from(Properties props, Map<String, String> env) {
        Path home = setting(props, env, HOME_PROPERTY).map(Path::of)
                .orElseGet(() -> Path.of(props.getProperty("java.io.tmpdir", "/tmp"), "rwsplit-sandbox"));
        Path cache = setting(props, env, CACHE_PROPERTY).map(Path::of)
                .orElseGet(() -> Path.of(props.getProperty("user.home", "/tmp"), ".cache", "rwsplit"));
        Optional<Path> server = setting(props, env, SERVER_PROPERTY).map(Path::of);
        return new SandboxPaths(home.toAbsolutePath(), cache.toAbsolutePath(), server);
    }

    private static Optional<String> setting(Properties props, Map<String, String> env, String property) {
        String v = props.getProperty(property);
        if (v == null || v.isBlank()) {
            v = env.get(property.toUpperCase(java.util.Locale.ROOT).replace('.', '_'));
        }
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    public SandboxPaths withHome(Path newHome) {
        return new SandboxPaths(newHome.toAbsolutePath(), cache, serverOverride);
    }

    public SandboxPaths withServer(Path server) {
        return new SandboxPaths(home, cache, Optional.of(server));
    }
}
