package io.rwsplit.sandbox.flavor;

import io.rwsplit.sandbox.ReplicationStatus;
import java.util.Map;

/** Reads the columns both flavors' replica status rows share, under their flavor's names. */
final class Rows {

    private Rows() {
    }

    static ReplicationStatus status(Map<String, String> row, String io, String sql, String behind) {
        String lag = row.get(behind);
        String ioError = row.getOrDefault("Last_IO_Error", "");
        String sqlError = row.getOrDefault("Last_SQL_Error", "");
        String error = sqlError == null || sqlError.isEmpty() ? ioError : sqlError;
        return new ReplicationStatus(true, "Yes".equalsIgnoreCase(row.get(io)), "Yes".equalsIgnoreCase(row.get(sql)),
                lag == null || lag.isEmpty() ? null : Long.valueOf(lag), error == null ? "" : error);
    }
}
