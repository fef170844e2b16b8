package io.rwsplit.core.failover;

import io.rwsplit.core.config.FailoverMode;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.core.topology.ProbeConnector;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topology monitor's failover policy, consulted after every pass, on the monitor's thread.
 *
 * <p>With {@code promote}: when the primary is down (failCount passes) and {@link Detection}
 * agrees, runs the {@link Promoter}. Remembers every primary that was replaced as fenced: the
 * monitor never takes a fenced node for primary, and a fenced node seen writable again (thawed,
 * restarted) is fenced again at once ({@code read_only=ON}, client connections killed). A fenced
 * node that replicates again (an operator rejoined it) is forgiven. With {@code autoRejoin} a fenced
 * node that is back is made a replica of the primary instead, unless it holds transactions the
 * primary lacks (see {@link Rejoin}); those are reported by {@link #errant()}.
 *
 * <p>With {@code follow} and {@code off} it does nothing: the monitor follows whatever the
 * {@code read_only} flags say, as before.
 */
public final class FailoverCoordinator {

    private static final Logger log = LoggerFactory.getLogger(FailoverCoordinator.class);

    /**
     * How long one statement of a promotion may take; STOP SLAVE with a receiver stuck on a frozen
     * primary is the slow one (about 1.5 s on MariaDB with its semi-sync stop timeout bounded, see
     * AdminSession#runStopping).
     */
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(10);

    /** How long the candidate may take to apply its relay log before it is promoted anyway. */
    static final Duration RELAY_WAIT = Duration.ofSeconds(10);

    private final FailoverMode mode;
    private final Promoter promoter;
    private final Switchover switchover;
    private final Rejoin rejoin;
    private final FailoverSettings settings;
    /** Fenced nodes autoRejoin refused, to the transactions they hold that the primary lacks. */
    private final Map<NodeId, String> errant = new ConcurrentHashMap<>();
    private final Set<NodeId> fenced = ConcurrentHashMap.newKeySet();
    private final AtomicLong promotions = new AtomicLong();
    /** Backoff after an attempt that found no candidate or failed, so a stuck cluster is not hammered each pass. */
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration LAST_RETRY = Duration.ofSeconds(30);

    private NodeId lastPrimary;
    private String lastVerdict;
    private long retryAtNanos;
    private Duration retryDelay = FIRST_RETRY;

    public FailoverCoordinator(FailoverMode mode, ProbeConnector connector) {
        this(mode, connector, FailoverSettings.DEFAULTS);
    }

    public FailoverCoordinator(FailoverMode mode, ProbeConnector connector, FailoverSettings settings) {
        this(mode, new Promoter(connector, STATEMENT_TIMEOUT, RELAY_WAIT),
                new Switchover(connector, STATEMENT_TIMEOUT, settings),
                new Rejoin(connector, STATEMENT_TIMEOUT, settings), settings);
    }

    FailoverCoordinator(FailoverMode mode, Promoter promoter) {
        this(mode, promoter, null, null, FailoverSettings.DEFAULTS);
    }

    FailoverCoordinator(FailoverMode mode, Promoter promoter, Switchover switchover, Rejoin rejoin,
            FailoverSettings settings) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.promoter = promoter;
        this.switchover = switchover;
        this.rejoin = rejoin;
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public FailoverMode mode() {
        return mode;
    }

    /** Old primaries kept out of the primary role; safe to read from any thread. */
    public Set<NodeId> fenced() {
        return Set.copyOf(fenced);
    }

    /**
     * Fenced old primaries that {@code autoRejoin} left out because they hold transactions the
     * primary lacks, to those transactions (the GTIDs where their divergence ends); safe to read
     * from any thread.
     */
    public Map<NodeId, String> errant() {
        return Map.copyOf(errant);
    }

    /** Promotions this instance has carried out. */
    public long promotions() {
        return promotions.get();
    }

    private void tryRejoin(NodeState n, NodeId primary, List<NodeState> nodes) {
        Rejoin.Outcome o = rejoin.run(n.id(), primary, nodes);
        if (o.kind() == Rejoin.Outcome.Kind.ERRANT) {
            errant.put(n.id(), o.detail());
            log.warn("failover: {} is back but holds transactions {} lacks ({}); it stays fenced (read-only, not "
                    + "replicating) for an operator to resolve", n.id().name(), primary.name(), o.detail());
        } else if (o.kind() == Rejoin.Outcome.Kind.NOT_NOW && !n.readOnly()) {
            // until it can rejoin it must not take writes
            promoter.fence(n.id());
        }
    }

    /**
     * A planned switchover (see {@link Switchover}), on the monitor's thread between passes. The old
     * primary becomes a replica, so it is not fenced; a switchover is allowed in every mode, being an
     * operator's request.
     *
     * @param nodes   every node as the last pass saw it, in configuration order
     * @param primary the primary the last pass published, {@code null} when none
     */
    public SwitchoverResult switchover(List<NodeState> nodes, NodeId primary, java.util.Optional<String> target) {
        if (switchover == null) {
            throw new IllegalStateException("this coordinator was made without a switchover");
        }
        SwitchoverResult r = switchover.run(primary, target, nodes);
        if (r.newPrimary() != null) {
            // the next pass must not take the old primary for one a failover replaced
            lastPrimary = r.newPrimary();
            lastVerdict = null;
        }
        return r;
    }

    /**
     * After a pass.
     *
     * @param nodes       every node as this pass saw it, in configuration order
     * @param primary     the primary the pass published (up), or {@code null}
     * @param downPrimary the node still taken for primary but marked down, or {@code null}
     * @return whether the cluster was changed (promoted, or found promoted), so the monitor should
     *         probe again now rather than at the next interval
     */
    public boolean afterPass(List<NodeState> nodes, NodeId primary, NodeId downPrimary) {
        if (mode != FailoverMode.PROMOTE) {
            return false;
        }
        if (primary != null) {
            retryDelay = FIRST_RETRY;
            retryAtNanos = 0;
            if (lastPrimary != null && !lastPrimary.equals(primary) && fenced.add(lastPrimary)) {
                log.info("failover: {} was replaced as primary by {}; it is fenced", lastPrimary.name(), primary.name());
            }
            lastPrimary = primary;
            lastVerdict = null;
        }
        for (NodeState n : nodes) {
            if (!fenced.contains(n.id()) || !n.reachable()) {
                continue;
            }
            if (n.replica().replicating()) {
                fenced.remove(n.id());
                errant.remove(n.id());
                log.info("failover: {} replicates again; no longer fenced", n.id().name());
            } else if (settings.autoRejoin() && rejoin != null && primary != null && !errant.containsKey(n.id())) {
                tryRejoin(n, primary, nodes);
            } else if (!n.readOnly()) {
                log.warn("failover: fenced {} is writable again; fencing it", n.id().name());
                promoter.fence(n.id());
            }
        }
        if (primary != null || downPrimary == null) {
            return false;
        }
        Detection.Verdict verdict = Detection.judge(downPrimary, nodes);
        if (!verdict.reason().equals(lastVerdict)) {
            log.info("failover: {}", verdict.reason());
            lastVerdict = verdict.reason();
        }
        if (!verdict.failOver() || (retryAtNanos != 0 && System.nanoTime() - retryAtNanos < 0)) {
            return false;
        }
        Promotion p = promoter.promote(downPrimary, nodes, fenced);
        switch (p.kind()) {
            case PROMOTED -> {
                promotions.incrementAndGet();
                fenced.add(downPrimary);
                lastPrimary = p.node();
                return true;
            }
            case ALREADY_PROMOTED -> {
                fenced.add(downPrimary);
                lastPrimary = p.node();
                return true;
            }
            case NOT_LOCKED -> {
                // another instance is promoting: the next pass will see its result
                lastVerdict = p.reason();
                return false;
            }
            case NO_CANDIDATE, FAILED -> {
                // the cluster may change (a replica catches up, an operator acts): try again, less often
                lastVerdict = p.reason();
                retryAtNanos = System.nanoTime() + retryDelay.toNanos();
                log.info("failover: trying again in {} ms", retryDelay.toMillis());
                retryDelay = retryDelay.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retryDelay.multipliedBy(2);
                return false;
            }
            default -> throw new IllegalStateException("unknown outcome " + p.kind());
        }
    }
}
