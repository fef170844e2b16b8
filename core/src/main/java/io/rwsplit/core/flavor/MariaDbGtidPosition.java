package io.rwsplit.core.flavor;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A MariaDB GTID position such as {@code 0-1-100,1-2-7}: per replication domain, the last
 * transaction applied, as {@code domain-server-sequence}.
 *
 * <p><b>Why one sequence number per domain is enough.</b> Within a domain, MariaDB numbers
 * transactions with one increasing sequence, whichever server commits them: a server numbers its
 * next transaction one above the highest it has recorded for the domain, replicated ones included,
 * so after a switchover the new primary goes on from where the old one stopped ({@code 0-1-100}
 * is followed by {@code 0-2-101}; a replica at {@code 0-1-16} numbered a local write
 * {@code 0-2-17}, recorded on MariaDB 11.4.5). Replicas
 * apply a domain's transactions in that order (parallel appliers commit in order within a
 * domain). So a server at sequence 100 in domain 0 has applied every transaction of domain 0
 * numbered up to 100, and {@code contains} only has to compare, domain by domain, this
 * position's sequence with the other's. The server id is where a transaction came from, not
 * when: {@code 0-1-100} contains {@code 0-2-90}, and also {@code 0-2-100}
 * ({@code MASTER_GTID_WAIT('0-1-15')} returns at once on a replica at {@code 0-7-15}, recorded
 * on MariaDB 11.4.5). Domains the other position does not name do not matter.
 *
 * <p><b>The assumption.</b> That holds while a domain has one primary at a time and nobody else
 * writes to it, which is what {@code gtid_strict_mode=ON} enforces: a replica refuses a
 * transaction that is not numbered above its own position. An errant write on a replica breaks
 * it: the replica's {@code gtid_current_pos} becomes, say, {@code 0-2-17} and seems to contain
 * the primary's {@code 0-1-17} although that transaction was never applied. Strict mode at least
 * makes the replica stop with an SQL error as soon as {@code 0-1-17} arrives (recorded on
 * MariaDB 11.4.5), so a replica whose applier has stopped must not be trusted to be caught up,
 * whatever its position says. Without strict mode such divergence is silent.
 *
 * <p>Parsing keeps, for a domain named twice, the entry with the higher sequence, so
 * {@code gtid_binlog_state} (one entry per domain and server) reads as the position it implies.
 * Domain and server ids are 32-bit unsigned, sequences 64-bit unsigned, as in the server.
 */
public final class MariaDbGtidPosition implements GtidSet {

    static final MariaDbGtidPosition EMPTY = new MariaDbGtidPosition(new TreeMap<>());

    private static final Pattern GTID = Pattern.compile("(\\d{1,10})-(\\d{1,10})-(\\d{1,20})");

    private static final long MAX_ID = 0xFFFF_FFFFL;

    /** Domain id to the last transaction applied in it. */
    private final SortedMap<Long, Gtid> domains;

    private MariaDbGtidPosition(SortedMap<Long, Gtid> domains) {
        this.domains = Collections.unmodifiableSortedMap(domains);
    }

    /** One transaction id; {@code sequence} is unsigned. */
    private record Gtid(long domain, long server, long sequence) {

        boolean isAtLeast(Gtid other) {
            return Long.compareUnsigned(sequence, other.sequence) >= 0;
        }

        @Override
        public String toString() {
            return domain + "-" + server + "-" + Long.toUnsignedString(sequence);
        }
    }

    static MariaDbGtidPosition parse(String text) {
        if (text.isBlank()) {
            return EMPTY;
        }
        SortedMap<Long, Gtid> domains = new TreeMap<>();
        for (String rawEntry : text.split(",", -1)) {
            String entry = rawEntry.strip();
            Matcher m = GTID.matcher(entry);
            if (!m.matches()) {
                throw malformed(text, entry.isEmpty() ? "an empty entry between commas"
                        : "'" + entry + "' is not domain-server-sequence");
            }
            Gtid gtid = new Gtid(id(text, m.group(1), "domain"), id(text, m.group(2), "server"),
                    sequence(text, m.group(3)));
            domains.merge(gtid.domain(), gtid, MariaDbGtidPosition::later);
        }
        return new MariaDbGtidPosition(domains);
    }

    private static long id(String text, String digits, String what) {
        long id = Long.parseLong(digits); // at most 10 digits: fits
        if (id > MAX_ID) {
            throw malformed(text, what + " id " + digits + " is larger than 32 bits");
        }
        return id;
    }

    private static long sequence(String text, String digits) {
        try {
            return Long.parseUnsignedLong(digits);
        } catch (NumberFormatException e) {
            throw malformed(text, "sequence number " + digits + " is larger than 64 bits");
        }
    }

    private static IllegalArgumentException malformed(String text, String why) {
        return new IllegalArgumentException("malformed MariaDB GTID position '" + text + "': " + why);
    }

    /** Of two GTIDs of one domain, the one with the higher sequence; the first on a tie. */
    private static Gtid later(Gtid a, Gtid b) {
        return a.isAtLeast(b) ? a : b;
    }

    @Override
    public Flavor flavor() {
        return Flavor.MARIADB;
    }

    @Override
    public boolean contains(GtidSet other) {
        MariaDbGtidPosition that = sameFlavor(other);
        for (Gtid wanted : that.domains.values()) {
            Gtid have = domains.get(wanted.domain());
            if (have == null || !have.isAtLeast(wanted)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public GtidSet union(GtidSet other) {
        MariaDbGtidPosition that = sameFlavor(other);
        if (that.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return that;
        }
        SortedMap<Long, Gtid> joined = new TreeMap<>(domains);
        that.domains.values().forEach(g -> joined.merge(g.domain(), g, MariaDbGtidPosition::later));
        return new MariaDbGtidPosition(joined);
    }

    private static MariaDbGtidPosition sameFlavor(GtidSet other) {
        if (other instanceof MariaDbGtidPosition position) {
            return position;
        }
        throw new IllegalArgumentException("cannot compare a MariaDB GTID position with a "
                + (other == null ? "null" : other.flavor() + " one: " + other.text()));
    }

    @Override
    public boolean isEmpty() {
        return domains.isEmpty();
    }

    /**
     * Entries in domain order, comma-separated without spaces: MariaDB rejects spaces in
     * {@code MASTER_GTID_WAIT} ("Could not parse GTID list", recorded on 11.4.5) and prints its
     * own positions in no particular domain order ({@code 1-1-1,0-1-16}).
     */
    @Override
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Gtid gtid : domains.values()) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(gtid);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MariaDbGtidPosition that && domains.equals(that.domains);
    }

    @Override
    public int hashCode() {
        return domains.hashCode();
    }

    @Override
    public String toString() {
        return text();
    }
}
