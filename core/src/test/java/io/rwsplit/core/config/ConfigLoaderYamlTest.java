package io.rwsplit.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderYamlTest {

    private static final String ONE_NODE = "nodes:\n  - host: db1\n";

    static Path resource(String name) {
        try {
            return Path.of(ConfigLoaderYamlTest.class.getResource("/config/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsEveryKey() {
        RwsplitConfig c = ConfigLoader.create()
                .withEnvironment(Map.of("RWSPLIT_MONITOR_PASSWORD", "s3cret")::get)
                .loadYaml(resource("full.yaml"));

        assertThat(c.nodes()).containsExactly(
                new NodeConfig("primary", "db1.example.com", 3307, 0, false, true),
                new NodeConfig("replica-a", "10.0.0.12", 3306, 3, false, true),
                new NodeConfig("db3.example.com:3308", "db3.example.com", 3308, 1, true, false));
        assertThat(c.balance()).isEqualTo(BalanceStrategy.LEAST_RESPONSE_TIME);
        assertThat(c.primaryReadWeight()).isEqualTo(2);
        assertThat(c.maxLag()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.fallback()).isEqualTo(Fallback.ERROR);
        assertThat(c.readYourWrites()).isEqualTo(ReadYourWrites.CAUSAL);
        assertThat(c.readYourWritesWindow()).isEqualTo(Duration.ofMillis(750));
        assertThat(c.causalWait()).isEqualTo(Duration.ofMillis(50));
        assertThat(c.failover()).isEqualTo(FailoverMode.PROMOTE);
        assertThat(c.monitor()).isEqualTo(new MonitorConfig(Duration.ofMillis(500), Duration.ofMillis(300),
                Duration.ofMinutes(1), 5, 4, "rwsplit_monitor", "s3cret", "rwsplit.heartbeat"));
        assertThat(c.classifier()).isEqualTo(new ClassifierConfig(500, 1024, 8192, Duration.ofSeconds(1)));
        assertThat(c.toString()).doesNotContain("s3cret");
    }

    @Test
    void aMinimalFileGetsEveryDefault() {
        RwsplitConfig c = ConfigLoader.fromYaml(resource("minimal.yaml"));

        assertThat(c.nodes()).containsExactly(new NodeConfig("127.0.0.1:3306", "127.0.0.1", 3306, 1, false, true));
        assertThat(c.balance()).isEqualTo(BalanceStrategy.ROUND_ROBIN);
        assertThat(c.primaryReadWeight()).isZero();
        assertThat(c.maxLag()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.fallback()).isEqualTo(Fallback.PRIMARY);
        assertThat(c.readYourWrites()).isEqualTo(ReadYourWrites.NONE);
        assertThat(c.readYourWritesWindow()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.causalWait()).isEqualTo(Duration.ofMillis(200));
        assertThat(c.failover()).isEqualTo(FailoverMode.FOLLOW);
        assertThat(c.monitor()).isEqualTo(new MonitorConfig(Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(2), 3, 2, null, "", ""));
        assertThat(c.monitor()).isEqualTo(MonitorConfig.DEFAULTS);
        assertThat(c.classifier()).isEqualTo(ClassifierConfig.DEFAULTS);
    }

    @Test
    void anEmptyValueMeansTheDefault() {
        RwsplitConfig c = ConfigLoader.fromYaml(ONE_NODE + "maxLag:\nmonitor:\nclassifier: ~\n");
        assertThat(c.maxLag()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.monitor()).isEqualTo(MonitorConfig.DEFAULTS);
        assertThat(c.classifier()).isEqualTo(ClassifierConfig.DEFAULTS);
    }

    @Test
    void aFrontEndMayChangeTheFailoverDefault() {
        ConfigLoader proxyLoader = ConfigLoader.create().withDefaultFailover(FailoverMode.PROMOTE);
        assertThat(proxyLoader.loadYaml(ONE_NODE).failover()).isEqualTo(FailoverMode.PROMOTE);
        assertThat(proxyLoader.loadYaml(ONE_NODE + "failover: off\n").failover()).isEqualTo(FailoverMode.OFF);
    }

    @ParameterizedTest
    @CsvSource({
        "round-robin, ROUND_ROBIN",
        "ROUND_ROBIN, ROUND_ROBIN",
        "Weighted, WEIGHTED",
        "least_connections, LEAST_CONNECTIONS",
        "LEAST-RESPONSE-TIME, LEAST_RESPONSE_TIME",
        "p2c, P2C",
        "hash, HASH",
    })
    void balanceAcceptsConfigSpellingsAndEnumNames(String written, BalanceStrategy expected) {
        assertThat(ConfigLoader.fromYaml(ONE_NODE + "balance: " + written + "\n").balance()).isEqualTo(expected);
    }

    @Test
    void everyBalanceStrategyIsReachableByItsKey() {
        for (BalanceStrategy b : BalanceStrategy.values()) {
            assertThat(ConfigLoader.fromYaml(ONE_NODE + "balance: " + b.key() + "\n").balance()).isEqualTo(b);
        }
    }

    @Test
    void switchoverRejoinAndReplicationKeys() {
        RwsplitConfig d = ConfigLoader.fromYaml(ONE_NODE);
        assertThat(d.switchover()).isEqualTo(SwitchoverConfig.DEFAULTS);
        assertThat(d.switchover().holdTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.switchover().catchupTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.autoRejoin()).isFalse();
        assertThat(d.replication()).isEqualTo(ReplicationConfig.DEFAULTS);

        RwsplitConfig c = ConfigLoader.fromYaml(ONE_NODE + "switchover: {catchupTimeout: 3s, holdTimeout: 800ms}\n"
                + "autoRejoin: true\nreplication: {user: repl, password: secret}\n");
        assertThat(c.switchover()).isEqualTo(new SwitchoverConfig(Duration.ofSeconds(3), Duration.ofMillis(800)));
        assertThat(c.autoRejoin()).isTrue();
        assertThat(c.replication()).isEqualTo(new ReplicationConfig("repl", "secret"));
        assertThat(c.replication().toString()).doesNotContain("secret");
    }

    @Test
    void aReplicationPasswordWithoutAUserIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml(ONE_NODE + "replication: {password: x}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'replication.password' is set but");
    }

    @Test
    void aBareNumberIsMilliseconds() {
        assertThat(ConfigLoader.fromYaml(ONE_NODE + "maxLag: 250\n").maxLag()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void scalarsKeepTheirSourceText() {
        // YAML would read these as numbers (0123 as octal 83); a password must stay what was typed.
        String yaml = ONE_NODE + "monitor:\n  user: 007\n  password: 0123\n";
        MonitorConfig m = ConfigLoader.fromYaml(yaml).monitor();
        assertThat(m.user()).isEqualTo("007");
        assertThat(m.password()).isEqualTo("0123");
        assertThat(ConfigLoader.fromYaml(ONE_NODE + "monitor:\n  user: u\n  password: 1e3\n").monitor().password())
                .isEqualTo("1e3");
    }

    @Test
    void quotedNumbersAndBooleansAreAccepted() {
        NodeConfig n = ConfigLoader.fromYaml("nodes:\n  - {host: db1, port: '3307', standby: 'TRUE'}\n").nodes().get(0);
        assertThat(n.port()).isEqualTo(3307);
        assertThat(n.standby()).isTrue();
    }

    @Test
    void passwordFromTheEnvironment() {
        String yaml = ONE_NODE + "monitor:\n  user: mon\n  password: ${MON_PW}\n";
        RwsplitConfig c = ConfigLoader.create().withEnvironment(Map.of("MON_PW", "hunter2")::get).loadYaml(yaml);
        assertThat(c.monitor().password()).isEqualTo("hunter2");
        assertThat(c.monitor().user()).isEqualTo("mon");
    }

    @Test
    void anEmptyEnvironmentVariableIsAnEmptyPassword() {
        String yaml = ONE_NODE + "monitor:\n  user: mon\n  password: '${MON_PW}'\n";
        assertThat(ConfigLoader.create().withEnvironment(Map.of("MON_PW", "")::get).loadYaml(yaml).monitor().password())
                .isEmpty();
    }

    @Test
    void anUnsetEnvironmentVariableIsAnError() {
        String yaml = ONE_NODE + "monitor:\n  user: mon\n  password: ${MON_PW}\n";
        assertThatThrownBy(() -> ConfigLoader.create().withEnvironment(name -> null).loadYaml(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("monitor.password")
                .hasMessageContaining("MON_PW")
                .hasMessageContaining("not set")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("monitor.password");
    }

    @Test
    void onlyAWholeReferenceIsReadFromTheEnvironment() {
        String yaml = ONE_NODE + "monitor:\n  user: mon\n  password: a${MON_PW}b\n";
        assertThat(ConfigLoader.create().withEnvironment(name -> "x").loadYaml(yaml).monitor().password())
                .isEqualTo("a${MON_PW}b");
    }

    @Test
    void aBlankUserMeansTheApplicationsCredentials() {
        assertThat(ConfigLoader.fromYaml(ONE_NODE + "monitor:\n  user: ''\n").monitor().user()).isNull();
    }

    @Test
    void fileErrorsNameTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, ONE_NODE + "maxLag: soon\n");
        assertThatThrownBy(() -> ConfigLoader.fromYaml(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("'maxLag'")
                .hasMessageContaining("'soon'");
    }

    @Test
    void aMissingFileIsAnError(@TempDir Path dir) {
        Path file = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> ConfigLoader.fromYaml(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("does not exist");
    }
}
