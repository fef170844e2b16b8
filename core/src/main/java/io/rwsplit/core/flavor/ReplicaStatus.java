package io.rwsplit.core.flavor;

import java.time.Duration;

/**
 * One reading of a node's replica status row ({@code SHOW REPLICA STATUS} / {@code SHOW SLAVE STATUS}),
 * in the same terms for both flavors; see {@link ServerDialect#readReplicaStatus}.
 *
 * @param replicating    the node has a replication source configured (a status row exists), whether
 *                       or not its threads run; false for a primary or a reset node
 * @param ioRunning      the receiver (I/O) thread is connected and running; {@code Connecting} is not
 *                       running: the source is unreachable or refuses the replica
 * @param sqlRunning     the applier (SQL) thread is running
 * @param secondsBehind  the server's own lag estimate, {@code null} when it reports NULL (a thread is
 *                       not running) or the column is missing
 * @param sourceHost     host of the configured source, {@code null} when not replicating
 * @param sourcePort     its port, 0 when not replicating
 * @param lastError      the last receiver and applier errors the row reports, empty when none
 * @param receivedGtids  what the receiver has fetched: MySQL {@code Retrieved_Gtid_Set}, MariaDB
 *                       {@code Gtid_IO_Pos}; as printed, {@code null} when the row lacks the column
 * @param executedGtids  what has been applied: MySQL {@code Executed_Gtid_Set}; {@code null} for
 *                       MariaDB, whose row does not carry it (ask {@link ServerDialect#gtidExecutedSql()})
 */
public record ReplicaStatus(boolean replicating, boolean ioRunning, boolean sqlRunning, Long secondsBehind,
        String sourceHost, int sourcePort, String lastError, String receivedGtids, String executedGtids) {

    /** What a node without a status row reports: a primary, or a replica after a full reset. */
    public static final ReplicaStatus NOT_A_REPLICA =
            new ReplicaStatus(false, false, false, null, null, 0, "", null, null);

    public ReplicaStatus {
        lastError = lastError == null ? "" : lastError;
    }

    /** Both threads run: the node keeps receiving and applying its source's writes. */
    public boolean running() {
        return replicating && ioRunning && sqlRunning;
    }

    /**
     * The lag to route by: the server's estimate while both threads run, else {@code null}
     * (unknown), because a stopped or disconnected replica falls behind without its estimate
     * saying so.
     */
    public Duration lag() {
        return running() && secondsBehind != null ? Duration.ofSeconds(secondsBehind) : null;
    }
}
