package io.rwsplit.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderPropertiesTest {

    private static final List<NodeConfig> URL_NODES = List.of(NodeConfig.of("db1", 3306), NodeConfig.of("db2", 3307));

    @TempDir
    Path dir;

    private Path baseFile() throws Exception {
        Path file = dir.resolve("rwsplit.yaml");
        Files.copy(ConfigLoaderYamlTest.resource("base.yaml"), file);
        return file;
    }

    private static ConfigException rejected(Map<String, String> props, List<NodeConfig> nodes) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.fromProperties(props, nodes));
        assertThat(e).as("properties should be rejected: %s", props).isNotNull();
        return e;
    }

    @Test
    void urlNodesAndRwsplitProperties() {
        Map<String, String> props = Map.of(
                "user", "app", "password", "app-pw", "useSSL", "false", // Connector/J's, not ours
                "rwsplit.balance", "weighted",
                "rwsplit.maxLag", "2s",
                "rwsplit.readYourWrites", "window",
                "rwsplit.monitor.interval", "500ms",
                "rwsplit.monitor.user", "mon",
                "rwsplit.classifier.cacheSize", "0");

        RwsplitConfig c = ConfigLoader.fromProperties(props, URL_NODES);

        assertThat(c.nodes()).containsExactlyElementsOf(URL_NODES);
        assertThat(c.balance()).isEqualTo(BalanceStrategy.WEIGHTED);
        assertThat(c.maxLag()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.readYourWrites()).isEqualTo(ReadYourWrites.WINDOW);
        assertThat(c.monitor().interval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.monitor().user()).isEqualTo("mon");
        assertThat(c.monitor().readTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.classifier().cacheSize()).isZero();
        assertThat(c.failover()).isEqualTo(FailoverMode.FOLLOW);
    }

    @Test
    void onlyUrlNodesGivesTheSameDefaultsAsAMinimalYaml() {
        RwsplitConfig fromUrl = ConfigLoader.fromProperties(Map.of(), List.of(NodeConfig.of("127.0.0.1", 3306)));
        assertThat(fromUrl).isEqualTo(ConfigLoader.fromYaml(ConfigLoaderYamlTest.resource("minimal.yaml")));
    }

    @Test
    void aNullNodeNameFromTheUrlDefaultsToHostAndPort() {
        RwsplitConfig c = ConfigLoader.fromProperties(Map.of(),
                List.of(new NodeConfig(null, "db9", 3310, 1, false, true)));
        assertThat(c.nodes().get(0).name()).isEqualTo("db9:3310");
    }

    @Test
    void aConfigFileWithPropertyOverrides() throws Exception {
        Map<String, String> props = Map.of(
                "rwsplit.config", baseFile().toString(),
                "rwsplit.maxLag", "750ms",
                "rwsplit.monitor.user", "other",
                "rwsplit.fallback", "error");

        RwsplitConfig c = ConfigLoader.fromProperties(props, List.of());

        // Nodes: the URL gives none, so the file's are used as they are.
        assertThat(c.nodes()).containsExactly(
                new NodeConfig("one", "db1", 3306, 5, false, true),
                new NodeConfig("two", "db2", 3307, 1, true, true));
        assertThat(c.balance()).isEqualTo(BalanceStrategy.WEIGHTED); // file
        assertThat(c.maxLag()).isEqualTo(Duration.ofMillis(750)); // property over file
        assertThat(c.fallback()).isEqualTo(Fallback.ERROR); // property only
        assertThat(c.monitor().interval()).isEqualTo(Duration.ofSeconds(2)); // file, sibling of an override
        assertThat(c.monitor().user()).isEqualTo("other");
        assertThat(c.monitor().password()).isEqualTo("from-file");
    }

    @Test
    void urlNodesWinOverFileNodesButKeepTheirSettings() throws Exception {
        List<NodeConfig> url = List.of(NodeConfig.of("DB2", 3307), NodeConfig.of("db3", 3306), NodeConfig.of("db1", 3306));

        RwsplitConfig c = ConfigLoader.fromProperties(Map.of("rwsplit.config", baseFile().toString()), url);

        // URL order (DB2 first: the primary hint); file settings for the addresses it knows; db3 is new.
        assertThat(c.nodes()).containsExactly(
                new NodeConfig("two", "db2", 3307, 1, true, true),
                new NodeConfig("db3:3306", "db3", 3306, 1, false, true),
                new NodeConfig("one", "db1", 3306, 5, false, true));
    }

    @Test
    void thePasswordPropertyMayComeFromTheEnvironment() {
        Map<String, String> props = Map.of("rwsplit.monitor.user", "mon", "rwsplit.monitor.password", "${MON_PW}");
        RwsplitConfig c = ConfigLoader.create().withEnvironment(Map.of("MON_PW", "hunter2")::get)
                .loadProperties(props, URL_NODES);
        assertThat(c.monitor().password()).isEqualTo("hunter2");
    }

    @Test
    void aFrontEndMayChangeTheFailoverDefault() {
        ConfigLoader driver = ConfigLoader.create().withDefaultFailover(FailoverMode.OFF);
        assertThat(driver.loadProperties(Map.of(), URL_NODES).failover()).isEqualTo(FailoverMode.OFF);
        assertThat(driver.loadProperties(Map.of("rwsplit.failover", "PROMOTE"), URL_NODES).failover())
                .isEqualTo(FailoverMode.PROMOTE);
    }

    @Test
    void nullValuesAndNodeListAreTolerated() {
        Map<String, String> props = new HashMap<>();
        props.put("rwsplit.maxLag", null);
        props.put("rwsplit.config", "");
        assertThat(rejected(props, null).key()).isEqualTo("nodes");
    }

    // ---- errors

    @Test
    void noNodesAnywhere() {
        ConfigException e = rejected(Map.of("user", "app"), List.of());
        assertThat(e.key()).isEqualTo("nodes");
        assertThat(e.getMessage()).contains("missing config key 'nodes'", "JDBC URL", "rwsplit.config");
    }

    @Test
    void anUnknownPropertyIsRejectedWithItsName() {
        ConfigException e = rejected(Map.of("rwsplit.monitor.intervall", "1s"), URL_NODES);
        assertThat(e.key()).isEqualTo("monitor.intervall");
        assertThat(e.getMessage()).contains("unknown config key 'monitor.intervall'", "did you mean 'interval'?",
                "JDBC property 'rwsplit.monitor.intervall'");
    }

    @Test
    void anUnknownSectionIsRejected() {
        ConfigException e = rejected(Map.of("rwsplit.monitoring.interval", "1s"), URL_NODES);
        assertThat(e.key()).isEqualTo("monitoring");
        assertThat(e.getMessage()).contains("unknown config key 'monitoring'", "'rwsplit.monitoring.interval'");
    }

    @Test
    void aBadPropertyValueNamesTheProperty() {
        ConfigException e = rejected(Map.of("rwsplit.maxLag", "soon"), URL_NODES);
        assertThat(e.key()).isEqualTo("maxLag");
        assertThat(e.getMessage()).contains("'soon'", "'maxLag'", "a duration", "JDBC property 'rwsplit.maxLag'");
    }

    @Test
    void aBadValueInTheFileNamesTheFile() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "failover: sometimes\n");
        ConfigException e = rejected(Map.of("rwsplit.config", file.toString()), URL_NODES);
        assertThat(e.key()).isEqualTo("failover");
        assertThat(e.getMessage()).contains("'sometimes'", "one of off, follow, promote", file.toString());
    }

    @Test
    void aPropertyCanFixABadFileValue() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "failover: sometimes\n");
        RwsplitConfig c = ConfigLoader.fromProperties(
                Map.of("rwsplit.config", file.toString(), "rwsplit.failover", "off"), URL_NODES);
        assertThat(c.failover()).isEqualTo(FailoverMode.OFF);
    }

    @Test
    void aBadUrlNodeIsReportedAsSuch() {
        ConfigException e = rejected(Map.of(), List.of(NodeConfig.of("db1", 3306), NodeConfig.of("db1", 3306)));
        assertThat(e.key()).isEqualTo("nodes[1]");
        assertThat(e.getMessage()).contains("duplicate node address 'db1:3306'", "JDBC URL");
    }

    @Test
    void nodesCannotBeGivenAsProperties() {
        ConfigException e = rejected(Map.of("rwsplit.nodes", "db1,db2"), URL_NODES);
        assertThat(e.key()).isEqualTo("nodes");
        assertThat(e.getMessage()).contains("'rwsplit.nodes' is not supported", "JDBC URL");
    }

    @Test
    void malformedPropertyNames() {
        assertThat(rejected(Map.of("rwsplit.monitor..interval", "1s"), URL_NODES).getMessage())
                .contains("invalid JDBC property name 'rwsplit.monitor..interval'");
        assertThat(rejected(Map.of("rwsplit.", "x"), URL_NODES).getMessage())
                .contains("invalid JDBC property name 'rwsplit.'");
    }

    @Test
    void aSectionCannotAlsoBeAValue() {
        ConfigException e = rejected(Map.of("rwsplit.monitor", "on", "rwsplit.monitor.user", "u"), URL_NODES);
        assertThat(e.key()).isEqualTo("monitor");
        assertThat(e.getMessage()).contains("'rwsplit.monitor.user'", "'monitor' to be a section");
    }

    @Test
    void aMissingConfigFileNamesTheProperty() {
        Path missing = dir.resolve("missing.yaml");
        ConfigException e = rejected(Map.of("rwsplit.config", missing.toString()), URL_NODES);
        assertThat(e.getMessage()).contains(missing.toString(), "rwsplit.config", "does not exist");
    }

    @Test
    void thePasswordIsNeverInAMessage() {
        String secret = "Pa55-w0rd-Xyz";
        List<Map<String, String>> bad = List.of(
                Map.of("rwsplit.monitor.password", secret), // no user
                Map.of("rwsplit.monitor.user", "u", "rwsplit.monitor.password", secret, "rwsplit.maxLag", "x"),
                Map.of("rwsplit.monitor.password", secret, "rwsplit.monitor.passwort", secret));
        for (Map<String, String> props : bad) {
            assertThat(rejected(props, URL_NODES).getMessage()).doesNotContain(secret);
        }
    }

    @Test
    void aSyntaxErrorInTheFileDoesNotShowTheFileText() throws Exception {
        Path file = dir.resolve("broken.yaml");
        Files.writeString(file, "monitor:\n  user: mon\n  password: Pa55: w0rd\n");
        ConfigException e = rejected(Map.of("rwsplit.config", file.toString()), URL_NODES);
        assertThat(e.getMessage()).contains(file.toString(), "not valid YAML", "line 3").doesNotContain("Pa55");
    }
}
