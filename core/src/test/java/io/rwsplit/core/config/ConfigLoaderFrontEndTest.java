package io.rwsplit.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A front end's own top-level keys in the same file as the shared ones, as the proxy uses them. */
class ConfigLoaderFrontEndTest {

    private static final String NODES = "nodes:\n  - host: db1\n";
    private static final List<String> KEYS = List.of("listen", "users", "limits");
    private static final String SECRET = "Pa55-w0rd-Xyz";

    /** A small front end: a port, user names with passwords, a message size. */
    record Settings(int port, Map<String, String> passwords, long maxMessageBytes, Duration authTimeout) {
    }

    static Settings bind(ConfigSection top, Function<String, String> env) {
        int port = top.section("listen", List.of("address", "port")).integer("port", 6033, 0, 65535);
        Map<String, String> passwords = new java.util.LinkedHashMap<>();
        for (ConfigSection u : top.sections("users", List.of("name", "password"), "a list of users")) {
            passwords.put(u.string("name", "?"), u.secret("password", "", env));
        }
        ConfigSection limits = top.section("limits", List.of("maxMessageBytes", "authTimeout"));
        return new Settings(port, passwords, limits.bytes("maxMessageBytes", 64L << 20, 1024, 1L << 30),
                limits.duration("authTimeout", Duration.ofSeconds(10), true));
    }

    private static ConfigLoader loader() {
        return ConfigLoader.create().withEnvironment(Map.of("APP_PW", SECRET)::get);
    }

    private static ConfigException rejected(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> loader().loadYaml(yaml, KEYS, ConfigLoaderFrontEndTest::bind));
        assertThat(e).as("config should be rejected:\n%s", yaml).isNotNull();
        assertThat(e.getMessage()).doesNotContain(SECRET);
        return e;
    }

    @Test
    void bindsTheSharedKeysAndHandsTheFrontEndItsOwn() {
        ConfigDocument<Settings> doc = loader().loadYaml(NODES + "maxLag: 2s\n"
                + "listen: {port: 7000}\n"
                + "users:\n  - {name: app, password: '${APP_PW}'}\n  - {name: ro, password: plain}\n"
                + "limits: {maxMessageBytes: 16M}\n", KEYS, ConfigLoaderFrontEndTest::bind);

        assertThat(doc.routing().nodes()).extracting(NodeConfig::host).containsExactly("db1");
        assertThat(doc.routing().maxLag()).isEqualTo(Duration.ofSeconds(2));
        assertThat(doc.frontEnd()).isEqualTo(new Settings(7000, Map.of("app", SECRET, "ro", "plain"), 16L << 20,
                Duration.ofSeconds(10)));
    }

    @Test
    void absentFrontEndKeysGetTheFrontEndsDefaults() {
        ConfigDocument<Settings> doc = loader().loadYaml(NODES, KEYS, ConfigLoaderFrontEndTest::bind);
        assertThat(doc.frontEnd()).isEqualTo(new Settings(6033, Map.of(), 64L << 20, Duration.ofSeconds(10)));
        assertThat(doc.routing().failover()).isEqualTo(FailoverMode.FOLLOW);
    }

    @Test
    void aTypoOfAFrontEndKeyIsSuggestedAndTheListHasBothKinds() {
        ConfigException e = rejected(NODES + "lisen: {port: 7000}\n");
        assertThat(e.key()).isEqualTo("lisen");
        assertThat(e.getMessage()).contains("unknown config key 'lisen'", "did you mean 'listen'?",
                "the top-level keys are: nodes, balance", "replication, listen, users, limits");
    }

    @Test
    void aTypoOfASharedKeyIsStillSuggested() {
        ConfigException e = rejected(NODES + "maxLagg: 1s\nlisten: {port: 7000}\n");
        assertThat(e.getMessage()).contains("unknown config key 'maxLagg'", "did you mean 'maxLag'?");
    }

    @Test
    void anUnknownKeyInsideAFrontEndSectionNamesItsPath() {
        ConfigException e = rejected(NODES + "listen:\n  prot: 7000\n");
        assertThat(e.key()).isEqualTo("listen.prot");
        assertThat(e.getMessage()).contains("unknown config key 'listen.prot'", "did you mean 'port'?",
                "the keys of 'listen' are: address, port");
    }

    @Test
    void frontEndValuesAreCheckedWithTheSameMessages() {
        ConfigException e = rejected(NODES + "limits: {maxMessageBytes: 2G}\n");
        assertThat(e.key()).isEqualTo("limits.maxMessageBytes");
        assertThat(e.getMessage()).isEqualTo(
                "invalid value '2G' for config key 'limits.maxMessageBytes': expected a size from 1KiB to 1GiB");
    }

    @Test
    void anUnsetVariableInAFrontEndSecretNamesItAndTheKey() {
        ConfigException e = rejected(NODES + "users:\n  - {name: app, password: '${NOT_SET}'}\n");
        assertThat(e.key()).isEqualTo("users[0].password");
        assertThat(e.getMessage()).contains("environment variable 'NOT_SET'", "not set");
    }

    @Test
    void theDriversLoaderDoesNotKnowTheFrontEndsKeys() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml(NODES + "listen: {port: 7000}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown config key 'listen'");
    }

    @Test
    void errorsFromAFileNameTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("proxy.yaml");
        Files.writeString(file, NODES + "listen: {port: 70000}\n");
        assertThatThrownBy(() -> loader().loadYaml(file, KEYS, ConfigLoaderFrontEndTest::bind))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config file '" + file + "': invalid value '70000' for config key "
                        + "'listen.port'")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("listen.port");
    }

    @Test
    void aMissingFileIsReportedLikeTheDriversFile(@TempDir Path dir) {
        Path file = dir.resolve("absent.yaml");
        assertThatThrownBy(() -> loader().loadYaml(file, KEYS, ConfigLoaderFrontEndTest::bind))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config file '" + file + "' does not exist");
    }

    @Test
    void aFrontEndCannotClaimASharedKey() {
        assertThatThrownBy(() -> loader().loadYaml(NODES, List.of("listen", "pool"), ConfigLoaderFrontEndTest::bind))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'pool' is a shared config key");
    }
}
