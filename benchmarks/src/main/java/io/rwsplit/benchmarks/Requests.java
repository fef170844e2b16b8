package io.rwsplit.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What an application sends, written the way it has to be written for each kind of driver: with
 * Connector/J's replication driver and the AWS wrapper a read leaves the primary only inside
 * {@code setReadOnly(true)}, and the AWS wrapper refuses a statement made on another internal
 * connection than the current one, so text statements are created after the switch. rwsplit and
 * raw Connector/J get the same code without the switch.
 */
final class Requests {

    static final String SELECT = "SELECT id, name, email, created_at FROM bench_users WHERE id = ";
    static final String SELECT_PREPARED = "SELECT id, name, email, created_at FROM bench_users WHERE id = ?";
    private static final String INSERT = "INSERT INTO bench_events (user_id, amount, note) VALUES (";

    /** Reads in one {@link #mix} request; one write follows them. */
    static final int MIX_READS = 9;

    private Requests() {
    }

    /** A point select by primary key as a text statement, its literal inlined. */
    static long pointSelect(Connection c, boolean toggle, int id) throws SQLException {
        if (toggle) {
            c.setReadOnly(true);
        }
        try {
            return select(c, id);
        } finally {
            if (toggle) {
                c.setReadOnly(false);
            }
        }
    }

    /**
     * The statement {@link #preparedPointSelect} reuses, prepared where the reads go: for a driver
     * that switches on {@code setReadOnly}, inside the switch. Both peers let it be reused in
     * later read-only blocks: the AWS wrapper because it keeps the reader connection the statement
     * was made on (it refuses the statement on any other), Connector/J's replication driver because
     * its statements follow the connection's current server.
     */
    static PreparedStatement prepare(Connection c, boolean toggle) throws SQLException {
        if (!toggle) {
            return c.prepareStatement(SELECT_PREPARED);
        }
        c.setReadOnly(true);
        try {
            return c.prepareStatement(SELECT_PREPARED);
        } finally {
            c.setReadOnly(false);
        }
    }

    /** A point select on the thread's reused PreparedStatement from {@link #prepare}. */
    static long preparedPointSelect(Connection c, PreparedStatement prepared, boolean toggle, int id)
            throws SQLException {
        if (toggle) {
            c.setReadOnly(true);
        }
        try {
            prepared.setInt(1, id);
            try (ResultSet rs = prepared.executeQuery()) {
                return consume(rs);
            }
        } finally {
            if (toggle) {
                c.setReadOnly(false);
            }
        }
    }

    /** One row into {@code bench_events}, autocommit, as a text statement. */
    static int insert(Connection c, int userId) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.executeUpdate(INSERT + userId + ", " + (userId % 1000) + ".25, 'bench')");
        }
    }

    /**
     * {@value #MIX_READS} point selects, then one insert: a request that reads, then writes. A
     * driver that needs {@code setReadOnly} gets it once around the reads, as a read-only
     * transactional method around them would set it.
     */
    static long mix(Connection c, boolean toggle, int[] ids, int writeId) throws SQLException {
        long sum = 0;
        if (toggle) {
            c.setReadOnly(true);
        }
        try {
            for (int i = 0; i < MIX_READS; i++) {
                sum += select(c, ids[i]);
            }
        } finally {
            if (toggle) {
                c.setReadOnly(false);
            }
        }
        return sum + insert(c, writeId);
    }

    private static long select(Connection c, int id) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SELECT + id)) {
            return consume(rs);
        }
    }

    /** Reads every column, as an application mapping the row would; fails if the row is missing. */
    private static long consume(ResultSet rs) throws SQLException {
        if (!rs.next()) {
            throw new IllegalStateException("no row: the table is not loaded where the read ran");
        }
        long h = rs.getInt(1);
        h = 31 * h + rs.getString(2).length();
        h = 31 * h + rs.getString(3).length();
        h = 31 * h + rs.getTimestamp(4).getTime();
        return h;
    }
}
