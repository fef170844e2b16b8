package io.rwsplit.core.flavor;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The SQL one server flavor and version speaks for what the topology monitor, read-your-writes and
 * failover ask of it: replica status, GTID positions, waiting for a GTID, read-only and re-pointing
 * replication. Only SQL text and pure functions live here (no JDBC), so every dialect is tested on
 * recorded server output without a server.
 *
 * <p>Supported: MySQL 8.0 and later (8.4 and 9.x dropped the {@code SLAVE} / {@code MASTER}
 * statements, which 8.0.22 and 8.0.23 replaced) and MariaDB 10.6 and later (which still reports
 * replicas in {@code SLAVE} terms).
 */
public sealed interface ServerDialect permits MySqlDialect, MariaDbDialect {

    /**
     * The dialect for a server, from {@code SELECT VERSION()} (for instance {@code 8.4.3},
     * {@code 8.0.36}, {@code 11.4.5-MariaDB-log}, {@code 10.11.19-MariaDB-0+deb12u1}).
     *
     * @throws IllegalArgumentException when the version cannot be read, names the other flavor, or
     *                                  is older than supported
     */
    static ServerDialect of(Flavor flavor, String versionString) {
        Objects.requireNonNull(flavor, "flavor");
        Objects.requireNonNull(versionString, "versionString");
        Flavor named = Flavor.fromVersion(versionString);
        if (named != flavor) {
            throw new IllegalArgumentException("server version '" + versionString + "' is " + named + ", not " + flavor);
        }
        ServerVersion version = ServerVersion.parse(versionString);
        if (flavor == Flavor.MARIADB) {
            if (!version.atLeast(10, 6, 0)) {
                throw new IllegalArgumentException(
                        "MariaDB " + version + " is not supported: rwsplit needs MariaDB 10.6 or later");
            }
            return new MariaDbDialect();
        }
        if (!version.atLeast(8, 0, 0)) {
            // 5.7 would mostly work, but reads a fractional wait timeout as an integer: 0.5 s means wait forever
            throw new IllegalArgumentException("MySQL " + version + " is not supported: rwsplit needs MySQL 8.0 or later");
        }
        return new MySqlDialect(version);
    }

    /** The dialect for {@code SELECT VERSION()}, its flavor told by the version string itself. */
    static ServerDialect of(String versionString) {
        Objects.requireNonNull(versionString, "versionString");
        return of(Flavor.fromVersion(versionString), versionString);
    }

