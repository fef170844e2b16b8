package io.rwsplit.proxy.config;

import io.rwsplit.core.config.ConfigDocument;
import io.rwsplit.core.config.ConfigException;
import io.rwsplit.core.config.ConfigLoader;
import io.rwsplit.core.config.ConfigSection;
import io.rwsplit.core.config.FailoverMode;
import io.rwsplit.proxy.auth.CachingSha2Password;
import io.rwsplit.proxy.auth.NativePassword;
import io.rwsplit.proxy.config.BackendConfig.BackendTls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Loads the proxy's {@link ProxyConfig} from its YAML file: the proxy's own keys below, and at the
 * top level every key of the routing configuration it shares with the JDBC driver (see
 * {@link ConfigLoader}: {@code nodes}, {@code balance}, {@code maxLag}, {@code monitor},
 * {@code pool}, ...). Unknown keys are errors, with "did you mean" among both kinds; every error
 * names the key, and never shows a password or hash.
 *
 * <p>Keys, with their defaults:
 * <pre>
 * listen: {address: 0.0.0.0, port: 6033, transport: auto}   # port 0 picks a free one (tests); auto | epoll | nio
 * users:                         # required, at least one
 *   - name: app                  # required, unique
 *     password: secret           # or ${APP_PASSWORD} (read from the environment); or instead:
 *     # passwordHash: "*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19"   (mysql_native_password, as in mysql.user)
 *     # passwordHash: "sha256d:&lt;64 hex&gt;"                              (caching_sha2_password, the proxy's form)
 *     allowedHosts: [10.0.0.0/8, 127.0.0.1]   # default: any address
 *     maxConnections: 0          # 0 = no limit
 *     backendUser: app           # default: name
 *     backendPassword: ...       # default: password; required when only a hash is given; ${VAR} works
 *     requireTls: false          # true: this user's logins without TLS are refused (needs tls on)
 * tls: {certificate: cert.pem, key: key.pem, selfSigned: false, required: false}
 *                                # off when neither certificate nor selfSigned; relative paths are
 *                                # resolved against the config file's directory
 * backend: {tls: preferred, connectTimeout: 2s}
 *                                # tls: disabled | preferred | required | verify-ca | verify-identity
 *                                # caCertificate: ca.pem (verify-*: the CAs to trust; default the JVM's)
 * limits:
 *   maxConnections: 10000        # client connections at once, all users together
 *   authTimeout: 10s             # a client must have logged in by then (handshake, TLS and auth)
 *   maxMessageBytes: 64MiB       # 1KiB..1GiB; also 16M, 1048576 (bytes), ...
 *   shutdownGrace: 10s           # 0 allowed
 *   workerThreads: 0             # 0..1024; 0 = one per CPU
 *   readTimeout: 30s             # a client stalled inside a packet is disconnected after this
 *   authFailureDelayAfter: 3     # failed logins from one address before its logins are slowed; 0 = off
 *   authFailureDelay: 1s         # the first delay, doubled at each further failure
 *   authFailureMaxDelay: 30s     # the longest delay; 0 = off
 *   authFailureWindow: 10m       # an address with no failure for this long starts again
 * admin:                         # the admin HTTP listener (status page at /, metrics, health, API)
 *   enabled: true
 *   address: 127.0.0.1           # local only by default
 *   port: 6080                   # 0..65535; 0 picks a free one (tests)
 *   token: ${RWSPLIT_ADMIN_TOKEN}  # Authorization: Bearer token; without one every POST is refused
 *   tokenForReads: false         # true: GET requests (and the status page) need the token too
 * failover: promote              # the proxy's default (the driver's is follow)
 * nodes: ...                     # and every other routing key, as ConfigLoader documents them
 * </pre>
 */
public final class ProxyConfigLoader {

    static final List<String> PROXY_KEYS = List.of("listen", "users", "tls", "backend", "limits", "admin");
    static final List<String> LISTEN_KEYS = List.of("address", "port", "transport");
    static final List<String> USER_KEYS = List.of("name", "password", "passwordHash", "allowedHosts", "maxConnections",
            "backendUser", "backendPassword", "requireTls");
    static final List<String> TLS_KEYS = List.of("certificate", "key", "selfSigned", "required");
    static final List<String> BACKEND_KEYS = List.of("tls", "connectTimeout", "caCertificate");
    static final List<String> ADMIN_KEYS = List.of("enabled", "address", "port", "token", "tokenForReads");
    static final List<String> LIMITS_KEYS = List.of("maxConnections", "authTimeout", "maxMessageBytes",
            "shutdownGrace", "workerThreads", "readTimeout", "authFailureDelayAfter", "authFailureDelay",
            "authFailureMaxDelay", "authFailureWindow");

