package io.rwsplit.proxy.frontend;

import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.rwsplit.core.config.ReadYourWrites;
import io.rwsplit.core.flavor.Flavor;
import io.rwsplit.core.flavor.GtidSet;
import io.rwsplit.core.flavor.ServerDialect;
import io.rwsplit.core.route.RouteDecision;
import io.rwsplit.core.session.SessionState;
import io.rwsplit.core.session.Transaction;
import io.rwsplit.core.sql.Classification;
import io.rwsplit.core.sql.StatementKind;
import io.rwsplit.proxy.backend.BackendConnection;
import io.rwsplit.proxy.backend.Response;

/**
 * Causal read-your-writes for the proxy's sessions: after each committed write, learn which GTIDs
 * the reads that follow must find applied; before a read the router sent to a replica that may
 * not have them yet, wait there (bounded) for them.
 *
 * <p>MariaDB tells a session the GTID of its last write ({@code @@last_gtid}). MySQL has no such
 * variable, and reading the GTID from session tracking would need {@code CLIENT_SESSION_TRACK} on
 * every backend connection whatever the client asked for; so on MySQL the session takes the
 * primary's whole {@code gtid_executed} right after its write. That set contains the write and
 * everything committed before it: a replica that has applied it has the write, at the price of
 * sometimes waiting for other sessions' writes too.
 */
final class CausalReads {

    private final boolean on;

    CausalReads(ReadYourWrites mode) {
        this.on = mode == ReadYourWrites.CAUSAL;
    }

    boolean on() {
        return on;
    }

    /** Whether {@code c}, which just succeeded, committed a write whose position later reads must see. */
    boolean mustLearn(Classification c, SessionState s) {
        if (!on) {
            return false;
        }
        boolean write = c.kind() == StatementKind.WRITE || c.kind() == StatementKind.UNKNOWN;
        return (write && s.transaction() == Transaction.NONE) || (c.kind() == StatementKind.END && s.wrote());
    }

    /**
     * Asks {@code c} (the connection that committed) for the position and records it in the
     * session; a position that cannot be learned sends the session's reads to the primary until its
     * next learned write. Never fails.
     */
    Future<Void> learn(BackendConnection c, SessionState s) {
        Promise<Void> done = c.eventLoop().newPromise();
        ServerDialect d;
        try {
            d = ServerDialect.of(c.serverVersion());
        } catch (IllegalArgumentException e) {
            s.recordWriteGtid(null);
            return done.setSuccess(null);
        }
        Flavor flavor = d.flavor();
        String sql = flavor == Flavor.MARIADB ? d.lastWriteGtidSql() : d.gtidExecutedSql();
        c.query(sql).addListener(f -> {
            GtidSet gtid = null;
            if (f.isSuccess()) {
                Response r = (Response) f.getNow();
                try {
                    String text = r.error() ? null : r.firstValue();
                    gtid = text == null ? null : GtidSet.parse(flavor, text);
                } catch (RuntimeException | io.rwsplit.proxy.codec.MalformedPacketException e) {
                    gtid = null;
                }
            }
            s.recordWriteGtid(gtid == null || gtid.isEmpty() ? null : gtid);
            done.setSuccess(null);
        });
        return done;
    }

    /**
     * Waits on {@code c}, a replica's connection, until it has applied {@code wait}'s GTIDs or the
     * wait's timeout passes; the future says whether they arrived. A failed wait reads as "not
     * arrived", so the statement goes to the primary.
     */
    static Future<Boolean> await(BackendConnection c, RouteDecision.CausalWait wait) {
        Promise<Boolean> arrived = c.eventLoop().newPromise();
        ServerDialect d;
        try {
            d = ServerDialect.of(c.serverVersion());
        } catch (IllegalArgumentException e) {
            return arrived.setSuccess(false);
        }
        String sql = bind(d.waitForGtidSql(), quoted(wait.gtid().text()),
                ServerDialect.waitTimeout(wait.timeout()).toPlainString());
        c.query(sql).addListener(f -> {
            boolean ok = false;
            if (f.isSuccess()) {
                Response r = (Response) f.getNow();
                try {
                    String v = r.error() ? null : r.firstValue();
                    ok = v != null && d.waitReached(Long.parseLong(v.trim()));
                } catch (RuntimeException | io.rwsplit.proxy.codec.MalformedPacketException e) {
                    ok = false;
                }
            }
            arrived.setSuccess(ok);
        });
        return arrived;
    }

    /** The dialect's statement with its two {@code ?} parameters replaced by literals. */
    private static String bind(String sql, String first, String second) {
        int a = sql.indexOf('?');
        int b = sql.indexOf('?', a + 1);
        return sql.substring(0, a) + first + sql.substring(a + 1, b) + second + sql.substring(b + 1);
    }

    /** GTID text is digits, dashes, colons, commas and hex UUIDs; quoting still keeps it a literal. */
    private static String quoted(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
