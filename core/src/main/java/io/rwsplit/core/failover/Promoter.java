package io.rwsplit.core.failover;

import io.rwsplit.core.flavor.GtidSet;
import io.rwsplit.core.flavor.ReplicaStatus;
import io.rwsplit.core.flavor.ServerDialect;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.core.topology.ProbeConnector;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Promotes the best replica when the primary is gone, over JDBC connections of the monitor's account
 * (which needs the privileges to stop and repoint replication, set {@code read_only} and kill
 * connections).
 *
 * <p>Steps, each logged on one line:
 * <ol>
 * <li>Connect to every node at once; take the lock {@code GET_LOCK('rwsplit.failover', 0)} on them in
 * configuration order until a majority of the configured nodes is held. Any instance about to
 * promote does the same, in the same order, so two of them cannot both hold a majority, and the
 * one that loses does not wait: it learns the outcome from its next monitor pass. The failed
 * primary is not waited for (a frozen one costs a whole connect timeout): it takes part only if it
 * answered by the time its turn comes.</li>
 * <li>Read every reachable node afresh, under the lock. A writable node that replicates from nobody
 * (other than the old primary and nodes fenced before) means another instance has promoted already:
 * stop.</li>
 * <li>Choose the candidate with {@link CandidateChoice} on the fresh readings.</li>
 * <li>Fence the old primary if it answers: {@code read_only=ON}, then kill its client connections.
 * If it is still connecting it is fenced when it answers, off the monitor's thread; until then the
 * coordinator's fenced set keeps it from being taken for primary.</li>
 * <li>Stop the other replicas' receivers, in parallel with the next two steps: a receiver stuck on
 * a frozen primary makes each stop wait (see {@link AdminSession#runStopping}), once for all of them
 * this way rather than once per replica after the promotion.</li>
 * <li>Wait, bounded, until the candidate has applied everything it received (and what the fenced
 * old primary has). Past the bound it is promoted anyway and the log says what it lacks: the
 * alternative, no primary at all, is worse for a replica that is merely slow.</li>
 * <li>Stop and reset replication on the candidate, {@code read_only=OFF}.</li>
 * <li>Repoint every other reachable replica to it with GTID auto-positioning.</li>
 * <li>If the candidate was a semi-synchronous replica, make it a semi-synchronous primary (it
 * acknowledged as a replica with the primary side off, see {@link #keepSemiSync}).</li>
 * <li>Release the lock. The monitor's next pass publishes the new topology.</li>
 * </ol>
 * If the promotion fails after the other replicas' receivers were stopped, they are started again.
 * Not thread-safe: the monitor's thread runs it (its own worker threads only open sessions, stop
 * receivers and fence late).
 */
public final class Promoter {

    private static final Logger log = LoggerFactory.getLogger(Promoter.class);

    private final ProbeConnector connector;
    private final Duration statementTimeout;
    private final Duration relayWait;
    /** Opens sessions and stops receivers in parallel; daemon threads that end when idle. */
    private final ExecutorService workers;

    /**
     * @param statementTimeout how long one statement of the promotion may take (a frozen node fails it)
     * @param relayWait        how long the candidate may take to apply its relay log
     */
    public Promoter(ProbeConnector connector, Duration statementTimeout, Duration relayWait) {
        this.connector = connector;
        this.statementTimeout = statementTimeout;
        this.relayWait = relayWait;
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "rwsplit-failover-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * @param oldPrimary the failed primary
     * @param nodes      every configured node in configuration order, as the monitor last saw it
     *                   (settings and ids; the rest is read again under the lock)
     * @param fenced     old primaries fenced before, never taken for a promoted primary
     */
    public Promotion promote(NodeId oldPrimary, List<NodeState> nodes, Set<NodeId> fenced) {
        long start = System.nanoTime();
        Map<NodeId, AdminSession> sessions = new LinkedHashMap<>();
        Map<NodeId, CompletableFuture<AdminSession>> opening = AdminSession.openAll(connector, nodes, statementTimeout,
                workers);
        boolean fenceLate = false;
        List<AdminSession> receiving = new ArrayList<>();
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        boolean promoted = false;
        try {
            // a failed primary is usually gone or frozen: its session is not waited for
            String notLocked = AdminSession.lockMajority(opening, nodes, oldPrimary, sessions);
            if (notLocked != null) {
                return done(Promotion.Kind.NOT_LOCKED, null, notLocked, start);
            }

            List<NodeState> fresh = new ArrayList<>(nodes.size());
            for (NodeState n : nodes) {
                AdminSession s = sessions.get(n.id());
                NodeState f = s == null ? null : s.read(n);
                fresh.add(f != null ? f : new NodeState(n.id(), n.settings(), false, false, true, null, null));
            }
            for (NodeState f : fresh) {
                if (f.looksPrimary() && !f.id().equals(oldPrimary) && !fenced.contains(f.id())) {
                    return done(Promotion.Kind.ALREADY_PROMOTED, f.id(), f.id().name()
                            + " is already writable and replicates from nobody", start);
                }
            }
            Candidate candidate = CandidateChoice.choose(oldPrimary, fresh);
            log.info("failover: {}", candidate);
            if (candidate.chosen() == null) {
                return done(Promotion.Kind.NO_CANDIDATE, null, candidate.reason(), start);
            }
            NodeId chosen = candidate.chosen();
            AdminSession next = sessions.get(chosen);

            GtidSet oldPosition = null;
            AdminSession old = sessions.get(oldPrimary);
            if (old != null) {
                oldPosition = fence(old);
            } else {
                // still connecting (frozen, most likely): fenced if it answers later, see finally
                fenceLate = true;
            }

            // the other replicas' receivers may be stuck on a frozen primary: stop them meanwhile, so
            // that repointing them below is quick
            for (NodeState f : fresh) {
                if (repointable(f, chosen, oldPrimary)) {
                    AdminSession s = sessions.get(f.id());
                    receiving.add(s);
                    stopping.add(CompletableFuture.runAsync(() -> stopReceiver(s), workers));
                }
            }

            NodeState candidateState = fresh.stream().filter(f -> f.id().equals(chosen)).findFirst().orElseThrow();
            GtidSet target = candidateState.position();
            if (oldPosition != null && oldPosition.flavor() == target.flavor()) {
                target = target.union(oldPosition);
            }
            awaitApplied(next, candidateState, target);

            next.runStopping(PromotionSql.promote(next.dialect));
            promoted = true;
            log.info("failover: promoted {} ({}): replication reset, read_only=OFF", chosen.name(), chosen.address());

            CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).join();
            for (AdminSession s : receiving) {
                try {
                    s.runStopping(PromotionSql.repoint(s.dialect, chosen.host(), chosen.port()));
                    log.info("failover: {} now replicates from {} by GTID", s.node.name(), chosen.name());
                } catch (SQLException e) {
                    // the new primary stands; this replica is left for an operator, and says why
                    log.error("failover: could not repoint {} to {}: {}", s.node.name(), chosen.name(), describe(e));
                }
            }
            keepSemiSync(next);
            return done(Promotion.Kind.PROMOTED, chosen, candidate.reason(), start);
        } catch (SQLException | RuntimeException e) {
            return done(Promotion.Kind.FAILED, null, describe(e), start);
        } finally {
            if (!promoted && !receiving.isEmpty()) {
                // the cluster keeps its primary: the replicas receive from it again
                CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).join();
                receiving.forEach(Promoter::resumeReceiver);
            }
            CompletableFuture<AdminSession> late = sessions.containsKey(oldPrimary) ? null : opening.get(oldPrimary);
            if (late != null) {
                boolean fenceIt = fenceLate;
                late.thenAccept(s -> {
                    if (s != null) {
                        if (fenceIt) {
                            fence(s);
                        }
                        s.close();
                    }
                });
            }
            for (AdminSession s : sessions.values()) {
                s.close();
            }
        }
    }

    /** A replica to repoint at the promoted node: reachable, configured to replicate, neither end of the promotion. */
    private static boolean repointable(NodeState f, NodeId chosen, NodeId oldPrimary) {
        return !f.id().equals(chosen) && !f.id().equals(oldPrimary) && f.reachable() && f.replica().replicating();
    }

    private static void stopReceiver(AdminSession s) {
        try {
            s.runStopping(PromotionSql.stopReceiving(s.dialect));
        } catch (SQLException | RuntimeException e) {
            // repointing stops it again, and says so if that fails too
            log.info("failover: could not stop the receiver of {} yet: {}", s.node.name(), describe(e));
        }
    }

    private static void resumeReceiver(AdminSession s) {
        try {
            s.run(List.of(s.dialect.startReplicationSql()));
        } catch (SQLException | RuntimeException e) {
            log.warn("failover: could not restart replication on {}: {}", s.node.name(), describe(e));
        }
    }

    /**
     * Fences a node that must not take writes: {@code read_only=ON}, then its client connections
     * are killed, so no session opened before keeps writing. Returns its position afterwards, or
     * {@code null} when it did not answer.
     */
    public GtidSet fence(NodeId node) {
        AdminSession s = AdminSession.open(connector, node, statementTimeout);
        if (s == null) {
            return null;
        }
        try {
            return fence(s);
        } finally {
            s.close();
        }
    }

    private static GtidSet fence(AdminSession s) {
        try {
            s.run(PromotionSql.fence(s.dialect));
            int killed = s.killClients();
            GtidSet position = s.executed();
            log.info("failover: fenced {} ({}): read_only=ON, {} client connections killed, at {}", s.node.name(),
                    s.node.address(), killed, position.text());
            return position;
        } catch (SQLException | RuntimeException e) {
            log.warn("failover: could not fence {}: {}", s.node.name(), describe(e));
            return null;
        }
    }

    /**
     * Turns the primary side of semi-sync on at the promoted node when it was a semi-sync replica,
     * after the other replicas were repointed so that one is soon there to acknowledge. Replicas
     * should run with the primary side off: on MariaDB (11.4.5 at least) a replica with it on
     * records each applied transaction as awaiting an acknowledgement that never comes, holding a
     * pointer to the applier's thread; once promoted, the first acknowledgement wakes those long
     * gone threads, and now and then that hangs the acknowledgement thread with the semi-sync
     * lock held, so every commit on the new primary waits forever. Failing here leaves the new
     * primary standing, asynchronous, and says so.
     */
    static void keepSemiSync(AdminSession s) {
        try {
            if ("1".equals(s.string(s.dialect.semiSyncReplicaSql()))) {
                s.run(List.of(s.dialect.enableSemiSyncPrimarySql()));
                log.info("failover: {} is a semi-synchronous primary: commits wait for a replica's acknowledgement",
                        s.node.name());
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("failover: {} stays an asynchronous primary, semi-sync could not be turned on: {}",
                    s.node.name(), describe(e));
        }
    }

    private void awaitApplied(AdminSession s, NodeState candidate, GtidSet target) throws SQLException {
        long deadline = System.nanoTime() + relayWait.toNanos();
        GtidSet applied = candidate.executed();
        while (!applied.contains(target)) {
            if (System.nanoTime() >= deadline) {
                log.warn("failover: {} has not applied {} within {} ms (at {}); promoting it anyway",
                        s.node.name(), target.text(), relayWait.toMillis(), applied.text());
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for the relay log to be applied");
            }
            applied = s.executed();
        }
        log.info("failover: {} has applied its relay log (at {})", s.node.name(), applied.text());
    }

    private static Promotion done(Promotion.Kind kind, NodeId node, String reason, long startNanos) {
        Promotion p = new Promotion(kind, node, reason, Duration.ofNanos(System.nanoTime() - startNanos));
        if (kind == Promotion.Kind.FAILED) {
            log.error("failover: {}", p);
        } else {
            log.info("failover: {}", p);
        }
        return p;
    }

    static String describe(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : m;
    }
}
