package io.rwsplit.benchmarks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The statements the benchmarks classify, by the name a {@code @Param} gives. Shaped like what an
 * OLTP application sends: short point reads and writes, transaction control and session setup,
 * plus the cases that take other code paths (a literal full of keywords, a CTE that only the
 * parser decides, two statements in one text).
 */
final class Workload {

    /** Left open by the fast path and decided by JSqlParser; the others the fast path decides. */
    private static final Set<String> PARSER_PATH = Set.of("cte", "cte_recursive");

    private static final Map<String, String> SQL = new LinkedHashMap<>();

    static {
        SQL.put("point_select", "SELECT id, name, email, created_at FROM users WHERE id = 4711");
        SQL.put("join_select", "SELECT o.id, o.total, c.name FROM orders o JOIN customers c ON c.id = o.customer_id"
                + " WHERE o.status = 'open' AND o.created_at > '2024-06-01' ORDER BY o.created_at DESC LIMIT 50");
        SQL.put("insert", "INSERT INTO orders (customer_id, total, status, created_at)"
                + " VALUES (1742, 99.50, 'new', '2024-06-18 10:22:31')");
        SQL.put("update", "UPDATE orders SET status = 'shipped', shipped_at = NOW() WHERE id = 90211");
        SQL.put("select_for_update", "SELECT balance FROM accounts WHERE id = 17 FOR UPDATE");
        SQL.put("set_names", "SET NAMES utf8mb4");
        SQL.put("begin", "BEGIN");
        SQL.put("commit", "COMMIT");
        // the keywords are inside a literal: still a plain read
        SQL.put("string_literal", "SELECT id, body FROM notes WHERE body = 'please UPDATE the row; then SELECT ..."
                + " FOR UPDATE' LIMIT 10");
        SQL.put("multi_statement", "UPDATE counters SET hits = hits + 1 WHERE id = 3; SELECT hits FROM counters"
                + " WHERE id = 3");
        SQL.put("cte", "WITH spent AS (SELECT customer_id, SUM(total) AS total FROM orders"
                + " WHERE created_at > '2024-06-01' GROUP BY customer_id)"
                + " SELECT c.name, s.total FROM customers c JOIN spent s ON s.customer_id = c.id"
                + " ORDER BY s.total DESC");
        SQL.put("cte_recursive", "WITH RECURSIVE seq (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 10)"
                + " SELECT n FROM seq");
    }

    private Workload() {
    }

    static String sql(String name) {
        String s = SQL.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no statement named " + name + "; known: " + SQL.keySet());
        }
        return s;
    }

    static Set<String> names() {
        return Collections.unmodifiableSet(SQL.keySet());
    }

    static boolean isParserPath(String name) {
        return PARSER_PATH.contains(name);
    }
}