    static final long MIN_MESSAGE_BYTES = 1L << 10;
    static final long MAX_MESSAGE_BYTES = 1L << 30;
    static final int MAX_WORKER_THREADS = 1024;
    static final int MAX_AUTH_FAILURES = 1_000_000;
    static final Duration MAX_AUTH_DELAY = Duration.ofHours(1);

    private static final String NATIVE_PREFIX = "*";
    private static final String SHA2_PREFIX = "sha256d:";
    private static final String HASH_FORMS = "a mysql_native_password hash ('*' and 40 hex digits, as mysql.user "
            + "holds it) or a caching_sha2_password hash in the proxy's form ('sha256d:' and 64 hex digits)";
    private static final String USERS_EXPECTED = "a list of at least one user, each with a name and a password "
            + "or passwordHash";

    /** Where relative TLS file paths start: the config file's directory; {@code null} for the working directory. */
    private final Path baseDir;

    private ProxyConfigLoader(Path baseDir) {
        this.baseDir = baseDir;
    }

    /** Reads {@code file}, with {@code ${VAR}} references from the process environment. */
    public static ProxyConfig load(Path file) {
        return load(file, System::getenv);
    }

    /**
     * @param env returns an environment variable's value, or {@code null} if it is not set
     */
    public static ProxyConfig load(Path file, Function<String, String> env) {
        ProxyConfigLoader binder = new ProxyConfigLoader(file.toAbsolutePath().getParent());
        return binder.toConfig(loader(env).loadYaml(file, PROXY_KEYS, binder::bindProxyKeys));
    }

    /**
     * A config from text (tests); relative TLS paths are resolved against the working directory.
     *
     * @param env returns an environment variable's value, or {@code null} if it is not set
     */
    public static ProxyConfig load(String yamlText, Function<String, String> env) {
        ProxyConfigLoader binder = new ProxyConfigLoader(null);
        return binder.toConfig(loader(env).loadYaml(yamlText, PROXY_KEYS, binder::bindProxyKeys));
    }

    private static ConfigLoader loader(Function<String, String> env) {
        return ConfigLoader.create().withEnvironment(Objects.requireNonNull(env, "env"))
                .withDefaultFailover(FailoverMode.PROMOTE);
    }

    /** The proxy's own keys, bound by {@link #bindProxyKeys}. */
    private record ProxyKeys(ListenConfig listen, List<UserConfig> users, ClientTlsConfig tls, BackendConfig backend,
            LimitsConfig limits, AdminConfig admin) {
    }

    private ProxyConfig toConfig(ConfigDocument<ProxyKeys> doc) {
        ProxyKeys p = doc.frontEnd();
        crossCheck(p);
        return new ProxyConfig(p.listen(), p.users(), p.tls(), p.backend(), p.limits(), doc.routing(), p.admin());
    }

    private ProxyKeys bindProxyKeys(ConfigSection top, Function<String, String> env) {
        return new ProxyKeys(listen(top.section("listen", LISTEN_KEYS)), users(top, env),
                tls(top.section("tls", TLS_KEYS)),
                backend(top.section("backend", BACKEND_KEYS)), limits(top.section("limits", LIMITS_KEYS)),
                admin(top.section("admin", ADMIN_KEYS), env));
    }

    private static AdminConfig admin(ConfigSection s, Function<String, String> env) {
        AdminConfig d = AdminConfig.DEFAULTS;
        boolean enabled = s.bool("enabled", d.enabled());
        String address = s.string("address", d.address()).trim();
        if (address.isEmpty()) {
            throw s.invalid("address", address, "the local address for the admin listener, such as 127.0.0.1");
        }
        if (address.matches("[^:]+:\\d+")) {
            throw s.invalid("address", address, "an address without a port (give the port as " + s.path("port") + ")");
        }
        int port = s.integer("port", d.port(), 0, 65535);
        String token = s.secret("token", null, env);
        boolean tokenForReads = s.bool("tokenForReads", d.tokenForReads());
        if (tokenForReads && (token == null || token.isEmpty())) {
            throw new ConfigException(s.path("tokenForReads"), "config key '" + s.path("tokenForReads") + "' is true "
                    + "but no token is set; expected " + s.path("token") + " (or ${ENV_VAR} to read it from the "
                    + "environment)");
        }
        return new AdminConfig(enabled, address, port, token, tokenForReads);
    }

