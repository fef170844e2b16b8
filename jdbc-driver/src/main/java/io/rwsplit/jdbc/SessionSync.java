package io.rwsplit.jdbc;

import io.rwsplit.core.session.SessionState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes a physical connection carry the session's state before a statement runs on it: schema,
 * autocommit, and the tracked settings ({@code SET NAMES}, {@code SET time_zone}, isolation...).
 * A setting another session left on the connection is put back to the value it had before the
 * driver first changed it, read from the server at that moment. When the connection already carries
 * this session's current settings nothing is sent.
 */
final class SessionSync {

    private SessionSync() {
    }

    /**
     * @param startsTransaction the statement about to run opens a transaction here: a pending
     *                          {@code SET TRANSACTION ISOLATION LEVEL} (next transaction only) is made first
     * @param readOnly          the session is in a read-only transaction: the connection refuses writes too
     */
    static void apply(SessionState session, Object sessionIdentity, Lease lease, boolean autocommit,
            boolean startsTransaction, boolean readOnly) throws SQLException {
        Connection c = lease.connection;
        String schema = session.schema();
        if (schema != null && !schema.isEmpty() && !schema.equals(lease.schema)) {
            c.setCatalog(schema);
            lease.schema = schema;
        }
        if (c.getAutoCommit() != autocommit) {
            c.setAutoCommit(autocommit);
        }
        if (c.isReadOnly() != readOnly) {
            c.setReadOnly(readOnly);
        }
        String next = session.variables().get("next_transaction_isolation");
        if (startsTransaction && next != null) {
            execute(c, next);
        }
        PhysicalState p = lease.state;
        if (p.owner == sessionIdentity && p.ownerVersion == session.variablesVersion()) {
            return;
        }
        Map<String, String> wanted = session.variables();
        List<String> stale = new ArrayList<>();
        for (String key : p.applied.keySet()) {
            if (!wanted.containsKey(key)) {
                stale.add(key);
            }
        }
        for (String key : stale) {
            restore(c, p, key);
            p.applied.remove(key);
        }
        for (Map.Entry<String, String> w : wanted.entrySet()) {
            if (w.getKey().startsWith("next_transaction")) {
                // applies to one transaction only; re-applying it on a shared connection could leak it
                continue;
            }
            if (!w.getValue().equals(p.applied.get(w.getKey()))) {
                remember(c, p, w.getKey());
                execute(c, w.getValue());
                p.applied.put(w.getKey(), w.getValue());
            }
        }
        p.owner = sessionIdentity;
        p.ownerVersion = session.variablesVersion();
    }

    /**
     * Before the application's own SET runs on {@code lease}: read what it will overwrite, so the
     * connection can be put back for the next session.
     */
    static void rememberOriginals(Lease lease, java.util.Collection<String> keys) throws SQLException {
        for (String key : keys) {
            if (!key.startsWith("next_transaction")) {
                remember(lease.connection, lease.state, key);
            }
        }
    }

    /** After the application's own SET ran on {@code lease}: the connection now carries it. */
    static void applied(SessionState session, Object sessionIdentity, Lease lease, Map<String, String> settings) {
        PhysicalState p = lease.state;
        settings.forEach((k, v) -> {
            if (!k.startsWith("next_transaction")) {
                p.applied.put(k, v);
            }
        });
        if (p.owner == sessionIdentity || p.owner == null) {
            p.owner = sessionIdentity;
            p.ownerVersion = session.variablesVersion();
        }
    }

    /** The server variables a tracked setting changes. */
    private static List<String> variables(String key) {
        return switch (key) {
            case "names" -> List.of("character_set_client", "character_set_results", "character_set_connection",
                    "collation_connection");
            case "role" -> List.of();
            default -> List.of(key);
        };
    }

    /** Before the first change of {@code key}'s variables on this connection: the statements that undo it. */
    private static void remember(Connection c, PhysicalState p, String key) throws SQLException {
        for (String v : variables(key)) {
            if (!p.originals.containsKey(v)) {
                p.originals.put(v, restoreStatement(c, v));
            }
        }
    }

    private static void restore(Connection c, PhysicalState p, String key) throws SQLException {
        if (key.equals("role")) {
            execute(c, "SET ROLE DEFAULT");
            return;
        }
        for (String v : variables(key)) {
            String undo = p.originals.get(v);
            if (undo != null) {
                execute(c, undo);
            }
        }
    }

    /** Reads a session variable's value now; isolation and read-only have two names across versions. */
    private static String restoreStatement(Connection c, String variable) throws SQLException {
        try {
            return "SET SESSION " + variable + " = " + literal(query(c, "SELECT @@SESSION." + variable));
        } catch (SQLException unknown) {
            String other = switch (variable) {
                case "transaction_isolation" -> "tx_isolation";
                case "transaction_read_only" -> "tx_read_only";
                default -> null;
            };
            if (other == null) {
                throw unknown;
            }
            return "SET SESSION " + other + " = " + literal(query(c, "SELECT @@SESSION." + other));
        }
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Numbers stay numbers (numeric variables refuse strings); NULL stays NULL; text is quoted. */
    static String literal(String value) {
        if (value == null) {
            return "NULL";
        }
        if (value.matches("-?[0-9]+(\\.[0-9]+)?")) {
            return value;
        }
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
