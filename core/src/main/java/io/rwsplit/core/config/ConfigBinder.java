package io.rwsplit.core.config;

import io.rwsplit.core.topology.NodeSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns a config tree (from YAML or from JDBC properties, see {@link ConfigLoader}) into an
 * {@link RwsplitConfig}: knows every key, its default and its rules. The one place both front
 * ends' settings pass through, so they get the same keys, defaults and messages.
 */
final class ConfigBinder {

    static final List<String> TOP_KEYS = List.of("nodes", "balance", "primaryReadWeight", "maxLag", "fallback",
            "readYourWrites", "readYourWritesWindow", "causalWait", "failover", "monitor", "classifier", "pool", "switchover", "autoRejoin",
            "replication");
    static final List<String> NODE_KEYS = List.of("host", "port", "name", "weight", "standby", "promotable");
    static final List<String> MONITOR_KEYS = List.of("interval", "connectTimeout", "readTimeout", "failCount",
            "recoverCount", "user", "password", "heartbeatTable");
    static final List<String> CLASSIFIER_KEYS = List.of("cacheSize", "maxCachedLength", "maxParseLength",
            "parseTimeout");
    static final List<String> SWITCHOVER_KEYS = List.of("catchupTimeout", "holdTimeout");
    static final List<String> REPLICATION_KEYS = List.of("user", "password");
    static final List<String> POOL_KEYS = List.of("minIdle", "maxSize", "acquireTimeout", "idleTimeout",
            "maxLifetime");

    static final BalanceStrategy DEFAULT_BALANCE = BalanceStrategy.ROUND_ROBIN;
    static final int DEFAULT_PRIMARY_READ_WEIGHT = 0;
    static final Duration DEFAULT_MAX_LAG = Duration.ofSeconds(10);
    static final Fallback DEFAULT_FALLBACK = Fallback.PRIMARY;
    static final ReadYourWrites DEFAULT_READ_YOUR_WRITES = ReadYourWrites.NONE;
    static final Duration DEFAULT_READ_YOUR_WRITES_WINDOW = Duration.ofMillis(500);
    static final Duration DEFAULT_CAUSAL_WAIT = Duration.ofMillis(200);

    /** MySQL's identifier characters we accept unquoted, and its 64-character identifier limit. */
    private static final Pattern HEARTBEAT_TABLE = Pattern.compile("[A-Za-z0-9_]{1,64}\\.[A-Za-z0-9_]{1,64}");

    private final Function<String, String> env;
    private final FailoverMode defaultFailover;

    ConfigBinder(Function<String, String> env, FailoverMode defaultFailover) {
        this.env = Objects.requireNonNull(env, "env");
        this.defaultFailover = Objects.requireNonNull(defaultFailover, "defaultFailover");
    }

    RwsplitConfig bind(Map<String, Object> tree) {
        return bind(tree, List.of());
    }