    /** Checks that need more than one section: a TLS-only user needs TLS towards clients. */
    private static void crossCheck(ProxyKeys keys) {
        if (keys.tls().enabled()) {
            return;
        }
        for (int i = 0; i < keys.users().size(); i++) {
            UserConfig u = keys.users().get(i);
            if (u.requireTls()) {
                String key = "users[" + i + "].requireTls";
                throw new ConfigException(key, "config key '" + key + "' is true but TLS towards clients is off, so '"
                        + u.name() + "' could never log in; expected tls.certificate and tls.key, or "
                        + "tls.selfSigned: true");
            }
        }
    }

    private static ListenConfig listen(ConfigSection s) {
        ListenConfig d = ListenConfig.DEFAULTS;
        String address = s.string("address", d.address()).trim();
        if (address.isEmpty()) {
            throw s.invalid("address", address, "the local address to listen on, such as 0.0.0.0, 127.0.0.1 or ::");
        }
        if (address.matches("[^:]+:\\d+")) {
            // host:port is the most natural thing to write here; say where the port goes.
            throw s.invalid("address", address, "an address without a port (give the port as "
                    + s.path("port") + ")");
        }
        return new ListenConfig(address, s.integer("port", d.port(), 0, 65535),
                s.choice("transport", d.transport(), ListenConfig.Transport.class, ListenConfig.Transport::key));
    }

    // ---- users

