package io.rwsplit.sandbox;

import io.rwsplit.sandbox.flavor.ReplicationDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;

/**
 * One server of a sandbox cluster: where it listens, how to connect to it, what its replication
 * is doing, and the faults a test can inflict on it (through its {@link NodeProcess}).
 */
public final class Node {

    /** Socket timeout of the sandbox's own control connections. */
    static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final int serverId;
    private final Role role;
    private final ServerVersion version;
    private final ReplicationDialect dialect;
    private final Credentials admin;
    private final String database;
    private final NodeProcess process;

    public Node(String name, int serverId, Role role, ServerVersion version, Credentials admin, String database,
            NodeProcess process) {
        this.name = Objects.requireNonNull(name, "name");
        this.serverId = serverId;
        this.role = Objects.requireNonNull(role, "role");
        this.version = Objects.requireNonNull(version, "version");
        this.dialect = ReplicationDialect.of(version);
        this.admin = Objects.requireNonNull(admin, "admin");
        this.database = Objects.requireNonNull(database, "database");
        this.process = Objects.requireNonNull(process, "process");
    }

    public String name() {
        return name;
    }

    /** The {@code server_id} this node was started with. */
    public int serverId() {
        return serverId;
    }

    /** The role this node was given when the cluster was set up. */
    public Role role() {
        return role;
    }

    public ServerVersion version() {
        return version;
    }

    public ReplicationDialect dialect() {
        return dialect;
    }

    public String host() {
        return process.host();
    }

    public int port() {
        return process.port();
    }

    /** {@code host:port}, as it appears in a JDBC URL. */
    public String address() {
        return host() + ":" + port();
    }

    public long pid() {
        return process.pid();
    }

    public NodeProcess process() {
        return process;
    }

    /** {@code jdbc:mysql://host:port/<cluster database>}. */
    public String jdbcUrl() {
        return Jdbc.url(host(), port(), database);
    }

    public Connection connect(Credentials credentials) throws SQLException {
        return connect(credentials, database, CONTROL_TIMEOUT);
    }

    /** A connection whose reads give up after {@code socketTimeout}, e.g. to probe a frozen node. */
    public Connection connect(Credentials credentials, String database, Duration socketTimeout) throws SQLException {
        return Jdbc.connect(host(), port(), database, credentials, socketTimeout);
    }

    public Connection connectAdmin() throws SQLException {
        return connect(admin, "", CONTROL_TIMEOUT);
    }

    // ---- faults ----------------------------------------------------------------------------

    public boolean isRunning() {
        return process.isRunning();
    }

    public boolean isFrozen() {
        return process.isFrozen();
    }

    /** {@code kill -9}: the server is gone at once, with no clean shutdown. */
    public void kill() {
        process.kill();
    }

    /** {@code SIGSTOP}: the process stays, its sockets stay open, and nothing answers. */
    public void freeze() {
        process.freeze();
    }

    /** {@code SIGCONT} after {@link #freeze()}. */
    public void thaw() {
        process.thaw();
    }

    /** Clean shutdown. */
    public void stop() {
        process.stop();
    }

    /** Starts a stopped or killed node again on the same data and port; a replica resumes replicating. */
    public void start() {
        process.start();
    }

    public void restart() {
        process.restart();
    }

    // ---- replication -----------------------------------------------------------------------

    public ReplicationStatus replicationStatus() {
        try (Connection c = connectAdmin()) {
            return replicationStatus(c);
        } catch (SQLException e) {
            throw failure("read the replication status", e);
        }
    }

    /** The replication status read over a control connection the caller already holds. */
    ReplicationStatus replicationStatus(Connection c) throws SQLException {
        return dialect.readStatus(Jdbc.firstRow(c, dialect.replicaStatusSql()));
    }

    /** Stops the applier (SQL thread): events keep arriving but are not applied, so the node lags. */
    public void stopApplier() {
        adminExecute("stop the replication applier", dialect.stopApplierSql());
    }

    /** Starts the applier again after {@link #stopApplier()}. */
    public void startApplier() {
        adminExecute("start the replication applier", dialect.startApplierSql());
    }

    /** Starts both replication threads; a no-op for threads already running. */
    public void startReplication() {
        adminExecute("start replication", dialect.startReplicationSql());
    }

    /**
     * Makes this replica apply each transaction only {@code delay} (whole seconds) after the primary
     * committed it: steady, predictable lag. {@link Duration#ZERO} turns the delay off.
     */
    public void delayReplication(Duration delay) {
        try (Connection c = connectAdmin()) {
            Jdbc.execute(c, dialect.stopReplicationSql());
            Jdbc.execute(c, dialect.delaySql(delay.toSeconds()));
            Jdbc.execute(c, dialect.startReplicationSql());
        } catch (SQLException e) {
            throw failure("set a replication delay of " + delay.toSeconds() + " s", e);
        }
    }

    /**
     * Makes this node a replica of {@code primary} with GTID auto-positioning, and starts replication;
     * {@code tls} says whether the replica connects with TLS.
     */
    public void replicateFrom(Node primary, Credentials replication, boolean tls) {
        try (Connection c = connectAdmin()) {
            replicateFrom(c, primary, replication, tls);
        } catch (SQLException e) {
            throw failure("point replication at " + primary.name(), e);
        }
    }

    void replicateFrom(Connection c, Node primary, Credentials replication, boolean tls) throws SQLException {
        Jdbc.execute(c, dialect.pointToPrimarySql(primary.process.replicationHost(),
                primary.process.replicationPort(), replication, tls));
        Jdbc.execute(c, dialect.startReplicationSql());
    }

    /** The GTID position a replica must reach to hold everything this node has written. */
    public String gtidPosition() {
        try (Connection c = connectAdmin()) {
            String pos = Jdbc.queryString(c, dialect.gtidPositionSql());
            return pos == null ? "" : pos.replace("\n", "");
        } catch (SQLException e) {
            throw failure("read the GTID position", e);
        }
    }

    /** Waits until this node has applied {@code position}; false when the time ran out first. */
    public boolean awaitGtid(String position, Duration timeout) {
        try (Connection c = connect(admin, "", timeout.plus(CONTROL_TIMEOUT))) {
            return awaitGtid(c, position, timeout);
        } catch (SQLException e) {
            throw failure("wait for GTID position " + position, e);
        }
    }

    boolean awaitGtid(Connection c, String position, Duration timeout) throws SQLException {
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        return dialect.waitReached(Jdbc.queryLong(c, dialect.waitForGtidSql(), position, seconds));
    }

    /** Waits until this replica has applied everything {@code primary} has written so far. */
    public void awaitCaughtUpWith(Node primary, Duration timeout) {
        String position = primary.gtidPosition();
        if (!awaitGtid(position, timeout)) {
            throw new SandboxException(name + " did not catch up with " + primary.name() + " (position "
                    + position + ") within " + timeout.toMillis() + " ms; replication: " + replicationStatus());
        }
    }

    private void adminExecute(String what, String sql) {
        try (Connection c = connectAdmin()) {
            Jdbc.execute(c, sql);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private SandboxException failure(String what, SQLException e) {
        return new SandboxException("could not " + what + " on " + name + " (" + address() + "): " + e.getMessage()
                + " [errno " + e.getErrorCode() + ", SQLSTATE " + e.getSQLState() + "]", e);
    }

    @Override
    public String toString() {
        return name + "(" + role.name().toLowerCase(java.util.Locale.ROOT) + ", " + address() + ", server_id "
                + serverId + ")";
    }
}
