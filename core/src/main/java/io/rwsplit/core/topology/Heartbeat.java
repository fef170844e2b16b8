package io.rwsplit.core.topology;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Millisecond replication lag from a table the monitor writes on the primary and reads on the
 * replicas ({@code schema.table}, one row). The value written is this monitor's own wall clock,
 * and a replica's lag is how far its copy is behind the value written in the previous pass, so
 * server clocks never enter the figure. Resolution is one monitor interval: a replica that has the
 * previous pass's beat is at most one interval behind and counts as 0.
 */
final class Heartbeat {

    private final String table;
    private final LongSupplier wallMicros;
    private final AtomicLong previousBeat = new AtomicLong(-1);
    private final AtomicLong lastBeat = new AtomicLong(-1);

    Heartbeat(String table, LongSupplier wallMicros) {
        this.table = table;
        this.wallMicros = wallMicros;
    }

    /** Called once per pass before the probes: the last pass's beat becomes the reference. */
    void startPass() {
        previousBeat.set(lastBeat.get());
    }

    void beat(Connection primary) throws SQLException {
        long now = wallMicros.getAsLong();
        try (PreparedStatement s = primary.prepareStatement("REPLACE INTO " + table + " (id, ts) VALUES (1, ?)")) {
            s.setLong(1, now);
            s.executeUpdate();
        } catch (SQLException missing) {
            create(primary);
            try (PreparedStatement s = primary.prepareStatement("REPLACE INTO " + table + " (id, ts) VALUES (1, ?)")) {
                s.setLong(1, now);
                s.executeUpdate();
            }
        }
        lastBeat.set(now);
    }

    /** The replica's delay, or {@code null} before the first beat reached it. */
    Duration lag(Connection replica) throws SQLException {
        long reference = previousBeat.get();
        if (reference < 0) {
            return null;
        }
        try (Statement s = replica.createStatement();
                ResultSet rs = s.executeQuery("SELECT ts FROM " + table + " WHERE id = 1")) {
            if (!rs.next()) {
                return null;
            }
            return Duration.ofNanos(Math.max(0, reference - rs.getLong(1)) * 1000);
        } catch (SQLException notReplicatedYet) {
            return null;
        }
    }

    private void create(Connection primary) throws SQLException {
        String schema = table.substring(0, table.indexOf('.'));
        try (Statement s = primary.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS " + schema);
            s.execute("CREATE TABLE IF NOT EXISTS " + table + " (id INT PRIMARY KEY, ts BIGINT NOT NULL)");
        }
    }
}
