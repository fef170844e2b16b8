package io.rwsplit.sandbox;

/**
 * What a replica reports about its replication threads.
 *
 * @param configured     whether the node is set up as a replica at all
 * @param ioRunning      the receiver (IO) thread is connected to its primary
 * @param sqlRunning     the applier (SQL) thread is running
 * @param secondsBehind  the server's own lag estimate; {@code null} when it cannot tell (applier stopped)
 * @param lastError      the last IO or SQL error, empty when there is none
 */
public record ReplicationStatus(boolean configured, boolean ioRunning, boolean sqlRunning, Long secondsBehind,
        String lastError) {

    public static final ReplicationStatus NOT_A_REPLICA = new ReplicationStatus(false, false, false, null, "");

    public boolean healthy() {
        return configured && ioRunning && sqlRunning;
    }
}
