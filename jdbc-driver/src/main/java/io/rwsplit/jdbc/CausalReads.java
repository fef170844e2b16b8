package io.rwsplit.jdbc;

import com.mysql.cj.MysqlConnection;
import com.mysql.cj.protocol.ServerSessionStateController;
import io.rwsplit.core.config.ReadYourWrites;
import io.rwsplit.core.flavor.Flavor;
import io.rwsplit.core.flavor.GtidSet;
import io.rwsplit.core.flavor.ServerDialect;
import io.rwsplit.core.route.RouteDecision;
import io.rwsplit.core.session.SessionState;
import io.rwsplit.core.session.Transaction;
import io.rwsplit.core.sql.Classification;
import io.rwsplit.core.sql.StatementKind;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Causal read-your-writes for one logical connection: after each committed write, learn the GTID
 * it got (MariaDB: {@code @@last_gtid}; MySQL: the GTID the server reports in the OK packet with
 * {@code session_track_gtids = OWN_GTID}, read through Connector/J's session state tracking), so
 * the router can pick a replica that has applied it, or wait on one ({@code MASTER_GTID_WAIT} /
 * {@code WAIT_FOR_EXECUTED_GTID_SET}) before reading there. Does nothing in other modes.
 */
final class CausalReads {

    private final boolean on;

    CausalReads(ReadYourWrites mode) {
        this.on = mode == ReadYourWrites.CAUSAL;
    }

    /** The dialect of the server behind {@code lease}, learned once per physical connection. */
    static ServerDialect dialect(Lease lease) throws SQLException {
        PhysicalState p = lease.state;
        if (p.dialect == null) {
            p.dialect = ServerDialect.of(lease.connection.getMetaData().getDatabaseProductVersion());
        }
        return p.dialect;
    }

    /** Before the first write on a MySQL connection: ask the server to report the GTIDs it writes. */
    void prepare(Lease lease) throws SQLException {
        if (!on || lease.state.gtidTracking) {
            return;
        }
        ServerDialect d = dialect(lease);
        String enable = d.enableGtidTrackingSql();
        if (enable != null) {
            try (Statement s = lease.connection.createStatement()) {
                s.execute(enable);
            }
        }
        lease.state.gtidTracking = true;
    }

    /** After a statement succeeded: a committed write's GTID joins the session's. */
    void afterSuccess(Classification c, Lease lease, SessionState session) {
        if (!on) {
            return;
        }
        // UNKNOWN went to the primary as a possible write ({call p()}, text the classifier cannot read)
        boolean write = c.kind() == StatementKind.WRITE || c.kind() == StatementKind.UNKNOWN;
        boolean committedWrite = (write && session.transaction() == Transaction.NONE) || c.kind() == StatementKind.END;
        if (!committedWrite) {
            return;
        }
        try {
            GtidSet gtid = lastWrite(lease);
            if (gtid != null && !gtid.isEmpty()) {
                session.recordWriteGtid(gtid);
            } else if (write || session.wrote()) {
                // a write whose GTID the server did not tell: no replica can be shown to have it
                session.recordWriteGtid(null);
            }
        } catch (SQLException | RuntimeException e) {
            // without the GTID the session cannot prove a replica has its write: read from the primary
            session.recordWriteGtid(null);
        }
    }

    private static GtidSet lastWrite(Lease lease) throws SQLException {
        ServerDialect d = dialect(lease);
        if (d.flavor() == Flavor.MARIADB) {
            try (Statement s = lease.connection.createStatement(); ResultSet rs = s.executeQuery(d.lastWriteGtidSql())) {
                return rs.next() && rs.getString(1) != null ? GtidSet.parse(Flavor.MARIADB, rs.getString(1)) : null;
            }
        }
        ServerSessionStateController states = lease.connection.unwrap(MysqlConnection.class)
                .getServerSessionStateController();
        if (states == null || states.getSessionStateChanges() == null) {
            return null;
        }
        for (ServerSessionStateController.SessionStateChange change
                : states.getSessionStateChanges().getSessionStateChangesList()) {
            if (change.getType() == ServerSessionStateController.SESSION_TRACK_GTIDS && !change.getValues().isEmpty()) {
                return GtidSet.parse(Flavor.MYSQL, String.join(",", change.getValues()));
            }
        }
        return null;
    }

    /** Waits on {@code lease}'s replica for the session's last write; false when it did not arrive in time. */
    boolean await(Lease lease, RouteDecision.CausalWait wait) throws SQLException {
        ServerDialect d = dialect(lease);
        try (PreparedStatement ps = lease.connection.prepareStatement(d.waitForGtidSql())) {
            ps.setString(1, wait.gtid().text());
            ps.setBigDecimal(2, ServerDialect.waitTimeout(wait.timeout()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && d.waitReached(rs.getLong(1));
            }
        }
    }
}
