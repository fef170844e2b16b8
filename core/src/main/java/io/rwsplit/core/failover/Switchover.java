package io.rwsplit.core.failover;

import io.rwsplit.core.flavor.GtidSet;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.core.topology.ProbeConnector;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A planned switchover: makes a healthy replica the primary while the old primary is healthy too,
 * losing nothing and leaving the old primary a replica of the new one (it is not fenced). Runs over
 * the monitor account's JDBC connections, like {@link Promoter}. A front end that must not show
 * clients errors holds its writes around it (the proxy does).
 *
 * <p>Steps, each logged on one line:
 * <ol>
 * <li>Take the failover lock on a majority, as a promotion does, so a switchover and a promotion (or
 * two switchovers) never run at once.</li>
 * <li>Read every node afresh and check with {@link SwitchoverPlan}.</li>
 * <li>Old primary {@code read_only=ON} ({@code super_read_only} on MySQL), then read its final
 * position: nothing more can be written there.</li>
 * <li>Wait on the target, at most {@code catchupTimeout}, until it has applied that position. If it
 * does not get there, the old primary is made writable again and nothing else has changed.</li>
 * <li>Stop and reset replication on the target, {@code read_only=OFF}.</li>
 * <li>Repoint every other replica to the target; then make the old primary its replica (see
 * {@link SwitchoverSql#rejoin}); make the target a semi-synchronous primary if it was a semi-synchronous
 * replica.</li>
 * <li>Release the lock. The caller has the monitor publish the new topology.</li>
 * </ol>
 * Not thread-safe: the monitor's thread runs it.
 */
public final class Switchover {

    private static final Logger log = LoggerFactory.getLogger(Switchover.class);

    private final ProbeConnector connector;
    private final Duration statementTimeout;
    private final FailoverSettings settings;

    public Switchover(ProbeConnector connector, Duration statementTimeout, FailoverSettings settings) {
        this.connector = connector;
        this.statementTimeout = statementTimeout;
        this.settings = settings;
    }

    /**
     * @param primary the primary the topology shows, {@code null} when none
     * @param target  the replica to promote, by name; empty for the best candidate
     * @param nodes   every configured node in configuration order, as the monitor last saw it
     */
    public SwitchoverResult run(NodeId primary, Optional<String> target, List<NodeState> nodes) {
        long start = System.nanoTime();
        Map<NodeId, AdminSession> sessions = new LinkedHashMap<>();
        NodeId old = primary;
        NodeId next = null;
        boolean demoted = false;
        boolean promoted = false;
        try {
            SwitchoverPlan early = SwitchoverPlan.plan(primary, target, nodes);
            if (early.refused()) {
                return done(SwitchoverResult.Kind.REFUSED, old, null, early.reason(), start);
            }
            String notLocked = AdminSession.lockMajority(connector, nodes, statementTimeout, sessions);
            if (notLocked != null) {
                return done(SwitchoverResult.Kind.NOT_LOCKED, old, null, notLocked, start);
            }
            List<NodeState> fresh = AdminSession.readAll(nodes, sessions);
            SwitchoverPlan plan = SwitchoverPlan.plan(primary, target, fresh);
            if (plan.refused()) {
                return done(SwitchoverResult.Kind.REFUSED, old, null, plan.reason(), start);
            }
            log.info("failover: {} (locked and read in {} ms)", plan, millisSince(start));
            next = plan.target();
            AdminSession from = sessions.get(old);
            AdminSession to = sessions.get(next);

            from.run(SwitchoverSql.demote(from.dialect));
            demoted = true;
            GtidSet last = from.executed();
            log.info("failover: {} is read-only, its last position {} ({} ms)", old.name(), last.text(),
                    millisSince(start));
            long waitStart = System.nanoTime();
            if (!to.awaitApplied(last, settings.catchupTimeout(), statementTimeout)) {
                GtidSet at = to.executed();
                from.run(SwitchoverSql.undoDemote(from.dialect));
                demoted = false;
                return done(SwitchoverResult.Kind.FAILED, old, null, next.name() + " did not apply " + last.text()
                        + " within " + settings.catchupTimeout().toMillis() + " ms (it is at " + at.text() + "); "
                        + old.name() + " is writable again and nothing changed", start);
            }
            log.info("failover: {} caught up in {} ms", next.name(), (System.nanoTime() - waitStart) / 1_000_000);

            to.run(PromotionSql.promote(to.dialect));
            promoted = true;
            log.info("failover: promoted {} ({}): replication reset, read_only=OFF ({} ms)", next.name(),
                    next.address(), millisSince(start));

            // the other replicas first: on MariaDB 11.4.5 turning the primary side of semi-sync off on the
            // old primary while a semi-sync replica still reads from it crashed it (signal 11) as that
            // replica's binlog dump ended; repointed first, none reads from it any more
            for (NodeState f : fresh) {
                if (f.id().equals(next) || f.id().equals(old) || !f.reachable() || !f.replica().replicating()) {
                    continue;
                }
                AdminSession s = sessions.get(f.id());
                try {
                    s.run(PromotionSql.repoint(s.dialect, next.host(), next.port()));
                    log.info("failover: {} now replicates from {} by GTID ({} ms)", f.id().name(), next.name(),
                            millisSince(start));
                } catch (SQLException e) {
                    // the new primary stands; this replica is left for an operator, and says why
                    log.error("failover: could not repoint {} to {}: {}", f.id().name(), next.name(),
                            Promoter.describe(e));
                }
            }
            boolean semiSync = "1".equals(from.string(from.dialect.semiSyncPrimarySql()));
            from.run(SwitchoverSql.rejoin(from.dialect, next.host(), next.port(), settings.replicationUser(),
                    settings.replicationPassword(), semiSync));
            log.info("failover: {} now replicates from {} by GTID ({} ms)", old.name(), next.name(), millisSince(start));
            Promoter.keepSemiSync(to);
            return done(SwitchoverResult.Kind.SWITCHED, old, next, plan.reason(), start);
        } catch (SQLException | RuntimeException e) {
            String state;
            if (promoted) {
                state = next.name() + " is the primary; " + old.name() + " is read-only and may need to be made its "
                        + "replica by hand";
            } else if (demoted && undo(sessions.get(old))) {
                state = old.name() + " is writable again and nothing changed";
            } else if (demoted) {
                state = old.name() + " was left read-only: make it writable by hand (SET GLOBAL read_only = OFF)";
            } else {
                state = "nothing changed";
            }
            return done(SwitchoverResult.Kind.FAILED, old, promoted ? next : null, Promoter.describe(e) + "; " + state,
                    start);
        } finally {
            for (AdminSession s : sessions.values()) {
                s.close();
            }
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static boolean undo(AdminSession s) {
        try {
            s.run(SwitchoverSql.undoDemote(s.dialect));
            return true;
        } catch (SQLException | RuntimeException e) {
            log.error("failover: could not make {} writable again: {}", s.node.name(), Promoter.describe(e));
            return false;
        }
    }

    private static SwitchoverResult done(SwitchoverResult.Kind kind, NodeId old, NodeId next, String reason,
            long startNanos) {
        SwitchoverResult r = new SwitchoverResult(kind, old, next, reason, Duration.ofNanos(System.nanoTime()
                - startNanos));
        if (kind == SwitchoverResult.Kind.SWITCHED) {
            log.info("failover: {}", r);
        } else {
            log.warn("failover: {}", r);
        }
        return r;
    }
}
