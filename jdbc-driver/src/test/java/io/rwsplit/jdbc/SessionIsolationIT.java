package io.rwsplit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.sql.BatchUpdateException;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Sessions sharing physical connections must not see each other: what one leaves behind (an open
 * transaction, locks, temporary tables, variables, settings, schema) never reaches the next, and
 * what one does is never lost or committed by accident. Pools of one connection per node force
 * every session onto the same physical connections.
 */
@SandboxCluster(replicas = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionIsolationIT {

    private final Cluster cluster;

    SessionIsolationIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    void schema() throws SQLException {
        try (Connection c = cluster.primary().connectAdmin(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS other");
            s.execute("GRANT ALL ON other.* TO '" + cluster.app().user() + "'@'%'");
        }
        try (Connection c = cluster.primary().connect(cluster.app()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS iso (id INT AUTO_INCREMENT PRIMARY KEY, v INT)");
            s.execute("CREATE TABLE IF NOT EXISTS iso_unique (id INT PRIMARY KEY)");
            s.execute("INSERT IGNORE INTO iso_unique VALUES (2)");
            s.execute("DROP PROCEDURE IF EXISTS iso_ins");
            s.execute("CREATE PROCEDURE iso_ins(x INT) INSERT INTO iso (v) VALUES (x)");
        }
        cluster.awaitReplicasCaughtUp(Duration.ofSeconds(10));
    }

    private RwsplitDataSource oneConnectionPerNode() {
        RwsplitDataSource d = new RwsplitDataSource();
        d.setUrl(Servers.url(cluster, "rwsplit.pool.maxSize=1", "rwsplit.pool.acquireTimeout=2s"));
        d.setUser(cluster.app().user());
        d.setPassword(cluster.app().password());
        return d;
    }

    /** How many rows with {@code v} are committed, read on the primary by the admin. */
    private int committed(int v) throws SQLException {
        try (Connection c = cluster.primary().connectAdmin(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + cluster.database() + ".iso WHERE v = " + v)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aTransactionLeftOpenByBeginIsRolledBackAndTheNextSessionsWriteIsKept() throws SQLException {
        try (RwsplitDataSource ds = oneConnectionPerNode()) {
            try (Connection a = ds.getConnection(); Statement s = a.createStatement()) {
                s.execute("BEGIN");
                s.executeUpdate("INSERT INTO iso (v) VALUES (101)");
            }
            try (Connection b = ds.getConnection(); Statement s = b.createStatement()) {
                assertThat(s.executeUpdate("INSERT INTO iso (v) VALUES (102)")).isEqualTo(1);
            }
        }
        assertThat(committed(101)).as("abandoned without COMMIT").isZero();
        assertThat(committed(102)).as("the next session's autocommit write").isEqualTo(1);
    }

    @Test
    void uncommittedBatchWorkIsNotCommittedWhenTheConnectionCloses() throws SQLException {
        try (RwsplitDataSource ds = oneConnectionPerNode()) {
            try (Connection a = ds.getConnection();
                    PreparedStatement ps = a.prepareStatement("INSERT INTO iso (v) VALUES (?)")) {
                a.setAutoCommit(false);
                ps.setInt(1, 103);
                ps.addBatch();
                ps.executeLargeBatch();
            }
            try (Connection a = ds.getConnection(); Statement s = a.createStatement()) {
                a.setAutoCommit(false);
                s.addBatch("INSERT INTO iso_unique VALUES (51)");
                s.addBatch("INSERT INTO iso_unique VALUES (2)");
                assertThatThrownBy(s::executeBatch).isInstanceOf(BatchUpdateException.class);
                a.rollback();
            }
        }
        assertThat(committed(103)).isZero();
        try (Connection c = cluster.primary().connectAdmin(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + cluster.database() + ".iso_unique WHERE id = 51")) {
            rs.next();
            assertThat(rs.getInt(1)).as("part of a failed batch, rolled back").isZero();
        }
    }

    @Test
    void locksTemporaryTablesAndVariablesDoNotReachTheNextSession() throws SQLException {
        try (RwsplitDataSource ds = oneConnectionPerNode()) {
            try (Connection a = ds.getConnection(); Statement s = a.createStatement()) {
                s.execute("SELECT GET_LOCK('iso-lock', 0)");
                s.execute("CREATE TEMPORARY TABLE iso_tmp (id INT)");
                s.execute("SET @secret = 'from-a'");
            }
            try (Connection b = ds.getConnection(); Statement s = b.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT IS_FREE_LOCK('iso-lock'), @secret")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("the lock went with session A").isEqualTo(1);
                    assertThat(rs.getString(2)).isNull();
                }
                s.execute("CREATE TEMPORARY TABLE iso_tmp (id INT)");
                s.execute("DROP TEMPORARY TABLE iso_tmp");
            }
        }
    }

    @Test
    void settingsAndSchemaOfOneSessionDoNotLeakIntoTheNext() throws SQLException {
        try (RwsplitDataSource ds = oneConnectionPerNode()) {
            try (Connection a = ds.getConnection(); Statement s = a.createStatement()) {
                s.execute("SET time_zone = '+05:00'");
                s.execute("USE other");
                s.executeUpdate("DELETE FROM " + cluster.database() + ".iso WHERE v = -1");
            }
            try (Connection b = ds.getConnection(); Statement s = b.createStatement()) {
                for (int i = 0; i < 3; i++) {
                    try (ResultSet rs = s.executeQuery("SELECT @@time_zone, DATABASE() FROM dual WHERE "
                            + "IS_FREE_LOCK('x') IS NOT NULL")) {
                        rs.next();
                        assertThat(rs.getString(1)).as("on the primary").isNotEqualTo("+05:00");
                        assertThat(rs.getString(2)).isEqualTo(cluster.database());
                    }
                    try (ResultSet rs = s.executeQuery("SELECT @@time_zone, DATABASE()")) {
                        rs.next();
                        assertThat(rs.getString(1)).as("on a replica").isNotEqualTo("+05:00");
                        assertThat(rs.getString(2)).isEqualTo(cluster.database());
                    }
                }
            }
        }
    }

    @Test
    void rowCountAndFoundRowsComeFromTheConnectionThatRanThePreviousStatement() throws SQLException {
        try (RwsplitDataSource ds = oneConnectionPerNode(); Connection a = ds.getConnection();
                Statement s = a.createStatement()) {
            s.executeUpdate("INSERT INTO iso (v) VALUES (104), (104), (104)");
            assertThat(s.executeUpdate("DELETE FROM iso WHERE v = 104")).isEqualTo(3);
            try (Connection other = ds.getConnection(); Statement o = other.createStatement()) {
                o.executeQuery("SELECT 1").close();
            }
            try (ResultSet rs = s.executeQuery("SELECT ROW_COUNT()")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(3);
            }
            cluster.awaitReplicasCaughtUp(Duration.ofSeconds(10));
            try (ResultSet rs = s.executeQuery("SELECT SQL_CALC_FOUND_ROWS id FROM iso LIMIT 1")) {
                rs.next();
            }
            try (ResultSet rs = s.executeQuery("SELECT FOUND_ROWS()")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(committedRows());
            }
        }
    }

    private long committedRows() throws SQLException {
        try (Connection c = cluster.primary().connectAdmin(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + cluster.database() + ".iso")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void jdbcCommitAndRollbackEndATransactionOpenedByBegin() throws SQLException {
        try (RwsplitDataSource ds = oneConnectionPerNode(); Connection a = ds.getConnection();
                Statement s = a.createStatement()) {
            s.execute("BEGIN");
            s.executeUpdate("INSERT INTO iso (v) VALUES (105)");
            a.commit();
            s.execute("START TRANSACTION");
            s.executeUpdate("INSERT INTO iso (v) VALUES (106)");
            a.rollback();
        }
        assertThat(committed(105)).isEqualTo(1);
        assertThat(committed(106)).isZero();
    }

    @Test
    void aCommitAfterTheTransactionsConnectionWasLostFailsInsteadOfPretending() throws SQLException {
        try (RwsplitDataSource ds = oneConnectionPerNode(); Connection a = ds.getConnection();
                Statement s = a.createStatement()) {
            a.setAutoCommit(false);
            s.executeUpdate("INSERT INTO iso (v) VALUES (107)");
            long id;
            try (ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
                rs.next();
                id = rs.getLong(1);
            }
            try (Connection admin = cluster.primary().connectAdmin(); Statement k = admin.createStatement()) {
                k.execute("KILL CONNECTION " + id);
            }
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO iso (v) VALUES (107)"))
                    .isInstanceOf(SQLTransientConnectionException.class);
            assertThatThrownBy(a::commit).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("08S01"));
            // one lost connection is not a dead server: other sessions still write
            try (Connection b = ds.getConnection(); Statement o = b.createStatement()) {
                assertThat(o.executeUpdate("INSERT INTO iso (v) VALUES (108)")).isEqualTo(1);
            }
        }
        assertThat(committed(107)).isZero();
    }

    @Test
    void aOneTransactionIsolationLevelAppliesToTheNextTransaction() throws SQLException {
        try (RwsplitDataSource ds = new RwsplitDataSource()) {
            ds.setUrl(Servers.url(cluster));
            ds.setUser(cluster.app().user());
            ds.setPassword(cluster.app().password());
            try (Connection writer = ds.getConnection(); Connection reader = ds.getConnection();
                    Statement w = writer.createStatement(); Statement r = reader.createStatement()) {
                writer.setAutoCommit(false);
                w.executeUpdate("INSERT INTO iso (v) VALUES (109)");
                r.executeQuery("SELECT 1").close();
                r.execute("SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED");
                r.execute("START TRANSACTION");
                try (ResultSet rs = r.executeQuery("SELECT COUNT(*) FROM iso WHERE v = 109")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("READ UNCOMMITTED sees the other session's row").isEqualTo(1);
                }
                r.execute("COMMIT");
                writer.rollback();
            }
        }
    }

    @Test
    void aCallPreparedBeforeAutocommitWasSwitchedOffJoinsTheTransaction() throws SQLException {
        try (RwsplitDataSource ds = oneConnectionPerNode(); Connection a = ds.getConnection();
                CallableStatement call = a.prepareCall("{call iso_ins(?)}")) {
            a.setAutoCommit(false);
            call.setInt(1, 110);
            call.execute();
            a.rollback();
        }
        assertThat(committed(110)).isZero();
    }

    @Test
    void aCallInAReadOnlyTransactionIsRefusedLikeAWrite() throws SQLException {
        try (RwsplitDataSource ds = oneConnectionPerNode(); Connection a = ds.getConnection()) {
            a.setReadOnly(true);
            a.setAutoCommit(false);
            try (Statement s = a.createStatement()) {
                s.executeQuery("SELECT 1").close();
                assertThatThrownBy(() -> s.execute("{call iso_ins(111)}")).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getSQLState()).isEqualTo("25006"));
            }
            a.rollback();
        }
        assertThat(committed(111)).isZero();
    }

    @Test
    void setCatalogToAMissingDatabaseFailsAtOnceAndKeepsTheOldOne() throws SQLException {
        try (RwsplitDataSource ds = oneConnectionPerNode(); Connection a = ds.getConnection()) {
            assertThatThrownBy(() -> a.setCatalog("no_such_db")).isInstanceOf(SQLException.class);
            assertThat(a.getCatalog()).isEqualTo(cluster.database());
            try (Statement s = a.createStatement(); ResultSet rs = s.executeQuery("SELECT DATABASE()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(cluster.database());
            }
        }
    }

    @Test
    void aBadUrlIsReportedWithoutItsPassword() {
        assertThatThrownBy(() -> java.sql.DriverManager.getConnection(
                "jdbc:rwsplit:mysql://" + cluster.primary().host() + ":33o6/app?user=app&password=s3cr3t"))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getMessage()).contains("'33o6' is not a port").doesNotContain("s3cr3t");
                });
    }

    @Test
    void isValidDoesNotBorrowAConnection() throws SQLException {
        try (RwsplitDataSource ds = oneConnectionPerNode(); Connection holder = ds.getConnection();
                Connection other = ds.getConnection(); Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.executeUpdate("INSERT INTO iso (v) VALUES (112)");
            long t0 = System.nanoTime();
            assertThat(other.isValid(1)).as("the primary's only connection is busy, yet the session is valid").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
            holder.rollback();
        }
        assertThat(cluster.nodes()).extracting(Node::name).isNotEmpty();
    }
}
