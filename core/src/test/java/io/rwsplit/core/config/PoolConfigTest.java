package io.rwsplit.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolConfigTest {

    private static final String NODES = "nodes:\n  - host: db1\n";

    @Test
    void poolsDefaultToTenConnectionsPerNodeAndAFiveSecondWait() {
        assertThat(ConfigLoader.fromYaml(NODES).pool()).isEqualTo(PoolConfig.DEFAULTS);
        assertThat(PoolConfig.DEFAULTS.maxSize()).isEqualTo(10);
        assertThat(PoolConfig.DEFAULTS.acquireTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void poolSettingsComeFromYamlAndFromJdbcProperties() {
        assertThat(ConfigLoader.fromYaml(NODES + "pool: {minIdle: 2, maxSize: 20, acquireTimeout: 1s}\n").pool())
                .isEqualTo(new PoolConfig(2, 20, Duration.ofSeconds(1), PoolConfig.DEFAULTS.idleTimeout(),
                        PoolConfig.DEFAULTS.maxLifetime()));
        assertThat(ConfigLoader.fromProperties(Map.of("rwsplit.pool.maxSize", "3"), List.of(NodeConfig.of("db1", 3306)))
                .pool().maxSize()).isEqualTo(3);
    }

    @Test
    void moreIdleConnectionsThanThePoolMayHoldIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml(NODES + "pool: {minIdle: 5, maxSize: 2}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pool.minIdle");
        assertThatThrownBy(() -> ConfigLoader.fromYaml(NODES + "pool: {maxsize: 2}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pool.maxsize");
    }
}
