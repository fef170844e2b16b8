package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.proxy.config.ClientTlsConfig;
import io.rwsplit.proxy.config.LimitsConfig;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A session's state through the proxy, which gives each session's backend connections back to
 * the pool between statements: settings and the schema follow the session onto every backend
 * that runs its statements, and never leak to the sessions that share those connections;
 * temporary tables pin the session; what a statement leaves behind (LAST_INSERT_ID(),
 * ROW_COUNT(), warnings) is asked of the backend that ran it.
 *
 * <p>One event loop, so all sessions here share one pool per node.
 */
@SandboxCluster(replicas = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionStateIT {

    private static final String OTHER_SCHEMA = "rw_other";

    private final Cluster cluster;
    private RunningProxy proxy;
    private int primaryId;
    private Set<Integer> replicaIds;

    SessionStateIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    void start() throws SQLException {
        primaryId = cluster.primary().serverId();
        replicaIds = cluster.replicas().stream().map(Node::serverId).collect(Collectors.toSet());
        try (Connection c = cluster.primary().connectAdmin(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS " + OTHER_SCHEMA);
            s.execute("GRANT ALL PRIVILEGES ON " + OTHER_SCHEMA + ".* TO '" + cluster.app().user() + "'@'%'");
            s.execute("CREATE TABLE IF NOT EXISTS " + OTHER_SCHEMA + ".where_am_i (name VARCHAR(20))");
            s.execute("DELETE FROM " + OTHER_SCHEMA + ".where_am_i");
            s.execute("INSERT INTO " + OTHER_SCHEMA + ".where_am_i VALUES ('other')");
            String app = "`" + cluster.database() + "`";
            s.execute("CREATE TABLE IF NOT EXISTS " + app + ".where_am_i (name VARCHAR(20))");
            s.execute("DELETE FROM " + app + ".where_am_i");
            s.execute("INSERT INTO " + app + ".where_am_i VALUES ('app')");
            s.execute("CREATE TABLE IF NOT EXISTS " + app + ".ss_items (id INT AUTO_INCREMENT PRIMARY KEY, "
                    + "grp INT, small TINYINT, UNIQUE KEY (grp, small))");
            s.execute("TRUNCATE TABLE " + app + ".ss_items");
        }
        cluster.awaitReplicasCaughtUp(Duration.ofSeconds(10));
        LimitsConfig oneLoop = new LimitsConfig(1000, Duration.ofSeconds(10), 64L << 20, Duration.ofSeconds(2), 1);
        proxy = RunningProxy.start(cluster, "", oneLoop, ClientTlsConfig.OFF);
    }

    @AfterAll
    void stop() throws SQLException {
        if (proxy != null) {
            proxy.close();
        }
        try (Connection c = cluster.primary().connectAdmin(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + OTHER_SCHEMA);
        }
    }

    private record Seen(int serverId, List<String> values) {
    }

    private static Seen read(Statement s, String... expressions) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT @@server_id, " + String.join(", ", expressions))) {
            rs.next();
            List<String> v = new ArrayList<>();
            for (int i = 0; i < expressions.length; i++) {
                v.add(rs.getString(i + 2));
            }
            return new Seen(rs.getInt(1), v);
        }
    }

    @Test
    void settingsFollowTheSessionToEveryReplicaAndStayWithIt() throws SQLException {
        String[] probe = {"@@session.time_zone", "@@collation_connection", "@@session.sql_mode"};
        try (Connection a = proxy.connect(""); Connection b = proxy.connect("");
                Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            List<String> untouched = read(sb, probe).values();
            sa.execute("SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci");
            sa.execute("SET time_zone = '+03:00'");
            sa.execute("SET sql_mode = 'ANSI_QUOTES,STRICT_ALL_TABLES'");
            Set<Integer> seenA = new HashSet<>();
            Set<Integer> seenB = new HashSet<>();
            for (int i = 0; i < 30; i++) {
                // interleaved (A, B, B: with round robin over two replicas each session meets both) on
                // the same pooled backend connections
                Seen x = read(i % 3 == 0 ? sa : sb, probe);
                if (i % 3 != 0) {
                    seenB.add(x.serverId());
                    assertThat(x.values()).isEqualTo(untouched);
                    continue;
                }
                seenA.add(x.serverId());
                assertThat(x.values()).containsExactly("+03:00", "utf8mb4_unicode_ci", "ANSI_QUOTES,STRICT_ALL_TABLES");
            }
            assertThat(seenA).isEqualTo(replicaIds);
            assertThat(seenB).isEqualTo(replicaIds);
            // the settings change what statements mean, not just what variables say
            try (ResultSet rs = sa.executeQuery("SELECT \"name\" FROM where_am_i")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("app");
            }
            try (ResultSet rs = sb.executeQuery("SELECT \"name\" FROM where_am_i")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("name");
            }
            // and a write on the primary runs with them too
            sa.executeUpdate("INSERT INTO where_am_i (name) VALUES (CONCAT('tz ', @@session.time_zone))");
            try (ResultSet rs = sb.executeQuery("SELECT COUNT(*) FROM where_am_i WHERE name = 'tz +03:00' "
                    + "/* rwsplit:primary */")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            sa.executeUpdate("DELETE FROM where_am_i WHERE name LIKE 'tz %'");

            // back to the defaults: every backend follows again
            sa.execute("SET time_zone = DEFAULT");
            for (int i = 0; i < 6; i++) {
                assertThat(read(sa, "@@session.time_zone").values()).isEqualTo(List.of(untouched.get(0)));
            }
        }
    }

    @Test
    void theSchemaFollowsTheSessionWhicheverWayItChanges() throws SQLException {
        try (Connection c = proxy.connect(""); Connection other = proxy.connect("");
                Statement s = c.createStatement(); Statement so = other.createStatement()) {
            s.execute("USE " + OTHER_SCHEMA);
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 30; i++) {
                if (i % 3 == 0) {
                    Seen x = read(s, "DATABASE()", "(SELECT name FROM where_am_i)");
                    seen.add(x.serverId());
                    assertThat(x.values()).containsExactly(OTHER_SCHEMA, "other");
                } else {
                    assertThat(read(so, "DATABASE()", "(SELECT name FROM where_am_i)").values())
                            .containsExactly(cluster.database(), "app");
                }
            }
            assertThat(seen).isEqualTo(replicaIds);
            // Connector/J's setCatalog: COM_INIT_DB or USE, whichever it sends
            c.setCatalog(cluster.database());
            for (int i = 0; i < 6; i++) {
                assertThat(read(s, "DATABASE()", "(SELECT name FROM where_am_i)").values())
                        .containsExactly(cluster.database(), "app");
            }
        }
    }

    @Test
    void aPreparedStatementKeepsTheSchemaItWasPreparedIn() throws SQLException {
        // as on a server: the statement's tables are those of the schema current at its prepare
        try (Connection c = proxy.connect("useServerPrepStmts=true");
                PreparedStatement q = c.prepareStatement("SELECT @@server_id, name, DATABASE() FROM where_am_i");
                Statement s = c.createStatement()) {
            s.execute("USE " + OTHER_SCHEMA);
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 12; i++) {
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    seen.add(rs.getInt(1));
                    assertThat(rs.getString(2)).isEqualTo("app");
                    // a server even runs the execute in that schema
                    assertThat(rs.getString(3)).isEqualTo(cluster.database());
                }
                if (i % 2 == 1) {
                    // and the session's own statements still see its current schema
                    assertThat(read(s, "DATABASE()", "(SELECT name FROM where_am_i)").values())
                            .containsExactly(OTHER_SCHEMA, "other");
                }
            }
            assertThat(seen).isEqualTo(replicaIds);
        }
    }

    @Test
    void aTemporaryTablePinsTheSessionToThePrimaryUntilItIsDropped() throws SQLException {
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            s.execute("CREATE TEMPORARY TABLE scratch (v INT)");
            s.executeUpdate("INSERT INTO scratch VALUES (1), (2), (3)");
            for (int i = 0; i < 20; i++) {
                try (ResultSet rs = s.executeQuery("SELECT @@server_id, SUM(v) FROM scratch")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(primaryId);
                    assertThat(rs.getInt(2)).isEqualTo(6);
                }
            }
            try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM scratch WHERE v >= ?")) {
                q.setInt(1, 2);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(2);
                }
            }
            s.execute("DROP TEMPORARY TABLE scratch");
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                seen.add(read(s, "1").serverId());
            }
            assertThat(seen).isEqualTo(replicaIds);
        }
    }

    @Test
    void lastInsertIdAndRowCountComeFromTheStatementThatMadeThem() throws SQLException {
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            // reads in between put replica connections into the session's hands and back
            read(s, "1");
            s.executeUpdate("INSERT INTO ss_items (grp, small) VALUES (1, 1)");
            long id;
            try (ResultSet rs = s.executeQuery("SELECT LAST_INSERT_ID(), @@server_id")) {
                rs.next();
                id = rs.getLong(1);
                assertThat(id).isPositive();
                assertThat(rs.getInt(2)).isEqualTo(primaryId);
            }
            s.executeUpdate("INSERT INTO ss_items (grp, small) VALUES (1, 2), (1, 3), (1, 4)");
            try (ResultSet rs = s.executeQuery("SELECT LAST_INSERT_ID()")) {
                rs.next();
                // the first id of the last multi-row insert
                assertThat(rs.getLong(1)).isEqualTo(id + 1);
            }
            s.executeUpdate("UPDATE ss_items SET small = small + 10 WHERE grp = 1 AND small > 1");
            try (ResultSet rs = s.executeQuery("SELECT ROW_COUNT()")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(3);
            }
            s.executeUpdate("DELETE FROM ss_items WHERE grp = 1 AND small > 12");
            try (ResultSet rs = s.executeQuery("SELECT ROW_COUNT()")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2);
            }
            // the same through server-side prepared statements
            try (Connection p = proxy.connect("useServerPrepStmts=true");
                    PreparedStatement ins = p.prepareStatement("INSERT INTO ss_items (grp, small) VALUES (?, ?)");
                    PreparedStatement last = p.prepareStatement("SELECT LAST_INSERT_ID()");
                    Statement ps = p.createStatement()) {
                ins.setInt(1, 2);
                ins.setInt(2, 1);
                ins.executeUpdate();
                try (ResultSet rs = last.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).isGreaterThan(id + 3);
                }
                read(ps, "2");
                ps.executeUpdate("UPDATE ss_items SET small = 99 WHERE grp = 2");
                try (ResultSet rs = ps.executeQuery("SELECT ROW_COUNT()")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void foundRowsComesFromTheSessionsOwnRead() throws SQLException {
        try (Connection a = proxy.connect(""); Connection b = proxy.connect("");
                Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            for (int i = 0; i < 6; i++) {
                try (ResultSet rs = sa.executeQuery("SELECT SQL_CALC_FOUND_ROWS seq FROM seq_1_to_100 LIMIT 1")) {
                    rs.next();
                }
                // another session's reads in between, on both replicas, on the same pool
                for (int k = 0; k < 2; k++) {
                    try (ResultSet rs = sb.executeQuery("SELECT SQL_CALC_FOUND_ROWS seq FROM seq_1_to_7 LIMIT 1")) {
                        rs.next();
                    }
                }
                try (ResultSet rs = sa.executeQuery("SELECT FOUND_ROWS()")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(100);
                }
            }
        }
    }

    @Test
    void warningsAreAskedOfTheServerThatRaisedThem() throws SQLException {
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO ss_items (grp, small) VALUES (3, 1)");
            // a duplicate key and an out-of-range value, both only warnings under IGNORE
            int n = s.executeUpdate("INSERT IGNORE INTO ss_items (grp, small) VALUES (3, 1), (3, 300)");
            assertThat(n).isEqualTo(1);
            List<Integer> codes = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SHOW WARNINGS")) {
                while (rs.next()) {
                    codes.add(rs.getInt("Code"));
                }
            }
            assertThat(codes).containsExactly(1062, 1264);
            try (ResultSet rs = s.executeQuery("SELECT @@warning_count")) {
                rs.next();
                // SHOW WARNINGS itself leaves the list as it was
                assertThat(rs.getInt(1)).isEqualTo(2);
            }

            // a read on a replica that warns: its warnings are on that replica
            int from;
            try (ResultSet rs = s.executeQuery("SELECT @@server_id, CAST('12abc' AS SIGNED)")) {
                rs.next();
                from = rs.getInt(1);
                assertThat(rs.getLong(2)).isEqualTo(12);
            }
            assertThat(replicaIds).contains(from);
            codes.clear();
            try (ResultSet rs = s.executeQuery("SHOW WARNINGS")) {
                while (rs.next()) {
                    codes.add(rs.getInt("Code"));
                }
            }
            assertThat(codes).containsExactly(1292);
        }
        // Connector/J asks for the warnings itself when an OK packet counts some
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT IGNORE INTO ss_items (grp, small) VALUES (3, 1)");
            SQLWarning w = s.getWarnings();
            assertThat(w != null).as("warnings of the insert").isTrue();
            assertThat(w.getErrorCode()).isEqualTo(1062);
        }
    }

    @Test
    void aFreshSessionStartsClean() throws SQLException {
        // what earlier sessions set must not be on the connections a new session borrows
        try (Connection dirty = proxy.connect(""); Statement s = dirty.createStatement()) {
            s.execute("SET time_zone = '-07:00'");
            s.execute("USE " + OTHER_SCHEMA);
            for (int i = 0; i < 4; i++) {
                read(s, "1");
            }
        }
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            for (int i = 0; i < 6; i++) {
                Seen x = read(s, "@@session.time_zone = @@global.time_zone", "DATABASE()");
                assertThat(x.values()).containsExactly("1", cluster.database());
            }
        }
    }
}