    private static List<UserConfig> users(ConfigSection top, Function<String, String> env) {
        if (!top.has("users")) {
            throw top.missing("users", USERS_EXPECTED);
        }
        List<ConfigSection> sections = top.sections("users", USER_KEYS, USERS_EXPECTED);
        if (sections.isEmpty()) {
            throw new ConfigException("users", "invalid value for config key 'users': the list is empty; expected "
                    + USERS_EXPECTED);
        }
        List<UserConfig> users = new ArrayList<>();
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < sections.size(); i++) {
            ConfigSection s = sections.get(i);
            UserConfig user = user(s, env);
            Integer same = byName.putIfAbsent(user.name(), i);
            if (same != null) {
                throw new ConfigException(s.path("name"), "duplicate user name '" + user.name() + "' at config key '"
                        + s.path("name") + "' (users[" + same + "] has it too); expected a unique name per user");
            }
            users.add(user);
        }
        return users;
    }

    private static UserConfig user(ConfigSection s, Function<String, String> env) {
        String name = s.string("name", null);
        if (name == null) {
            throw s.missing("name", "the user name clients log in with");
        }
        if (name.isBlank()) {
            throw s.invalid("name", name, "a non-empty user name");
        }
        name = name.trim();
        String password = s.secret("password", null, env);
        String hash = s.secret("passwordHash", null, env);
        if (password != null && hash != null) {
            throw new ConfigException(s.path("passwordHash"), "config keys '" + s.path("password") + "' and '"
                    + s.path("passwordHash") + "' are both set; expected one of them: the password (clients may then "
                    + "use either authentication plugin) or its hash");
        }
        if (password == null && hash == null) {
            throw s.missing("password", "the user's password (or ${ENV_VAR} to read it from the environment), or "
                    + "instead " + s.path("passwordHash") + " with " + HASH_FORMS);
        }
        String nativeHash = null;
        String sha2Hash = null;
        if (hash != null) {
            hash = hash.trim();
            if (hash.startsWith(NATIVE_PREFIX)) {
                nativeHash = checkHash(s, hash, NativePassword::parseHash,
                        "a mysql_native_password hash: '*' and 40 hex digits, as mysql.user holds it");
            } else if (hash.startsWith(SHA2_PREFIX)) {
                sha2Hash = checkHash(s, hash, CachingSha2Password::parseHash,
                        "a caching_sha2_password hash in the proxy's form: 'sha256d:' and 64 hex digits "
                                + "(SHA-256 of SHA-256 of the password)");
            } else if (hash.startsWith("$A$")) {
                throw s.invalidSecret("passwordHash", HASH_FORMS + "; the '$A$...' form of caching_sha2_password "
                        + "accounts in mysql.user is salted and cannot check a client's login, so give the password "
                        + "or its 'sha256d:' form");
            } else {
                throw s.invalidSecret("passwordHash", HASH_FORMS + (hash.isEmpty()
                        ? " (for a user without a password, write " + s.path("password") + ": \"\")" : ""));
            }
        }
        List<CidrRange> allowedHosts = allowedHosts(s);
        int maxConnections = s.integer("maxConnections", 0, 0, Integer.MAX_VALUE);
        String backendUser = s.string("backendUser", name);
        if (backendUser.isBlank()) {
            throw s.invalid("backendUser", backendUser, "the account on the servers (or leave it out for '" + name
                    + "')");
        }
        String backendPassword = s.secret("backendPassword", password, env);
        if (backendPassword == null) {
            throw s.missing("backendPassword", "the password of account '" + backendUser.trim() + "' on the servers: "
                    + "with only " + s.path("passwordHash") + " the proxy cannot log in to the servers itself");
        }
        boolean requireTls = s.bool("requireTls", false);
        return new UserConfig(name, password, nativeHash, sha2Hash, allowedHosts, maxConnections, backendUser.trim(),
                backendPassword, requireTls);
    }

    private static String checkHash(ConfigSection s, String hash, Function<String, byte[]> parser, String expected) {
        try {
            parser.apply(hash);
        } catch (IllegalArgumentException e) {
            // Not e's message: the parsers do not repeat the hash, but the message should say it as ours do.
            throw s.invalidSecret("passwordHash", expected);
        }
        return hash;
    }

    private static List<CidrRange> allowedHosts(ConfigSection s) {
        List<String> texts = s.strings("allowedHosts", List.of());
        if (s.has("allowedHosts") && texts.isEmpty()) {
            // Empty means "anywhere" in the record; written out, it more likely meant "nowhere".
            throw s.invalid("allowedHosts", "[]", "at least one address or CIDR block (leave the key out to "
                    + "allow every address)");
        }
        List<CidrRange> ranges = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            try {
                ranges.add(CidrRange.parse(texts.get(i)));
            } catch (IllegalArgumentException e) {
                String key = s.path("allowedHosts") + "[" + i + "]";
                throw new ConfigException(key, "invalid value for config key '" + key + "': " + e.getMessage()
                        + "; expected an address or CIDR block such as 10.0.0.0/8, 192.168.1.7 or ::1/128 "
                        + "(host names are not looked up)");
            }
        }
        return ranges;
    }

    // ---- TLS towards clients

    private ClientTlsConfig tls(ConfigSection s) {
        Path certificate = file(s, "certificate");
        Path key = file(s, "key");
        boolean selfSigned = s.bool("selfSigned", ClientTlsConfig.OFF.selfSigned());
        boolean required = s.bool("required", ClientTlsConfig.OFF.required());
        if (certificate != null && key == null) {
            throw s.missing("key", "the PEM private key file of " + s.path("certificate"));
        }
        if (key != null && certificate == null) {
            throw s.missing("certificate", "the PEM certificate (chain) file for " + s.path("key"));
        }
        if (certificate != null && selfSigned) {
            throw new ConfigException(s.path("selfSigned"), "config key '" + s.path("selfSigned") + "' is true but '"
                    + s.path("certificate") + "' is set too; expected one of them (a generated pair, or your files)");
        }
        if (required && certificate == null && !selfSigned) {
            throw new ConfigException(s.path("required"), "config key '" + s.path("required") + "' is true but TLS "
                    + "is off; expected " + s.path("certificate") + " and " + s.path("key") + ", or "
                    + s.path("selfSigned") + ": true");
        }
        if (certificate != null) {
            checkPem(s, "certificate", certificate, "CERTIFICATE-----", "a PEM certificate (chain)");
            checkPem(s, "key", key, "PRIVATE KEY-----", "a PEM private key (PKCS#8 or PKCS#1)");
        }
        return new ClientTlsConfig(certificate, key, selfSigned, required);
    }

    /** The file a key names, resolved against the config file's directory; checked readable. */
    private Path file(ConfigSection s, String key) {
        String text = s.string(key, null);
        if (text == null) {
            return null;
        }
        if (text.isBlank()) {
            throw s.invalid(key, text, "the path of a PEM file (or leave the key out)");
        }
        Path path;
        try {
            path = Path.of(text.trim());
        } catch (InvalidPathException e) {
            throw s.invalid(key, text, "the path of a PEM file (" + e.getReason() + ")");
        }
        if (!path.isAbsolute()) {
            path = (baseDir == null ? Path.of("") : baseDir).resolve(path).toAbsolutePath();
        }
        path = path.normalize();
        if (Files.isDirectory(path)) {
            throw fileProblem(s, key, path, "is a directory");
        }
        if (!Files.exists(path)) {
            throw fileProblem(s, key, path, "does not exist");
        }
        if (!Files.isReadable(path)) {
            throw fileProblem(s, key, path, "cannot be read (permission denied)");
        }
        return path;
    }

    private ConfigException fileProblem(ConfigSection s, String key, Path path, String problem) {
        String relative = baseDir == null ? "the working directory" : "the config file's directory, " + baseDir;
        return new ConfigException(s.path(key), "config key '" + s.path(key) + "' names file '" + path + "', which "
                + problem + "; expected a readable PEM file (relative paths are resolved against " + relative + ")");
    }

    /**
     * A look for the PEM marker only, so that swapped or wrong files are caught by {@code --check}
     * rather than at the first client; the TLS setup reads the contents. Nothing of the file is
     * shown: the key file is a secret.
     */
    private static void checkPem(ConfigSection s, String key, Path path, String marker, String expected) {
        String head;
        try (InputStream in = Files.newInputStream(path)) {
            head = new String(in.readNBytes(64 * 1024), StandardCharsets.ISO_8859_1);
        } catch (AccessDeniedException e) {
            throw new ConfigException(s.path(key), "config key '" + s.path(key) + "' names file '" + path
                    + "', which cannot be read (permission denied); expected " + expected + " file");
        } catch (IOException e) {
            throw new ConfigException(s.path(key), "config key '" + s.path(key) + "' names file '" + path
                    + "', which cannot be read (" + e.getClass().getSimpleName() + "); expected " + expected + " file");
        }
        if (!head.contains("-----BEGIN ") || !head.contains(marker)) {
            throw new ConfigException(s.path(key), "config key '" + s.path(key) + "' names file '" + path
                    + "', which is not " + expected + " file (no '-----BEGIN ..." + marker + "' line)");
        }
    }

    // ---- backend and limits

    private BackendConfig backend(ConfigSection s) {
        BackendConfig d = BackendConfig.DEFAULTS;
        BackendTls tls = s.choice("tls", d.tls(), BackendTls.class, BackendTls::key);
        Path ca = file(s, "caCertificate");
        if (ca != null && !tls.verifies()) {
            throw new ConfigException(s.path("caCertificate"), "config key '" + s.path("caCertificate") + "' is set "
                    + "but '" + s.path("tls") + "' is " + tls.key() + ", which does not check certificates; expected "
                    + s.path("tls") + ": verify-ca or verify-identity (or leave " + s.path("caCertificate") + " out)");
        }
        if (ca != null) {
            checkPem(s, "caCertificate", ca, "CERTIFICATE-----", "a PEM CA certificate (or several)");
        }
        return new BackendConfig(tls, s.duration("connectTimeout", d.connectTimeout(), true), ca);
    }

    private static LimitsConfig limits(ConfigSection s) {
        LimitsConfig d = LimitsConfig.DEFAULTS;
        int maxConnections = s.integer("maxConnections", d.maxConnections(), 1, Integer.MAX_VALUE);
        Duration authTimeout = s.duration("authTimeout", d.authTimeout(), true);
        long maxMessageBytes = s.bytes("maxMessageBytes", d.maxMessageBytes(), MIN_MESSAGE_BYTES, MAX_MESSAGE_BYTES);
        Duration shutdownGrace = s.duration("shutdownGrace", d.shutdownGrace(), false);
        int workerThreads = s.integer("workerThreads", d.workerThreads(), 0, MAX_WORKER_THREADS);
        Duration readTimeout = s.duration("readTimeout", d.readTimeout(), true);
        return new LimitsConfig(maxConnections, authTimeout, maxMessageBytes, shutdownGrace, workerThreads,
                readTimeout, authFailures(s));
    }

    private static AuthFailureLimits authFailures(ConfigSection s) {
        AuthFailureLimits d = AuthFailureLimits.DEFAULTS;
        int after = s.integer("authFailureDelayAfter", d.after(), 0, MAX_AUTH_FAILURES);
        Duration delay = s.duration("authFailureDelay", d.delay(), true);
        Duration maxDelay = s.duration("authFailureMaxDelay", d.maxDelay(), false);
        Duration window = s.duration("authFailureWindow", d.window(), true);
        if (!maxDelay.isZero() && maxDelay.compareTo(delay) < 0) {
            throw new ConfigException(s.path("authFailureMaxDelay"), "config key '" + s.path("authFailureMaxDelay")
                    + "' (" + maxDelay.toMillis() + " ms) is shorter than '" + s.path("authFailureDelay") + "' ("
                    + delay.toMillis() + " ms); expected a longest delay at least as long as the first (or 0 to "
                    + "turn the slowdown off)");
        }
        if (maxDelay.compareTo(MAX_AUTH_DELAY) > 0) {
            throw s.invalid("authFailureMaxDelay", String.valueOf(s.raw("authFailureMaxDelay")), "at most 1h: a delay longer than "
                    + "that only holds connections open");
        }
        return new AuthFailureLimits(after, delay, maxDelay, window);
    }
}
