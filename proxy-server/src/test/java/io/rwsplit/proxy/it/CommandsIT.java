package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The commands besides queries and prepared statements, as a client library sends them, checked
 * packet by packet: COM_STATISTICS, COM_FIELD_LIST, COM_RESET_CONNECTION, COM_SET_OPTION,
 * COM_INIT_DB and COM_QUIT.
 */
@SandboxCluster(replicas = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandsIT {

    private final Cluster cluster;
    private RunningProxy proxy;

    CommandsIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    void start() throws SQLException {
        try (Connection c = cluster.primary().connect(cluster.app()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS px_commands (id INT PRIMARY KEY, name VARCHAR(20))");
        }
        cluster.awaitReplicasCaughtUp(Duration.ofSeconds(10));
        proxy = RunningProxy.start(cluster);
    }

    @AfterAll
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private RawClient client() throws IOException {
        return RawClient.connect(proxy.port(), Duration.ofSeconds(6))
                .login(cluster.app().user(), cluster.app().password(), cluster.database());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void statisticsAnswersWithTheServersStatusLine() throws IOException {
        try (RawClient c = client()) {
            c.command(0x09, new byte[0]);
            RawClient.Pkt p = c.read();
            assertThat(new String(p.payload(), StandardCharsets.US_ASCII)).startsWith("Uptime: ").contains("Threads: ");
            c.ping();
        }
    }

    @Test
    void fieldListNamesTheTablesColumns() throws IOException {
        try (RawClient c = client()) {
            c.command(0x04, ascii("px_commands\0"));
            int columns = 0;
            for (RawClient.Pkt p = c.read(); !p.isEof(); p = c.read()) {
                assertThat(p.isErr()).as("a column definition, not %s", p).isFalse();
                columns++;
            }
            assertThat(columns).isEqualTo(2);
            c.ping();
        }
    }

    @Test
    void resetConnectionStartsAFreshSession() throws IOException {
        try (RawClient c = client()) {
            c.query("SET @marker = 5");
            assertThat(c.read().isOk()).isTrue();
            c.command(0x1F, new byte[0]);
            assertThat(c.read().isOk()).as("OK to COM_RESET_CONNECTION").isTrue();
            c.query("SELECT @marker");
            List<RawClient.Pkt> rows = RawClient.rows(c.readResult());
            assertThat(rows).singleElement().satisfies(r -> assertThat(r.payload()).containsExactly(0xFB));
        }
    }

    @Test
    void setOptionTurnsMultiStatementsOnAndOff() throws IOException {
        try (RawClient c = client()) {
            // the client did not ask for CLIENT_MULTI_STATEMENTS at login
            c.query("SELECT 1; SELECT 2");
            assertThat(c.read().err().errorCode()).isEqualTo(1064);

            c.command(0x1B, new byte[] {0, 0}); // MYSQL_OPTION_MULTI_STATEMENTS_ON
            assertThat(c.read().isEof()).as("EOF to COM_SET_OPTION").isTrue();
            c.query("SELECT 1; SELECT 2");
            assertThat(RawClient.rows(c.readResult())).hasSize(1);
            assertThat(RawClient.rows(c.readResult())).singleElement()
                    .satisfies(r -> assertThat(r.payload()).containsExactly(0x01, '2'));

            c.command(0x1B, new byte[] {1, 0}); // MYSQL_OPTION_MULTI_STATEMENTS_OFF
            assertThat(c.read().isEof()).isTrue();
            c.query("SELECT 1; SELECT 2");
            assertThat(c.read().err().errorCode()).isEqualTo(1064);
            c.ping();
        }
    }

    @Test
    void initDbChecksTheSchema() throws IOException {
        try (RawClient c = client()) {
            // the server's own answer, relayed: the app account may not see other schemas at all
            c.command(0x02, ascii("px_no_such_schema"));
            c.expectErr(1044, "42000");
            c.command(0x02, ascii(cluster.database()));
            assertThat(c.read().isOk()).isTrue();
            c.ping();
        }
    }

    @Test
    void quitClosesTheConnection() throws IOException {
        try (RawClient c = client()) {
            c.command(0x01, new byte[0]);
            c.expectClosed();
        }
    }
}
