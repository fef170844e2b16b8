package io.rwsplit.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SandboxPathsTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        p.setProperty("java.io.tmpdir", "/tmp");
        p.setProperty("user.home", "/home/dev");
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void defaultsToTmpForClustersAndTheUsersCacheForBinaries() {
        SandboxPaths p = SandboxPaths.from(props(), Map.of());
        assertThat(p.home()).isEqualTo(Path.of("/tmp/rwsplit-sandbox"));
        assertThat(p.cache()).isEqualTo(Path.of("/home/dev/.cache/rwsplit"));
        assertThat(p.serverOverride()).isEmpty();
    }

    @Test
    void environmentOverridesDefaultsAndSystemPropertiesOverrideTheEnvironment() {
        Map<String, String> env = Map.of("RWSPLIT_SANDBOX_SERVER", "/usr/sbin/mariadbd",
                "RWSPLIT_SANDBOX_HOME", "/var/tmp/sb");
        SandboxPaths fromEnv = SandboxPaths.from(props(), env);
        assertThat(fromEnv.serverOverride()).isEqualTo(Optional.of(Path.of("/usr/sbin/mariadbd")));
        assertThat(fromEnv.home()).isEqualTo(Path.of("/var/tmp/sb"));

        SandboxPaths fromProps = SandboxPaths.from(props("rwsplit.sandbox.server", "/opt/mysql/bin/mysqld"), env);
        assertThat(fromProps.serverOverride()).isEqualTo(Optional.of(Path.of("/opt/mysql/bin/mysqld")));
    }

    @Test
    void aBlankSettingCountsAsUnset() {
        SandboxPaths p = SandboxPaths.from(props("rwsplit.sandbox.server", " "), Map.of("RWSPLIT_SANDBOX_SERVER", ""));
        assertThat(p.serverOverride()).isEmpty();
    }
}
