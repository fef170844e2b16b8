package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mysql.cj.jdbc.JdbcConnection;
import io.rwsplit.proxy.config.ClientTlsConfig;
import io.rwsplit.proxy.config.LimitsConfig;
import io.rwsplit.proxy.config.UserConfig;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * COM_CHANGE_USER through the proxy (Connector/J's {@code changeUser}): the session continues as
 * the other proxy user, on that user's server account, with a fresh session state.
 */
@SandboxCluster(replicas = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChangeUserIT {

    private static final String REPORTER = "px_reporter";
    private static final String REPORTER_PASSWORD = "r3porter-pw";

    private final Cluster cluster;
    private RunningProxy proxy;

    ChangeUserIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    void start() throws SQLException {
        try (Connection c = cluster.primary().connectAdmin(); Statement s = c.createStatement()) {
            s.execute("CREATE USER IF NOT EXISTS '" + REPORTER + "'@'%' IDENTIFIED BY '" + REPORTER_PASSWORD + "'");
            s.execute("GRANT SELECT ON `" + cluster.database() + "`.* TO '" + REPORTER + "'@'%'");
        }
        cluster.awaitReplicasCaughtUp(Duration.ofSeconds(10));
        proxy = RunningProxy.start(cluster, "", LimitsConfig.DEFAULTS, ClientTlsConfig.OFF,
                List.of(UserConfig.plain(REPORTER, REPORTER_PASSWORD)));
    }

    @AfterAll
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private static String one(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private Set<String> replicaIds() {
        return cluster.replicas().stream().map(n -> String.valueOf(n.serverId())).collect(Collectors.toSet());
    }

    @Test
    void theSessionGoesOnAsTheOtherUserWithAFreshState() throws SQLException {
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            s.execute("SET @marker = 42");
            s.execute("CREATE TEMPORARY TABLE px_scratch (id INT)");
            assertThat(one(s, "SELECT CURRENT_USER()")).startsWith(cluster.app().user() + "@");

            c.unwrap(JdbcConnection.class).changeUser(REPORTER, REPORTER_PASSWORD);

            try (Statement t = c.createStatement()) {
                assertThat(one(t, "SELECT CURRENT_USER()")).as("the servers see the reporter's account")
                        .isEqualTo(REPORTER + "@%");
                assertThat(one(t, "SELECT @marker")).as("user variables are gone").isNull();
                assertThatThrownBy(() -> t.executeQuery("SELECT * FROM px_scratch"))
                        .as("temporary tables are gone").isInstanceOf(SQLException.class)
                        .extracting(e -> ((SQLException) e).getErrorCode()).isEqualTo(1146);
                assertThat(one(t, "SELECT DATABASE()")).isEqualTo(cluster.database());
                // the pins of the old session are gone: reads spread over the replicas again
                for (int i = 0; i < 6; i++) {
                    assertThat(one(t, "SELECT @@server_id")).isIn(replicaIds());
                }
                assertThatThrownBy(() -> t.executeUpdate("CREATE TABLE px_not_allowed (id INT)"))
                        .as("the reporter's grants apply").isInstanceOf(SQLException.class)
                        .extracting(e -> ((SQLException) e).getErrorCode()).isEqualTo(1142);
            }

            c.unwrap(JdbcConnection.class).changeUser(cluster.app().user(), cluster.app().password());
            try (Statement t = c.createStatement()) {
                assertThat(one(t, "SELECT CURRENT_USER()")).startsWith(cluster.app().user() + "@");
            }
        }
    }

    @Test
    void aWrongPasswordIsRefusedWith1045AndTheConnectionCloses() throws SQLException {
        try (Connection c = proxy.connect("")) {
            assertThatThrownBy(() -> c.unwrap(JdbcConnection.class).changeUser(REPORTER, "wrong"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> {
                        assertThat(((SQLException) e).getErrorCode()).isEqualTo(1045);
                        assertThat(((SQLException) e).getSQLState()).isEqualTo("28000");
                        assertThat(e.getMessage()).contains("Access denied for user '" + REPORTER + "'");
                    });
            assertThat(c.isValid(2)).as("the proxy closed the connection").isFalse();
        }
        // and the proxy goes on serving others
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            assertThat(one(s, "SELECT 1")).isEqualTo("1");
        }
    }

    @Test
    void anUnknownUserIsRefusedLikeAWrongPassword() throws SQLException {
        try (Connection c = proxy.connect("")) {
            assertThatThrownBy(() -> c.unwrap(JdbcConnection.class).changeUser("px_nobody", "x"))
                    .isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getErrorCode()).isEqualTo(1045);
        }
    }
}
