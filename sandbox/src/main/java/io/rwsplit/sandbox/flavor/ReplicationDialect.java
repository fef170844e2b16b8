package io.rwsplit.sandbox.flavor;

import io.rwsplit.sandbox.Credentials;
import io.rwsplit.sandbox.Flavor;
import io.rwsplit.sandbox.ReplicationStatus;
import io.rwsplit.sandbox.Role;
import io.rwsplit.sandbox.SandboxException;
import io.rwsplit.sandbox.ServerVersion;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How one server flavor sets up and reports GTID replication. Only SQL text and option maps come
 * out of here, so each dialect is tested on recorded outputs without a server.
 */
public sealed interface ReplicationDialect permits MariaDbDialect, MySqlDialect {

    /** The dialect for a server version; MySQL older than 8.0.23 lacks the statements used here. */
    static ReplicationDialect of(ServerVersion version) {
        if (version.flavor() == Flavor.MARIADB) {
            if (!version.atLeast(10, 6, 0)) {
                throw new SandboxException(version + " is not supported: the sandbox needs MariaDB 10.6 or later");
            }
            return new MariaDbDialect();
        }
        if (!version.atLeast(8, 0, 23)) {
            throw new SandboxException(version + " is not supported: the sandbox needs MySQL 8.0.23 or later");
        }
        return new MySqlDialect(version);
    }

    /**
     * Server options (option-file keys, no leading dashes) for GTID replication in the given role.
     * Semi-synchronous replication is enabled on every node when asked for, so that whichever
     * node is primary waits for one replica to acknowledge, up to {@code semiSyncTimeout}.
     */
    Map<String, String> serverOptions(Role role, boolean semiSync, Duration semiSyncTimeout);

    /** Forgets binary logs and GTID history of a freshly initialised node. */
    List<String> resetSql();

    /**
     * Points a replica at a primary with GTID auto-positioning; {@code tls} says whether the
     * replica connects with TLS (the primary's certificate is not verified: it is a throw-away one).
     */
    String pointToPrimarySql(String host, int port, Credentials replication, boolean tls);

    String startReplicationSql();

    String stopReplicationSql();

    String startApplierSql();

    /** Makes a stopped replica apply each event only {@code seconds} after the primary wrote it. */
    String delaySql(long seconds);

    String stopApplierSql();

    String replicaStatusSql();

    /** Reads one row of {@link #replicaStatusSql()} (column name to value); no row means not a replica. */
    ReplicationStatus readStatus(Map<String, String> row);

    /** One row, one column: the GTID position a replica must reach to have everything this node wrote. */
    String gtidPositionSql();

    /** Two parameters (GTID position, timeout in seconds); one row, one integer column. */
    String waitForGtidSql();

    /** Whether the integer returned by {@link #waitForGtidSql()} means the position was reached. */
    boolean waitReached(long result);

    /** Status variable saying whether the primary is currently running semi-synchronously. */
    String semiSyncStatusVariable();

    /** Status variable counting the replicas connected semi-synchronously. */
    String semiSyncClientsVariable();

    /** Quotes a string literal for statements that do not take parameters (CHANGE MASTER and friends). */
    static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\'' -> sb.append("''");
                case '\\' -> sb.append("\\\\");
                case '\0' -> sb.append("\\0");
                default -> sb.append(c);
            }
        }
        return sb.append('\'').toString();
    }
}
