package io.rwsplit.sandbox.container;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MySqlContainerClusterTest {

    @Test
    void readsTheServerVersionFromTheImageTag() {
        assertThat(MySqlContainerCluster.imageVersion("mysql:8.4")).isEqualTo("8.4.0");
        assertThat(MySqlContainerCluster.imageVersion("mysql:8.0.39")).isEqualTo("8.0.39");
        assertThat(MySqlContainerCluster.imageVersion("registry.local:5000/mysql:9.1")).isEqualTo("9.1.0");
    }
}
