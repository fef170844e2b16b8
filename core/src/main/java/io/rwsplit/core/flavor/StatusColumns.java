package io.rwsplit.core.flavor;

import java.util.Map;

/**
 * Where a flavor and version put the fields of {@link ReplicaStatus} in their status row. MySQL
 * renamed the columns with the statement in 8.0.22 ({@code Slave_IO_Running} became
 * {@code Replica_IO_Running}, {@code Master_Host} {@code Source_Host}, ...); MariaDB keeps the old
 * names and reports its received position as {@code Gtid_IO_Pos}.
 */
record StatusColumns(String ioRunning, String sqlRunning, String secondsBehind, String sourceHost,
        String sourcePort, String receivedGtids, String executedGtids) {

    /** MySQL 8.0.22 and later. */
    static final StatusColumns MYSQL_REPLICA = new StatusColumns("Replica_IO_Running", "Replica_SQL_Running",
            "Seconds_Behind_Source", "Source_Host", "Source_Port", "Retrieved_Gtid_Set", "Executed_Gtid_Set");

    /** MySQL before 8.0.22. */
    static final StatusColumns MYSQL_SLAVE = new StatusColumns("Slave_IO_Running", "Slave_SQL_Running",
            "Seconds_Behind_Master", "Master_Host", "Master_Port", "Retrieved_Gtid_Set", "Executed_Gtid_Set");

    /** MariaDB; the applied position is not in the row. */
    static final StatusColumns MARIADB = new StatusColumns("Slave_IO_Running", "Slave_SQL_Running",
            "Seconds_Behind_Master", "Master_Host", "Master_Port", "Gtid_IO_Pos", null);

    /**
     * Reads a row under these names, falling back to {@code other}'s names for a column that is
     * missing, so a row in the other MySQL terminology (a version string that misled the dialect
     * choice) still reads right. Names match case-insensitively, as SQL column labels do.
     */
    ReplicaStatus read(Map<String, String> row, StatusColumns other) {
        if (row == null || row.isEmpty()) {
            return ReplicaStatus.NOT_A_REPLICA;
        }
        String ioError = value(row, "Last_IO_Error", null);
        String sqlError = value(row, "Last_SQL_Error", null);
        return new ReplicaStatus(true,
                "Yes".equalsIgnoreCase(value(row, ioRunning, other.ioRunning)),
                "Yes".equalsIgnoreCase(value(row, sqlRunning, other.sqlRunning)),
                number(row, secondsBehind, other.secondsBehind),
                value(row, sourceHost, other.sourceHost),
                port(row, other),
                errors(ioError, sqlError),
                value(row, receivedGtids, other.receivedGtids),
                executedGtids == null ? null : value(row, executedGtids, other.executedGtids));
    }

    private int port(Map<String, String> row, StatusColumns other) {
        Long port = number(row, sourcePort, other.sourcePort);
        return port == null ? 0 : port.intValue();
    }

    private static String errors(String ioError, String sqlError) {
        boolean io = ioError != null && !ioError.isEmpty();
        boolean sql = sqlError != null && !sqlError.isEmpty();
        if (io && sql) {
            return "receiver: " + ioError + "; applier: " + sqlError;
        }
        return io ? ioError : sql ? sqlError : "";
    }

    /** A whole number column; {@code null} for SQL NULL, empty or missing. */
    private static Long number(Map<String, String> row, String name, String otherName) {
        String text = value(row, name, otherName);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Long.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("replica status column " + name + " is not a number: '" + text + "'");
        }
    }

    private static String value(Map<String, String> row, String name, String otherName) {
        String v = lookup(row, name);
        return v == null && otherName != null ? lookup(row, otherName) : v;
    }

    private static String lookup(Map<String, String> row, String name) {
        if (row.containsKey(name)) {
            return row.get(name);
        }
        for (Map.Entry<String, String> e : row.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}
