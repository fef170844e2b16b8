package io.rwsplit.jdbc;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The cluster runtimes of one driver or data source, one per distinct URL and credentials. */
final class Runtimes implements AutoCloseable {

    private final Map<String, ClusterRuntime> byKey = new HashMap<>();

    synchronized ClusterRuntime get(JdbcUrl url) throws SQLException {
        ClusterRuntime r = byKey.get(url.runtimeKey());
        if (r == null) {
            r = ClusterRuntime.start(url);
            byKey.put(url.runtimeKey(), r);
        }
        return r;
    }

    synchronized List<ClusterRuntime> all() {
        return new ArrayList<>(byKey.values());
    }

    @Override
    public synchronized void close() {
        byKey.values().forEach(ClusterRuntime::close);
        byKey.clear();
    }
}
