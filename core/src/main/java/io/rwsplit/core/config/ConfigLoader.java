package io.rwsplit.core.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Loads an {@link RwsplitConfig} from a YAML file (proxy) or from JDBC URL properties (driver).
 *
 * <p>Both sources become the same tree of nested maps, lists and text, which one binder turns
 * into the config, so both front ends share keys, defaults and error messages. Unknown keys are
 * errors, never ignored: a misspelt {@code maxLag} silently keeping its default is worse than
 * refusing to start.
 *
 * <p>The static methods use the process environment and {@code failover: follow} as default; a
 * front end wanting another default, or a test wanting a fake environment, uses
 * {@link #create()} with {@link #withDefaultFailover} / {@link #withEnvironment}. Instances are
 * immutable.
 *
 * <p>A front end whose file holds keys of its own besides these (the proxy's {@code listen},
 * {@code users}, ...) uses {@link #loadYaml(Path, List, FrontEndBinder)}: one read of the file, the
 * shared keys bound here, its own keys bound by its {@link FrontEndBinder} with the same
 * {@link ConfigSection} getters and messages, and an unknown key still an error whose "did you
 * mean" considers both.
 *
 * <p>Keys (YAML spelling; the JDBC spelling is {@code rwsplit.} plus the dotted path, e.g.
 * {@code rwsplit.monitor.interval=500ms}):
 * <pre>
 * nodes:                      # required, 1 or more; the first is the primary until the monitor says otherwise
 *   - host: db1               # required
 *     port: 3306              # 1..65535
 *     name: db1               # default host:port; unique
 *     weight: 1               # 0 or more
 *     standby: false
 *     promotable: true
 * balance: round-robin        # round-robin weighted random least-connections least-response-time observed p2c hash
 * primaryReadWeight: 0
 * maxLag: 10s                 # durations: 500ms 2s 1.5s 1m 1h; a bare number is milliseconds
 * fallback: primary           # primary | error
 * readYourWrites: none        # none | window | causal
 * readYourWritesWindow: 500ms
 * causalWait: 200ms
 * failover: follow            # off | follow | promote (front ends may change the default)
 * monitor:
 *   interval: 1s
 *   connectTimeout: 1s
 *   readTimeout: 2s
 *   failCount: 3
 *   recoverCount: 2
 *   user:                     # unset: the monitor uses the application's credentials
 *   password: ""              # or ${ENV_VAR} to read it from the environment
 *   heartbeatTable: ""        # "" = off, else schema.table
 * classifier: {cacheSize: 10000, maxCachedLength: 4096, maxParseLength: 65536, parseTimeout: 250ms}
 * pool: {minIdle: 0, maxSize: 10, acquireTimeout: 5s, idleTimeout: 1m, maxLifetime: 30m}
 * switchover: {catchupTimeout: 2s, holdTimeout: 10s}   # keep catchupTimeout well under holdTimeout / 2
 * autoRejoin: false           # a fenced old primary that comes back replicates from the new one if it can
 * replication: {user: , password: ""}   # unset: former primaries replicate with the monitor's account
 * </pre>
 */
public final class ConfigLoader {

    /** JDBC properties with this prefix are rwsplit's; the rest belong to Connector/J. */
    public static final String PROPERTY_PREFIX = "rwsplit.";
    /** JDBC property naming a YAML file read first; the other {@code rwsplit.*} properties override it. */
    public static final String CONFIG_FILE_PROPERTY = PROPERTY_PREFIX + "config";

    private final Function<String, String> env;
    private final FailoverMode defaultFailover;

    private ConfigLoader(Function<String, String> env, FailoverMode defaultFailover) {
        this.env = Objects.requireNonNull(env, "env");
        this.defaultFailover = Objects.requireNonNull(defaultFailover, "defaultFailover");
    }

    /** A loader reading {@code ${VAR}} references from the process environment, with {@code failover: follow}. */
    public static ConfigLoader create() {
        return new ConfigLoader(System::getenv, FailoverMode.FOLLOW);
    }

    /** @param lookup returns an environment variable's value, or {@code null} if it is not set */
    public ConfigLoader withEnvironment(Function<String, String> lookup) {
        return new ConfigLoader(lookup, defaultFailover);
    }

    /** @param mode the failover mode when the config does not say (a front end's own default) */
    public ConfigLoader withDefaultFailover(FailoverMode mode) {
        return new ConfigLoader(env, mode);
    }

    public static RwsplitConfig fromYaml(Path file) {
        return create().loadYaml(file);
    }

    public static RwsplitConfig fromYaml(String yamlText) {
        return create().loadYaml(yamlText);
    }

    public static RwsplitConfig fromProperties(Map<String, String> props, List<NodeConfig> nodesFromUrl) {
        return create().loadProperties(props, nodesFromUrl);
    }

    public RwsplitConfig loadYaml(Path file) {
        String source = "config file '" + file + "'";
        Map<String, Object> tree = readFile(file, source);
        try {
            return binder().bind(tree);
        } catch (ConfigException e) {
            throw new ConfigException(e.key(), source + ": " + e.getMessage(), e);
        }
    }

    public RwsplitConfig loadYaml(String yamlText) {
        return binder().bind(new YamlTree().read(Objects.requireNonNull(yamlText, "yamlText"), "the YAML config"));
    }

    /**
     * Reads a file holding the shared keys and a front end's own top-level keys. Problems are
     * reported as by {@link #loadYaml(Path)}, prefixed with the file.
     *
     * @param frontEndKeys the front end's top-level keys, in documentation order; none may be a
     *                     shared key
     * @param frontEnd     binds those keys; called after the shared keys bound without error
     * @throws ConfigException naming the key, for an unknown key or a value either side cannot use
     */
    public <T> ConfigDocument<T> loadYaml(Path file, List<String> frontEndKeys, FrontEndBinder<T> frontEnd) {
        checkFrontEndKeys(frontEndKeys);
        Objects.requireNonNull(frontEnd, "frontEnd");
        String source = "config file '" + file + "'";
        Map<String, Object> tree = readFile(file, source);
        try {
            return bind(tree, frontEndKeys, frontEnd);
        } catch (ConfigException e) {
            throw new ConfigException(e.key(), source + ": " + e.getMessage(), e);
        }
    }

    /** {@link #loadYaml(Path, List, FrontEndBinder)} from text (tests, or a config not in a file). */
    public <T> ConfigDocument<T> loadYaml(String yamlText, List<String> frontEndKeys, FrontEndBinder<T> frontEnd) {
        checkFrontEndKeys(frontEndKeys);
        Objects.requireNonNull(frontEnd, "frontEnd");
        Map<String, Object> tree = new YamlTree().read(Objects.requireNonNull(yamlText, "yamlText"), "the YAML config");
        return bind(tree, frontEndKeys, frontEnd);
    }

    private <T> ConfigDocument<T> bind(Map<String, Object> tree, List<String> frontEndKeys,
            FrontEndBinder<T> frontEnd) {
        Map<String, Object> shared = new LinkedHashMap<>();
        Map<String, Object> own = new LinkedHashMap<>();
        tree.forEach((k, v) -> (frontEndKeys.contains(k) ? own : shared).put(k, v));
        RwsplitConfig routing = binder().bind(shared, frontEndKeys);
        T settings = frontEnd.bind(ConfigSection.of(own, "", frontEndKeys), env);
        return new ConfigDocument<>(routing, settings);
    }

    /** A clash would make a key mean two things; that is the front end's bug, not the operator's. */
    private static void checkFrontEndKeys(List<String> frontEndKeys) {
        Objects.requireNonNull(frontEndKeys, "frontEndKeys");
        for (String key : frontEndKeys) {
            if (ConfigBinder.TOP_KEYS.contains(key)) {
                throw new IllegalArgumentException("front-end key '" + key + "' is a shared config key; the shared "
                        + "keys are " + String.join(", ", ConfigBinder.TOP_KEYS));
            }
            if (frontEndKeys.indexOf(key) != frontEndKeys.lastIndexOf(key)) {
                throw new IllegalArgumentException("front-end key '" + key + "' is listed twice");
            }
        }
    }

    /**
     * @param props        JDBC connection properties; only {@code rwsplit.*} keys are read
     * @param nodesFromUrl the URL's hosts in order (may be empty). They are the nodes; a node of the
     *                     {@code rwsplit.config} file with the same host and port lends them its name,
     *                     weight, standby and promotable, which a URL cannot express. Only when the URL
     *                     gives no hosts are the file's nodes used as they are.
     */
    public RwsplitConfig loadProperties(Map<String, String> props, List<NodeConfig> nodesFromUrl) {
        Objects.requireNonNull(props, "props");
        String file = props.get(CONFIG_FILE_PROPERTY);
        boolean hasFile = file != null && !file.isBlank();
        Map<String, Object> tree = hasFile ? readConfigFileProperty(file.trim()) : new LinkedHashMap<>();

        // Sorted so that a parent key (rwsplit.monitor) is met before its children and errors are repeatable.
        Map<String, String> overrides = new TreeMap<>();
        props.forEach((k, v) -> {
            if (k != null && v != null && k.startsWith(PROPERTY_PREFIX) && !k.equals(CONFIG_FILE_PROPERTY)) {
                overrides.put(k, v);
            }
        });
        overrides.forEach((k, v) -> PropertyTree.put(tree, k, k.substring(PROPERTY_PREFIX.length()), v));

        boolean urlNodes = nodesFromUrl != null && !nodesFromUrl.isEmpty();
        if (urlNodes) {
            tree.put("nodes", mergeNodes(nodesFromUrl, tree.get("nodes")));
        }
        try {
            return binder().bind(tree);
        } catch (ConfigException e) {
            throw new ConfigException(e.key(), e.getMessage() + origin(e.key(), overrides, urlNodes, hasFile ? file : null),
                    e);
        }
    }

    private ConfigBinder binder() {
        return new ConfigBinder(env, defaultFailover);
    }

    private Map<String, Object> readConfigFileProperty(String file) {
        Path path;
        try {
            path = Path.of(file);
        } catch (InvalidPathException e) {
            throw new ConfigException("config", "invalid value '" + file + "' for JDBC property '"
                    + CONFIG_FILE_PROPERTY + "': expected the path of a YAML config file (" + e.getReason() + ")");
        }
        return readFile(path, "config file '" + file + "' (from " + CONFIG_FILE_PROPERTY + ")");
    }

    private static Map<String, Object> readFile(Path file, String source) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(null, source + " does not exist (working directory: "
                    + Path.of("").toAbsolutePath() + ")");
        } catch (AccessDeniedException e) {
            throw new ConfigException(null, source + " cannot be read: permission denied");
        } catch (CharacterCodingException e) {
            throw new ConfigException(null, source + " is not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(null, source + " cannot be read: " + e, e);
        }
        return new YamlTree().read(text, source);
    }

    /**
     * URL order decides the nodes (the first is the primary); a file node at the same address
     * supplies the settings a URL cannot carry.
     */
    private static List<Object> mergeNodes(List<NodeConfig> fromUrl, Object fromFile) {
        List<?> fileNodes = fromFile instanceof List<?> l ? l : List.of();
        List<Object> merged = new ArrayList<>();
        for (NodeConfig n : fromUrl) {
            Object node = asTree(n);
            for (Object f : fileNodes) {
                if (sameAddress(f, n)) {
                    node = f;
                    break;
                }
            }
            merged.add(node);
        }
        return merged;
    }

    private static boolean sameAddress(Object fileNode, NodeConfig n) {
        if (!(fileNode instanceof Map<?, ?> m) || !(m.get("host") instanceof String host) || n.host() == null) {
            return false;
        }
        Object port = m.get("port");
        String portText = port == null ? String.valueOf(NodeConfig.DEFAULT_PORT) : String.valueOf(port).trim();
        return host.trim().toLowerCase(Locale.ROOT).equals(n.host().trim().toLowerCase(Locale.ROOT))
                && portText.equals(String.valueOf(n.port()));
    }

    /** A URL node as tree text, so it is validated by the binder like any other node. */
    private static Map<String, Object> asTree(NodeConfig n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", n.host());
        m.put("port", String.valueOf(n.port()));
        m.put("name", n.name());
        m.put("weight", String.valueOf(n.weight()));
        m.put("standby", String.valueOf(n.standby()));
        m.put("promotable", String.valueOf(n.promotable()));
        return m;
    }

    /** Points a binder error at where the value came from: the merged tree no longer knows. */
    private static String origin(String key, Map<String, String> overrides, boolean urlNodes, String file) {
        if (key == null) {
            return "";
        }
        for (String property : overrides.keySet()) {
            String path = property.substring(PROPERTY_PREFIX.length());
            if (path.equals(key) || path.startsWith(key + ".")) {
                return " (set by JDBC property '" + property + "')";
            }
        }
        if (urlNodes && key.startsWith("nodes")) {
            return " (nodes come from the JDBC URL's host list)";
        }
        if (!urlNodes && key.equals("nodes")) {
            return " (list the hosts in the JDBC URL, or the nodes in the file named by " + CONFIG_FILE_PROPERTY + ")";
        }
        return file == null ? "" : " (from config file '" + file + "')";
    }
}