    /**
     * @param frontEndKeys top-level keys a front end binds itself (see {@link ConfigLoader}); they
     *                     are not in {@code tree}, but an unknown key is compared with them too
     */
    RwsplitConfig bind(Map<String, Object> tree, List<String> frontEndKeys) {
        List<String> known = TOP_KEYS;
        if (!frontEndKeys.isEmpty()) {
            known = new ArrayList<>(TOP_KEYS);
            known.addAll(frontEndKeys);
        }
        ConfigSection top = ConfigSection.of(tree, "", known);
        List<NodeConfig> nodes = nodes(top);
        BalanceStrategy balance = top.choice("balance", DEFAULT_BALANCE, BalanceStrategy.class, BalanceStrategy::key);
        int primaryReadWeight = top.integer("primaryReadWeight", DEFAULT_PRIMARY_READ_WEIGHT, 0, Integer.MAX_VALUE);
        Duration maxLag = top.duration("maxLag", DEFAULT_MAX_LAG, false);
        Fallback fallback = top.choice("fallback", DEFAULT_FALLBACK, Fallback.class, ConfigBinder::lower);
        ReadYourWrites ryw = top.choice("readYourWrites", DEFAULT_READ_YOUR_WRITES, ReadYourWrites.class,
                ConfigBinder::lower);
        Duration window = top.duration("readYourWritesWindow", DEFAULT_READ_YOUR_WRITES_WINDOW, false);
        if (ryw == ReadYourWrites.WINDOW && window.isZero()) {
            // A zero window silently means "none"; say so rather than let the operator wonder.
            throw top.invalid("readYourWritesWindow", top.string("readYourWritesWindow", "0"),
                    "a duration greater than 0 when readYourWrites is window (or set readYourWrites: none)");
        }
        Duration causalWait = top.duration("causalWait", DEFAULT_CAUSAL_WAIT, false);
        FailoverMode failover = top.choice("failover", defaultFailover, FailoverMode.class, ConfigBinder::lower);
        MonitorConfig monitor = monitor(top.section("monitor", MONITOR_KEYS));
        ClassifierConfig classifier = classifier(top.section("classifier", CLASSIFIER_KEYS));
        PoolConfig pool = pool(top.section("pool", POOL_KEYS));
        SwitchoverConfig switchover = switchover(top.section("switchover", SWITCHOVER_KEYS));
        boolean autoRejoin = top.bool("autoRejoin", false);
        ReplicationConfig replication = replication(top.section("replication", REPLICATION_KEYS));
        return new RwsplitConfig(nodes, balance, primaryReadWeight, maxLag, fallback, ryw, window, causalWait,
                failover, monitor, classifier, pool, switchover, autoRejoin, replication);
    }

