package io.rwsplit.sandbox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** The few JDBC calls the sandbox makes itself, through Connector/J. */
final class Jdbc {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private Jdbc() {
    }

    static String url(String host, int port, String database) {
        return "jdbc:mysql://" + host + ":" + port + "/" + (database == null ? "" : database);
    }

    static Connection connect(String host, int port, String database, Credentials credentials,
            Duration socketTimeout) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", credentials.user());
        p.setProperty("password", credentials.password());
        // loopback only: TLS would only slow the sandbox's own control connections down
        p.setProperty("sslMode", "DISABLED");
        p.setProperty("allowPublicKeyRetrieval", "true");
        p.setProperty("connectTimeout", Long.toString(CONNECT_TIMEOUT.toMillis()));
        p.setProperty("socketTimeout", Long.toString(socketTimeout.toMillis()));
        p.setProperty("connectionAttributes", "program_name:rwsplit-sandbox");
        return DriverManager.getConnection(url(host, port, database), p);
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static String queryString(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    static long queryLong(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no row from: " + sql);
                }
                long v = rs.getLong(1);
                return rs.wasNull() ? Long.MIN_VALUE : v;
            }
        }
    }

    /** The first row of a result as column label to text value; empty when there is no row. */
    static Map<String, String> firstRow(Connection c, String sql) throws SQLException {
        Map<String, String> row = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (rs.next()) {
                ResultSetMetaData md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getString(i));
                }
            }
        }
        return row;
    }

    /** {@code SHOW GLOBAL STATUS LIKE name}, as text; null when the variable does not exist. */
    static String globalStatus(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SHOW GLOBAL STATUS LIKE ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(2) : null;
            }
        }
    }
}
