package io.rwsplit.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rwsplit.core.config.ConfigException;
import io.rwsplit.core.config.FailoverMode;
import io.rwsplit.core.config.NodeConfig;
import io.rwsplit.core.config.ReadYourWrites;
import io.rwsplit.proxy.config.ProxyConfig;
import io.rwsplit.proxy.config.ProxyConfigLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker/: the proxy's config validates as the proxy loads it, and the files agree with each other. */
class DockerFilesTest {

    private static final Map<String, String> ENV = Map.of("APP_PASSWORD", "app&pw", "MONITOR_PASSWORD", "mon-pw",
            "ADMIN_TOKEN", "tok");

    @Test
    void theProxyConfigLoadsAsTheProxyLoadsIt() {
        ProxyConfig c = ProxyConfigLoader.load(DockerFiles.file("proxy/rwsplit.yaml"), ENV::get);

        assertThat(c.listen().address()).isEqualTo("0.0.0.0");
        assertThat(c.listen().port()).isEqualTo(6033);
        assertThat(c.user("app")).hasValueSatisfying(u -> {
            assertThat(u.password()).isEqualTo("app&pw");
            assertThat(u.backendUser()).isEqualTo("app");
        });
        assertThat(c.routing().nodes()).extracting(NodeConfig::name).containsExactly("primary", "replica1",
                "replica2");
        assertThat(c.routing().nodes()).extracting(NodeConfig::host).containsExactly("primary", "replica1",
                "replica2");
        assertThat(c.routing().monitor().user()).isEqualTo("rwsplit_monitor");
        assertThat(c.routing().monitor().password()).isEqualTo("mon-pw");
        assertThat(c.routing().failover()).isEqualTo(FailoverMode.PROMOTE);
        assertThat(c.routing().readYourWrites()).isEqualTo(ReadYourWrites.CAUSAL);
        assertThat(c.admin().enabled()).isTrue();
        assertThat(c.admin().address()).isEqualTo("0.0.0.0");
        assertThat(c.admin().port()).isEqualTo(6080);
        assertThat(c.admin().token()).isEqualTo("tok");
    }

    @Test
    void aPasswordMissingFromTheEnvironmentIsNamed() {
        Path yaml = DockerFiles.file("proxy/rwsplit.yaml");
        assertThatThrownBy(() -> ProxyConfigLoader.load(yaml, Map.of("APP_PASSWORD", "x")::get))
                .isInstanceOf(ConfigException.class).hasMessageContaining("MONITOR_PASSWORD");
    }

    @Test
    void composeGivesEachContainerWhatItsFilesAskFor() throws Exception {
        String compose = DockerFiles.read("compose.yaml");
        String dockerfile = DockerFiles.read("Dockerfile");
        // the proxy's config: where the image looks for it is where compose mounts it
        Matcher cmd = Pattern.compile("CMD \\[\"--config\", \"([^\"]+)\"\\]").matcher(dockerfile);
        assertThat(cmd.find()).isTrue();
        assertThat(compose).contains("./proxy/rwsplit.yaml:" + cmd.group(1) + ":ro");
        assertThat(compose).contains("./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro");
        String proxyService = compose.substring(compose.indexOf("\n  proxy:"), compose.indexOf("\n  prometheus:"));
        // the values written as ${NAME} (comments aside)
        Matcher env = Pattern.compile(":\\s*\\$\\{([A-Z_]+)}").matcher(DockerFiles.read("proxy/rwsplit.yaml"));
        while (env.find()) {
            assertThat(proxyService).as("the proxy's environment in compose.yaml").contains(env.group(1) + ":");
        }
        // the init script and the SQL are mounted where the script and the image look for them
        assertThat(compose).contains("./mysql/init.sh:/docker-entrypoint-initdb.d/10-rwsplit.sh:ro",
                "./mysql/sql:/etc/rwsplit/sql:ro");
        assertThat(DockerFiles.read("mysql/init.sh")).contains("${RWSPLIT_SQL_DIR:-/etc/rwsplit/sql}");
        assertThat(DockerFiles.read("prometheus/prometheus.yml")).contains("metrics_path: /metrics",
                "\"proxy:6080\"");
    }

    @Test
    void theInitScriptFillsInThePasswordsAndRunsEachRolesScripts(@TempDir Path work) throws Exception {
        DockerFiles.InitRun primary = DockerFiles.runInit(work.resolve("p"), Map.of("RWSPLIT_ROLE", "primary",
                "MYSQL_ROOT_PASSWORD", "root-pw", "APP_PASSWORD", "a&b$c", "MONITOR_PASSWORD", "mon-pw",
                "REPL_PASSWORD", "repl-pw"));
        assertThat(primary.exitCode()).as(primary.stderr()).isZero();
        assertThat(primary.scripts()).hasSize(2);
        assertThat(primary.scripts().get(0)).contains("'app'@'%' IDENTIFIED BY 'a&b$c'",
                "'rwsplit_monitor'@'%' IDENTIFIED BY 'mon-pw'", "'repl'@'%' IDENTIFIED BY 'repl-pw'")
                .doesNotContain("${APP_PASSWORD}");
        assertThat(primary.scripts().get(1)).contains("GRANT SYSTEM_VARIABLES_ADMIN, REPLICATION_SLAVE_ADMIN");

        DockerFiles.InitRun replica = DockerFiles.runInit(work.resolve("r"), Map.of("RWSPLIT_ROLE", "replica",
                "MYSQL_ROOT_PASSWORD", "root-pw", "REPL_PASSWORD", "repl-pw", "PRIMARY_HOST", "primary"));
        assertThat(replica.exitCode()).as(replica.stderr()).isZero();
        assertThat(replica.scripts()).singleElement().asString().contains("SOURCE_HOST = 'primary'",
                "SOURCE_PASSWORD = 'repl-pw'", "SOURCE_AUTO_POSITION = 1", "START REPLICA",
                "SET PERSIST super_read_only = ON");
    }

    @Test
    void theInitScriptRefusesWhatItCannotWriteIntoSql(@TempDir Path work) throws Exception {
        DockerFiles.InitRun quote = DockerFiles.runInit(work.resolve("q"), Map.of("RWSPLIT_ROLE", "primary",
                "MYSQL_ROOT_PASSWORD", "root-pw", "APP_PASSWORD", "it's", "MONITOR_PASSWORD", "m",
                "REPL_PASSWORD", "r"));
        assertThat(quote.exitCode()).isNotZero();
        assertThat(quote.scripts()).isEmpty();
        assertThat(quote.stderr()).contains("APP_PASSWORD may not contain");

        DockerFiles.InitRun missing = DockerFiles.runInit(work.resolve("m"), Map.of("RWSPLIT_ROLE", "replica",
                "MYSQL_ROOT_PASSWORD", "root-pw", "REPL_PASSWORD", "r"));
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("needs the environment variable PRIMARY_HOST");

        DockerFiles.InitRun noRole = DockerFiles.runInit(work.resolve("n"), Map.of("MYSQL_ROOT_PASSWORD", "x"));
        assertThat(noRole.exitCode()).isNotZero();
        assertThat(noRole.stderr()).contains("set RWSPLIT_ROLE to primary or replica");
    }
}
