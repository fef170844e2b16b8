package io.rwsplit.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rejected config names its key path, shows the bad value and says what is expected. */
class ConfigErrorsTest {

    private static final String NODES = "nodes:\n  - host: db1\n";
    private static final String SECRET = "Pa55-w0rd-Xyz";

    static ConfigException load(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.create().withEnvironment(Map.of("PW", SECRET)::get).loadYaml(yaml));
        assertThat(e).as("config should be rejected:\n%s", yaml).isNotNull();
        assertThat(e.getMessage()).doesNotContain(SECRET);
        return e;
    }

    // ---- unknown keys, at every level

    @Test
    void unknownTopLevelKey() {
        ConfigException e = load(NODES + "maxLagg: 1s\n");
        assertThat(e.key()).isEqualTo("maxLagg");
        assertThat(e.getMessage()).contains("unknown config key 'maxLagg'", "did you mean 'maxLag'?",
                "the top-level keys are: nodes, balance, primaryReadWeight, maxLag");
    }

    @Test
    void unknownNodeKey() {
        ConfigException e = load("nodes:\n  - host: db1\n  - host: db2\n    wieght: 2\n");
        assertThat(e.key()).isEqualTo("nodes[1].wieght");
        assertThat(e.getMessage()).contains("unknown config key 'nodes[1].wieght'", "did you mean 'weight'?",
                "host, port, name, weight, standby, promotable");
    }

    @Test
    void unknownMonitorKey() {
        ConfigException e = load(NODES + "monitor:\n  intervall: 1s\n");
        assertThat(e.key()).isEqualTo("monitor.intervall");
        assertThat(e.getMessage()).contains("unknown config key 'monitor.intervall'",
                "the keys of 'monitor' are: interval, connectTimeout, readTimeout, failCount, recoverCount, user, "
                        + "password, heartbeatTable");
    }

    @Test
    void unknownClassifierKey() {
        ConfigException e = load(NODES + "classifier:\n  cachesize: 5\n");
        assertThat(e.key()).isEqualTo("classifier.cachesize");
        assertThat(e.getMessage()).contains("unknown config key 'classifier.cachesize'", "did you mean 'cacheSize'?",
                "cacheSize, maxCachedLength, maxParseLength, parseTimeout");
    }

    @Test
    void noSuggestionForSomethingUnrelated() {
        assertThat(load(NODES + "colour: blue\n").getMessage()).contains("'colour'").doesNotContain("did you mean");
    }

    // ---- bad values and wrong types

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "maxLag: soon                       | maxLag                    | 'soon'  | a duration such as 500ms",
        "maxLag: -1s                        | maxLag                    | '-1s'   | must not be negative",
        "causalWait: 10 parsecs             | causalWait                | '10 parsecs' | a duration",
        "monitor: {interval: 0}             | monitor.interval          | '0'     | greater than 0",
        "monitor: {readTimeout: 0s}         | monitor.readTimeout       | '0s'    | greater than 0",
        "monitor: {connectTimeout: 1.5}     | monitor.connectTimeout    | '1.5'   | needs a unit",
        "monitor: {failCount: 0}            | monitor.failCount         | '0'     | a whole number, 1 or more",
        "monitor: {recoverCount: x}         | monitor.recoverCount      | 'x'     | a whole number, 1 or more",
        "monitor: {heartbeatTable: hb}      | monitor.heartbeatTable    | 'hb'    | schema.table",
        "monitor: {heartbeatTable: 'a.b;drop'} | monitor.heartbeatTable | 'a.b;drop' | schema.table",
        "classifier: {parseTimeout: 0ms}    | classifier.parseTimeout   | '0ms'   | greater than 0",
        "classifier: {cacheSize: -1}        | classifier.cacheSize      | '-1'    | 0 or more",
        "balance: fastest                   | balance                   | 'fastest' | one of round-robin, weighted, random, least-connections, least-response-time, observed, p2c, hash",
        "fallback: replica                  | fallback                  | 'replica' | one of primary, error",
        "readYourWrites: always             | readYourWrites            | 'always' | one of none, window, causal",
        "failover: auto                     | failover                  | 'auto'  | one of off, follow, promote",
        "primaryReadWeight: -2              | primaryReadWeight         | '-2'    | 0 or more",
        "primaryReadWeight: 99999999999     | primaryReadWeight         | '99999999999' | 0 or more",
        "readYourWrites: window\\nreadYourWritesWindow: 0 | readYourWritesWindow | '0' | greater than 0 when readYourWrites is window",
    })
    void badValuesNameTheKeyTheValueAndWhatIsExpected(String yaml, String key, String shown, String expected) {
        ConfigException e = load(NODES + yaml.replace("\\n", "\n") + "\n");
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.getMessage()).contains("'" + key + "'", shown, expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "nodes:\\n  - host: db1\\n    port: abc        | nodes[0].port       | 'abc'  | a whole number from 1 to 65535",
        "nodes:\\n  - host: db1\\n    port: 0          | nodes[0].port       | '0'    | a whole number from 1 to 65535",
        "nodes:\\n  - host: db1\\n    port: 65536      | nodes[0].port       | '65536' | a whole number from 1 to 65535",
        "nodes:\\n  - host: db1\\n    port: 3306.5     | nodes[0].port       | '3306.5' | a whole number",
        "nodes:\\n  - host: db1\\n  - host: db2\\n    weight: -1 | nodes[1].weight | '-1' | 0 or more",
        "nodes:\\n  - host: db1\\n    standby: yes     | nodes[0].standby    | 'yes'  | true or false",
        "nodes:\\n  - host: db1\\n    name: ''         | nodes[0].name       | ''''   | a non-empty name",
    })
    void badNodeValues(String yaml, String key, String shown, String expected) {
        ConfigException e = load(yaml.replace("\\n", "\n") + "\n");
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.getMessage()).contains("'" + key + "'", shown, expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "nodes:\\n  - host: db1\\n    port: [3306, 3307] | nodes[0].port      | a list",
        "nodes:\\n  - host: {name: db1}                 | nodes[0].host      | a section",
        "nodes: db1:3306                               | nodes              | a single value",
        "nodes:\\n  - db1:3306                          | nodes[0]           | a single value",
        "nodes:\\n  - host: db1\\nmaxLag: [1s]           | maxLag             | a list",
        "nodes:\\n  - host: db1\\nmonitor: fast          | monitor            | a single value",
        "nodes:\\n  - host: db1\\nclassifier: [1, 2]     | classifier         | a list",
    })
    void wrongTypesNameTheKey(String yaml, String key, String got) {
        ConfigException e = load(yaml.replace("\\n", "\n") + "\n");
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.getMessage()).contains("'" + key + "'", "expected", "but got " + got);
    }

    @Test
    void aWrongTypeForThePasswordDoesNotShowIt() {
        ConfigException e = load(NODES + "monitor:\n  user: mon\n  password: [" + SECRET + "]\n");
        assertThat(e.key()).isEqualTo("monitor.password");
    }

    // ---- nodes

    @Test
    void nodesAreRequired() {
        ConfigException e = load("balance: random\n");
        assertThat(e.key()).isEqualTo("nodes");
        assertThat(e.getMessage()).contains("missing config key 'nodes'", "at least one node");
    }

    @Test
    void anEmptyDocumentHasNoNodes() {
        assertThat(load("").key()).isEqualTo("nodes");
        assertThat(load("# nothing here\n").key()).isEqualTo("nodes");
    }

    @Test
    void theNodeListMustNotBeEmpty() {
        ConfigException e = load("nodes: []\n");
        assertThat(e.key()).isEqualTo("nodes");
        assertThat(e.getMessage()).contains("'nodes'", "empty", "at least one node");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodes:\n  - port: 3306\n", "nodes:\n  - host: ''\n", "nodes:\n  - host:\n"})
    void aNodeNeedsAHost(String yaml) {
        ConfigException e = load(yaml);
        assertThat(e.key()).isEqualTo("nodes[0].host");
        assertThat(e.getMessage()).contains("'nodes[0].host'", "host name or IP address");
    }

    @Test
    void nodeNamesMustBeUnique() {
        ConfigException e = load("nodes:\n  - {host: db1, name: a}\n  - {host: db2, name: b}\n  - {host: db3, name: a}\n");
        assertThat(e.key()).isEqualTo("nodes[2].name");
        assertThat(e.getMessage()).contains("duplicate node name 'a'", "'nodes[2].name'", "nodes[0]", "unique");
    }

    @Test
    void aDefaultNameCanClashWithAGivenOne() {
        ConfigException e = load("nodes:\n  - {host: db1, name: 'db2:3306'}\n  - {host: db2}\n");
        assertThat(e.key()).isEqualTo("nodes[1].name");
        assertThat(e.getMessage()).contains("duplicate node name 'db2:3306'", "default name is host:port");
    }

    @Test
    void aServerIsListedOnce() {
        ConfigException e = load("nodes:\n  - {host: db1, name: a}\n  - {host: DB1, port: 3306, name: b}\n");
        assertThat(e.key()).isEqualTo("nodes[1]");
        assertThat(e.getMessage()).contains("duplicate node address 'DB1:3306'", "nodes[0]");
    }

    // ---- monitor account

    @Test
    void aPasswordNeedsAUser() {
        ConfigException e = load(NODES + "monitor:\n  password: " + SECRET + "\n");
        assertThat(e.key()).isEqualTo("monitor.password");
        assertThat(e.getMessage()).contains("'monitor.user' is not", "application's credentials");
    }

    @Test
    void aPasswordFromTheEnvironmentNeedsAUserToo() {
        assertThat(load(NODES + "monitor:\n  password: ${PW}\n").key()).isEqualTo("monitor.password");
    }

    // ---- YAML itself

    @Test
    void syntaxErrorsGiveTheLineButNotTheSourceText() {
        String yaml = NODES + "monitor:\n  user: mon\n  password: " + SECRET + ": oops\n";
        ConfigException e = load(yaml);
        assertThat(e.getMessage()).contains("not valid YAML", "line 5", "mapping values are not allowed");
        assertThat(e.getCause()).isNull();
    }

    @Test
    void duplicateKeysAreRejected() {
        ConfigException e = load(NODES + "monitor:\n  interval: 1s\n  interval: 2s\n");
        assertThat(e.key()).isEqualTo("monitor.interval");
        assertThat(e.getMessage()).contains("duplicate config key 'monitor.interval'");
    }

    @Test
    void aliasesAreRejected() {
        ConfigException e = load(NODES + "maxLag: &lag 2s\ncausalWait: *lag\n");
        assertThat(e.key()).isEqualTo("causalWait");
        assertThat(e.getMessage()).contains("alias");
    }

    @Test
    void theTopLevelMustBeAMapping() {
        assertThat(load("- host: db1\n").getMessage()).contains("must be a mapping", "a list");
        assertThat(load("just text\n").getMessage()).contains("must be a mapping");
    }

    @Test
    void onlyOneDocument() {
        assertThat(load(NODES + "---\nbalance: random\n").getMessage()).contains("more than one YAML document");
    }

    @Test
    void longValuesAreCutInMessages() {
        String longValue = "x".repeat(500);
        ConfigException e = load(NODES + "balance: " + longValue + "\n");
        assertThat(e.getMessage()).contains("x".repeat(80) + "...").doesNotContain("x".repeat(81));
    }
}
