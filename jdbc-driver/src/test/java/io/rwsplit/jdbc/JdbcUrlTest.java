package io.rwsplit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rwsplit.core.config.NodeConfig;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class JdbcUrlTest {

    @Test
    void readsHostsDatabaseAndSplitsOptionsBetweenRwsplitAndConnectorJ() throws SQLException {
        JdbcUrl u = JdbcUrl.parse("jdbc:rwsplit:mysql://db1:3307,db2,[::1]:3309/shop?rwsplit.balance=weighted"
                + "&useSSL=false&user=app", null);
        assertThat(u.nodes()).extracting(NodeConfig::host).containsExactly("db1", "db2", "::1");
        assertThat(u.nodes()).extracting(NodeConfig::port).containsExactly(3307, 3306, 3309);
        assertThat(u.database()).isEqualTo("shop");
        assertThat(u.rwsplitOptions()).containsExactly(java.util.Map.entry("rwsplit.balance", "weighted"));
        assertThat(u.connectorOptions()).containsEntry("useSSL", "false").containsEntry("user", "app");
    }

    @Test
    void propertiesPassedToConnectOverrideTheUrl() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "other");
        p.setProperty("password", "s3cret");
        JdbcUrl u = JdbcUrl.parse("jdbc:rwsplit:mysql://db1/app?user=app", p);
        assertThat(u.user()).isEqualTo("other");
        assertThat(u.password()).isEqualTo("s3cret");
        assertThat(u.toString()).doesNotContain("s3cret");
    }

    @Test
    void percentEncodedValuesAreDecoded() throws SQLException {
        JdbcUrl u = JdbcUrl.parse("jdbc:rwsplit:mysql://db1/app?password=a%26b%3Dc", null);
        assertThat(u.password()).isEqualTo("a&b=c");
    }

    @Test
    void badUrlsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> JdbcUrl.parse("jdbc:rwsplit:mysql:///app", null))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("08001");
                    assertThat(e.getMessage()).contains("names no host");
                });
        assertThatThrownBy(() -> JdbcUrl.parse("jdbc:rwsplit:mysql://db1:99999/app", null))
                .hasMessageContaining("port 99999 is out of range");
        assertThatThrownBy(() -> JdbcUrl.parse("jdbc:rwsplit:mysql://db1:abc/app", null))
                .hasMessageContaining("'abc' is not a port");
        assertThat(JdbcUrl.accepts("jdbc:mysql://db1/app")).isFalse();
        assertThat(JdbcUrl.accepts("JDBC:RWSPLIT:MYSQL://db1/app")).isTrue();
    }

    @Test
    void restoredValuesKeepTheirTypeForTheServer() {
        assertThat(SessionSync.literal(null)).isEqualTo("NULL");
        assertThat(SessionSync.literal("600")).isEqualTo("600");
        assertThat(SessionSync.literal("+00:00")).isEqualTo("'+00:00'");
        assertThat(SessionSync.literal("it's")).isEqualTo("'it''s'");
        assertThat(SessionSync.literal("STRICT_TRANS_TABLES,NO_ZERO_DATE")).isEqualTo(
                "'STRICT_TRANS_TABLES,NO_ZERO_DATE'");
    }

    @Test
    void theDriverAnswersOnlyForItsUrlsAndRefusesBadConfigurationNamingTheKey() {
        RwsplitDriver d = new RwsplitDriver();
        assertThat(d.acceptsURL("jdbc:mysql://db1/app")).isFalse();
        assertThatThrownBy(() -> d.connect("jdbc:rwsplit:mysql://127.0.0.1:1/app?rwsplit.balanse=random", new Properties()))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("08001");
                    assertThat(e.getMessage()).contains("balanse");
                });
    }
}