    /**
     * The wait timeout parameter of {@link #waitForGtidSql()}: seconds as a decimal with
     * millisecond precision, rounded up. Zero and negative timeouts are refused because neither
     * server reads them as "do not wait": MySQL waits forever on 0 and fails on a negative
     * timeout, MariaDB waits forever on a negative one.
     */
    static BigDecimal waitTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a GTID wait needs a positive timeout, not " + timeout
                    + " (MySQL waits forever on 0, MariaDB on a negative timeout)");
        }
        long millis = timeout.toMillis();
        if (!timeout.minusMillis(millis).isZero()) {
            millis++;
        }
        return BigDecimal.valueOf(millis, 3);
    }

    Flavor flavor();

    /** The statement listing the replica threads' state: one row when replicating, none otherwise. */
    String replicaStatusSql();

    /**
     * Reads the row of {@link #replicaStatusSql()}, column label to value as text, SQL NULL as
     * {@code null}; an empty map (no row) means the node is not a replica. With several channels
     * (MySQL multi-source) pass the default channel's row.
     *
     * @throws IllegalArgumentException when a numeric column holds something else
     */
    ReplicaStatus readReplicaStatus(Map<String, String> row);

    /**
     * One row, one column: every transaction this node has applied, as {@link GtidSet} text. MySQL:
     * {@code gtid_executed}. MariaDB: {@code gtid_current_pos}, which per domain is the node's own
     * last write if it wrote last in that domain (a primary) and else the last replicated
     * transaction (a replica).
     */
    String gtidExecutedSql();

    /**
     * One row, one integer column: waits until this node has applied the GTIDs of the first
     * parameter (the {@link GtidSet#text()} of a position to reach), at most the second parameter
     * in seconds (see {@link #waitTimeout}). Read the result with {@link #waitReached}.
     *
     * <p>MariaDB's {@code MASTER_GTID_WAIT} waits for the <em>replicated</em> position
     * ({@code gtid_slave_pos}), so on a primary it times out even for its own writes: only ask
     * replicas. A node that is not replicating a domain waits out the timeout.
     */
    String waitForGtidSql();

    /** Whether the result of {@link #waitForGtidSql()} means the position was reached (not timed out). */
    boolean waitReached(long result);

    /**
     * One row, one column: the GTID of the last transaction this session wrote, empty if none;
     * {@code null} where the flavor does not offer it as a query (MySQL: see
     * {@link #enableGtidTrackingSql()}).
     */
    String lastWriteGtidSql();

    /**
     * The statement making the server report, in the OK packet of each committing statement, the
     * GTID that transaction got; {@code null} where the flavor has no such tracking (MariaDB: ask
     * {@link #lastWriteGtidSql()} instead). MySQL has no variable holding a session's last GTID,
     * so this is how a driver learns it: with {@code session_track_gtids = OWN_GTID} the session
     * state change of type {@code SESSION_TRACK_GTIDS} carries the GTID (Connector/J exposes it
     * with {@code trackSessionState=true}).
     */
    String enableGtidTrackingSql();

    /** One row, one column, 1 or 0: whether the node refuses ordinary writes. */
    String readOnlySql();

    /**
     * Makes the node refuse (or accept again) client writes; replication keeps applying either
     * way. Whether accounts with administrative privileges are refused too differs per flavor.
     */
    String setReadOnlySql(boolean readOnly);

    /** Stops both replica threads, keeping the configuration. */
    String stopReplicationSql();

    /**
     * Stops only the receiver (I/O) thread, keeping the configuration: the applier goes on
     * applying what was received, so the node's position still counts what it received.
     */
    String stopReceiverSql();

    /**
     * One row, one integer column: how many seconds a semi-synchronous replica's stop may spend on
     * its extra connection to the primary (the one that ends the primary's dump thread); a stop
     * waits for it even when the primary is frozen. {@code null} where the flavor has no such
     * setting.
     */
    String semiSyncStopTimeoutSql();

    /**
     * Sets what {@link #semiSyncStopTimeoutSql()} reads, in whole seconds (MariaDB reads 0 as no
     * timeout at all); {@code null} where the flavor has no such setting.
     *
     * @throws IllegalArgumentException for a negative number
     */
    String setSemiSyncStopTimeoutSql(long seconds);

    /** Forgets the replication source altogether, for a node promoted to primary (after stopping). */
    String resetReplicationSql();

    /**
     * Points a stopped replica at a new primary, positioning by GTID. Options not named here
     * (TLS, retry, heartbeat, public-key retrieval) keep the values the replica already had.
     */
    String pointToPrimarySql(String host, int port, String user, String password);

    /**
     * Points a stopped replica at a new primary, positioning by GTID, keeping the replication
     * account (and every other option) it already has: what failover uses to repoint the other
     * replicas, since the monitor never knows the replication password.
     */
    String pointToPrimarySql(String host, int port);

    /** Starts both replica threads. */
    String startReplicationSql();

    /**
     * One row, one column, 1 or 0: whether the node acknowledges its primary's transactions
     * semi-synchronously; no row where the flavor's semi-sync plugin is not installed.
     */
    String semiSyncReplicaSql();

    /**
     * Makes the node a semi-synchronous primary: each commit waits for a replica's acknowledgement
     * (up to the node's own timeout).
     */
    String enableSemiSyncPrimarySql();

    /**
     * One row, one column, 1 or 0: whether the node waits, as a primary, for semi-synchronous
     * acknowledgements; no row where the flavor's semi-sync plugin is not installed.
     */
    String semiSyncPrimarySql();

    /**
     * Turns the primary side of semi-sync off, for a primary about to become a replica (see the
     * failover's notes on why replicas should run with it off).
     */
    String disableSemiSyncPrimarySql();

    /**
     * Makes a node that wrote as a primary start replicating from where its own data ends, run
     * before pointing it at a new primary; {@code null} where replication positions itself from the
     * data anyway (MySQL's auto-positioning sends {@code gtid_executed}).
     */
    String adoptOwnPositionSql();

    /**
     * One row, one column: what {@link ErrantTransactions} compares to tell whether a node holds
     * transactions another lacks. MySQL: {@code gtid_executed}, exact per transaction. MariaDB:
     * {@code gtid_binlog_state}, the last GTID of each domain and server in the binlog, since its
     * positions compare sequences only and cannot see that {@code 0-1-101} and {@code 0-2-101} are
     * different transactions.
     */
    String transactionsSql();
}
