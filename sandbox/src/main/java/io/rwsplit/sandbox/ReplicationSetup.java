package io.rwsplit.sandbox;

import static io.rwsplit.sandbox.flavor.ReplicationDialect.quote;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns freshly initialised servers into a primary with replicas.
 *
 * <p>Everything is created on the primary only and reaches the replicas through replication, so
 * every node ends with the same accounts and the same GTID history: forget the nodes' own binary
 * logs, create the accounts and the database on the primary, point each replica at it with GTID
 * auto-positioning, then wait until each replica has applied the primary's position. A replica's
 * control connection is opened with the initial credentials before replication starts, because
 * the replicated {@code ALTER USER} changes them while it waits.
 */
public final class ReplicationSetup {

    private final ClusterSettings settings;
    private final Duration timeout;
    private final boolean tls;

    /** {@code tls}: whether the primary offers TLS, so the replicas connect to it with TLS. */
    public ReplicationSetup(ClusterSettings settings, Duration timeout, boolean tls) {
        this.settings = settings;
        this.timeout = timeout;
        this.tls = tls;
    }

    /** Sets the cluster up; {@code initialAdmin} is the account a freshly initialised node accepts. */
    public void run(Node primary, List<Node> replicas, Credentials initialAdmin) {
        try {
            for (Node n : all(primary, replicas)) {
                try (Connection c = n.connect(initialAdmin, "", Node.CONTROL_TIMEOUT)) {
                    for (String sql : n.dialect().resetSql()) {
                        Jdbc.execute(c, sql);
                    }
                }
            }
            try (Connection c = primary.connect(initialAdmin, "", Node.CONTROL_TIMEOUT)) {
                createAccounts(c);
            }
            List<Connection> open = new ArrayList<>();
            try {
                for (Node r : replicas) {
                    Connection c = r.connect(initialAdmin, "", timeout.plus(Node.CONTROL_TIMEOUT));
                    open.add(c);
                    r.replicateFrom(c, primary, settings.replication(), tls);
                }
                String position = primary.gtidPosition();
                for (int i = 0; i < replicas.size(); i++) {
                    if (!replicas.get(i).awaitGtid(open.get(i), position, timeout)) {
                        throw new SandboxException(replicas.get(i).name() + " did not apply the primary's position "
                                + position + " within " + timeout.toSeconds() + " s: "
                                + replicas.get(i).replicationStatus(open.get(i)));
                    }
                }
            } finally {
                for (Connection c : open) {
                    c.close();
                }
            }
            awaitThreadsRunning(replicas);
            if (settings.semiSync()) {
                awaitSemiSyncClients(primary, replicas.size());
            }
        } catch (SQLException e) {
            throw new SandboxException("could not set replication up: " + e.getMessage() + " [errno "
                    + e.getErrorCode() + ", SQLSTATE " + e.getSQLState() + "]", e);
        }
    }

    private void createAccounts(Connection c) throws SQLException {
        List<String> anonymous = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT host FROM mysql.user WHERE user = ''")) {
            while (rs.next()) {
                anonymous.add(rs.getString(1));
            }
        }
        // an anonymous ''@'localhost' would shadow every 'user'@'%' connecting over loopback
        for (String host : anonymous) {
            Jdbc.execute(c, "DROP USER ''@" + quote(host));
        }
        Credentials admin = settings.admin();
        if (admin.user().equals("root")) {
            Jdbc.execute(c, "ALTER USER 'root'@'localhost' IDENTIFIED BY " + quote(admin.password()));
        }
        createUser(c, admin, "ALL PRIVILEGES ON *.*", " WITH GRANT OPTION");
        createUser(c, settings.replication(), "REPLICATION SLAVE ON *.*", "");
        Jdbc.execute(c, "CREATE DATABASE IF NOT EXISTS `" + settings.database() + "`");
        createUser(c, settings.app(), "ALL PRIVILEGES ON `" + settings.database() + "`.*", "");
    }

    private static void createUser(Connection c, Credentials who, String grant, String option) throws SQLException {
        String account = quote(who.user()) + "@'%'";
        Jdbc.execute(c, "CREATE USER IF NOT EXISTS " + account + " IDENTIFIED BY " + quote(who.password()));
        Jdbc.execute(c, "ALTER USER " + account + " IDENTIFIED BY " + quote(who.password()));
        Jdbc.execute(c, "GRANT " + grant + " TO " + account + option);
    }

    private void awaitThreadsRunning(List<Node> replicas) {
        Instant deadline = Instant.now().plus(timeout);
        for (Node r : replicas) {
            ReplicationStatus status = r.replicationStatus();
            while (!status.healthy()) {
                if (Instant.now().isAfter(deadline)) {
                    throw new SandboxException(r.name() + " is not replicating: " + status);
                }
                pause();
                status = r.replicationStatus();
            }
        }
    }

    private void awaitSemiSyncClients(Node primary, int expected) throws SQLException {
        Instant deadline = Instant.now().plus(timeout);
        try (Connection c = primary.connectAdmin()) {
            String variable = primary.dialect().semiSyncClientsVariable();
            for (;;) {
                String clients = Jdbc.globalStatus(c, variable);
                if (clients != null && Integer.parseInt(clients) >= expected) {
                    return;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new SandboxException("semi-synchronous replication did not come up: " + variable + " = "
                            + clients + ", expected " + expected);
                }
                pause();
            }
        }
    }

    private static List<Node> all(Node primary, List<Node> replicas) {
        List<Node> all = new ArrayList<>(replicas.size() + 1);
        all.add(primary);
        all.addAll(replicas);
        return all;
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while waiting for replication", e);
        }
    }
}
