package io.rwsplit.core.flavor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The transactions one node holds that another lacks, from the text of
 * {@link ServerDialect#transactionsSql()} on each: what decides whether an old primary may replicate
 * from the new one. A pure function.
 *
 * <p>MySQL: the set difference of the two {@code gtid_executed}, exact.
 *
 * <p>MariaDB: {@code gtid_binlog_state} names, per domain and originating server, the last
 * transaction in the binlog. Transactions of one server in one domain reach every other server in
 * the order they were written, so a node lacks nothing of server {@code s} in domain {@code d}
 * exactly when its last {@code d-s-*} is at least as far as the other's. Comparing per server
 * matters: an old primary that committed {@code 0-1-101} before dying, which no replica received,
 * is behind a new primary at {@code 0-2-150} by sequence, yet holds a transaction the new primary
 * never had. A GTID the other node has no entry for at all is likewise lacking. The answer lists
 * the node's last GTID of each such domain and server, which is where its divergence ends.
 */
public final class ErrantTransactions {

    private static final Pattern MARIADB_GTID = Pattern.compile("(\\d{1,10})-(\\d{1,10})-(\\d{1,20})");

    private ErrantTransactions() {
    }

    /**
     * @param node  the node's text, e.g. an old primary's
     * @param other the text of the node it would replicate from
     * @return the node's transactions {@code other} lacks, in the flavor's notation; empty when none
     * @throws IllegalArgumentException when a text is not in the flavor's notation
     */
    public static String between(Flavor flavor, String node, String other) {
        Objects.requireNonNull(flavor, "flavor");
        String a = node == null ? "" : node;
        String b = other == null ? "" : other;
        return switch (flavor) {
            case MYSQL -> MySqlGtidSet.parse(a).minus(MySqlGtidSet.parse(b)).text();
            case MARIADB -> mariaDb(a, b);
        };
    }

    private static String mariaDb(String node, String other) {
        Map<String, Long> theirs = lastPerServer(other);
        List<String> lacking = new ArrayList<>();
        lastPerServer(node).forEach((domainServer, sequence) -> {
            Long have = theirs.get(domainServer);
            if (have == null || Long.compareUnsigned(have, sequence) < 0) {
                lacking.add(domainServer + "-" + Long.toUnsignedString(sequence));
            }
        });
        return String.join(",", lacking);
    }

    /** {@code "domain-server"} to the highest sequence named for it. */
    private static Map<String, Long> lastPerServer(String text) {
        Map<String, Long> last = new TreeMap<>();
        if (text.isBlank()) {
            return last;
        }
        for (String raw : text.split(",", -1)) {
            String entry = raw.strip();
            Matcher m = MARIADB_GTID.matcher(entry);
            if (!m.matches()) {
                throw new IllegalArgumentException("malformed MariaDB GTID state '" + text + "': '" + entry
                        + "' is not domain-server-sequence");
            }
            long sequence;
            try {
                sequence = Long.parseUnsignedLong(m.group(3));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed MariaDB GTID state '" + text + "': sequence "
                        + m.group(3) + " is larger than 64 bits", e);
            }
            String key = Long.parseLong(m.group(1)) + "-" + Long.parseLong(m.group(2));
            last.merge(key, sequence, (x, y) -> Long.compareUnsigned(x, y) >= 0 ? x : y);
        }
        return last;
    }
}