    private List<NodeConfig> nodes(ConfigSection top) {
        Object raw = top.raw("nodes");
        String expected = "a list of at least one node, each with at least a host (the first node is the primary)";
        if (raw == null) {
            throw new ConfigException("nodes", "missing config key 'nodes': expected " + expected);
        }
        if (!(raw instanceof List<?> list)) {
            throw new ConfigException("nodes", "invalid value for config key 'nodes': expected " + expected
                    + ", but got " + ConfigSection.kind(raw));
        }
        if (list.isEmpty()) {
            throw new ConfigException("nodes", "invalid value for config key 'nodes': the list is empty; expected "
                    + expected);
        }
        List<NodeConfig> nodes = new ArrayList<>();
        Map<String, Integer> byName = new HashMap<>();
        Map<String, Integer> byAddress = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            ConfigSection s = ConfigSection.of(list.get(i), "nodes[" + i + "]", NODE_KEYS);
            NodeConfig node = node(s);
            // The same server twice would get twice the reads and confuse failover; always a typo.
            String address = node.host().toLowerCase(Locale.ROOT) + ":" + node.port();
            Integer sameAddress = byAddress.putIfAbsent(address, i);
            if (sameAddress != null) {
                throw new ConfigException(s.path(), "duplicate node address '" + node.host() + ":" + node.port()
                        + "' at config key '" + s.path() + "' (nodes[" + sameAddress + "] has it too); "
                        + "expected each server to be listed once");
            }
            Integer sameName = byName.putIfAbsent(node.name(), i);
            if (sameName != null) {
                throw new ConfigException(s.path("name"), "duplicate node name '" + node.name() + "' at config key '"
                        + s.path("name") + "' (nodes[" + sameName + "] has it too); expected a unique name per node"
                        + (s.has("name") ? "" : " (the default name is host:port)"));
            }
            nodes.add(node);
        }
        return nodes;
    }

    private static NodeConfig node(ConfigSection s) {
        String host = s.string("host", null);
        if (host == null || host.isBlank()) {
            throw new ConfigException(s.path("host"), (host == null ? "missing config key '" + s.path("host") + "'"
                    : "invalid value '' for config key '" + s.path("host") + "'")
                    + ": expected the server's host name or IP address");
        }
        host = host.trim();
        int port = s.integer("port", NodeConfig.DEFAULT_PORT, 1, 65535);
        String name = s.string("name", host + ":" + port);
        if (name.isBlank()) {
            throw s.invalid("name", name, "a non-empty name (or leave it out for host:port)");
        }
        int weight = s.integer("weight", NodeSettings.DEFAULT.weight(), 0, Integer.MAX_VALUE);
        boolean standby = s.bool("standby", NodeSettings.DEFAULT.standby());
        boolean promotable = s.bool("promotable", NodeSettings.DEFAULT.promotable());
        return new NodeConfig(name.trim(), host, port, weight, standby, promotable);
    }

    private MonitorConfig monitor(ConfigSection s) {
        MonitorConfig d = MonitorConfig.DEFAULTS;
        Duration interval = s.duration("interval", d.interval(), true);
        Duration connectTimeout = s.duration("connectTimeout", d.connectTimeout(), true);
        Duration readTimeout = s.duration("readTimeout", d.readTimeout(), true);
        int failCount = s.integer("failCount", d.failCount(), 1, Integer.MAX_VALUE);
        int recoverCount = s.integer("recoverCount", d.recoverCount(), 1, Integer.MAX_VALUE);
        String user = s.string("user", d.user());
        if (user != null && user.isBlank()) {
            user = null; // blank is how a JDBC URL says "not set"
        }
        String password = s.secret("password", d.password(), env);
        if (user == null && !password.isEmpty()) {
            throw new ConfigException(s.path("password"), "config key '" + s.path("password") + "' is set but '"
                    + s.path("user") + "' is not; expected both (a monitor account) or neither (the monitor then "
                    + "uses the application's credentials)");
        }
        String heartbeatTable = s.string("heartbeatTable", d.heartbeatTable()).trim();
        if (!heartbeatTable.isEmpty() && !HEARTBEAT_TABLE.matcher(heartbeatTable).matches()) {
            throw s.invalid("heartbeatTable", heartbeatTable,
                    "'' (off) or schema.table, each name 1-64 characters of letters, digits and _");
        }
        return new MonitorConfig(interval, connectTimeout, readTimeout, failCount, recoverCount, user, password,
                heartbeatTable);
    }

    private static ClassifierConfig classifier(ConfigSection s) {
        ClassifierConfig d = ClassifierConfig.DEFAULTS;
        return new ClassifierConfig(
                s.integer("cacheSize", d.cacheSize(), 0, Integer.MAX_VALUE),
                s.integer("maxCachedLength", d.maxCachedLength(), 0, Integer.MAX_VALUE),
                s.integer("maxParseLength", d.maxParseLength(), 0, Integer.MAX_VALUE),
                s.duration("parseTimeout", d.parseTimeout(), true));
    }

    private static PoolConfig pool(ConfigSection s) {
        PoolConfig d = PoolConfig.DEFAULTS;
        int maxSize = s.integer("maxSize", d.maxSize(), 1, 100_000);
        int minIdle = s.integer("minIdle", d.minIdle(), 0, maxSize);
        return new PoolConfig(minIdle, maxSize, s.duration("acquireTimeout", d.acquireTimeout(), true),
                s.duration("idleTimeout", d.idleTimeout(), true), s.duration("maxLifetime", d.maxLifetime(), true));
    }

    private static SwitchoverConfig switchover(ConfigSection s) {
        SwitchoverConfig d = SwitchoverConfig.DEFAULTS;
        return new SwitchoverConfig(s.duration("catchupTimeout", d.catchupTimeout(), true),
                s.duration("holdTimeout", d.holdTimeout(), true));
    }

    private ReplicationConfig replication(ConfigSection s) {
        String user = s.string("user", null);
        if (user != null && user.isBlank()) {
            user = null;
        }
        String password = s.secret("password", "", env);
        if (user == null && !password.isEmpty()) {
            throw new ConfigException(s.path("password"), "config key '" + s.path("password") + "' is set but '"
                    + s.path("user") + "' is not; expected both (the replication account) or neither (former "
                    + "primaries then replicate with the monitor's account)");
        }
        return new ReplicationConfig(user, password);
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
