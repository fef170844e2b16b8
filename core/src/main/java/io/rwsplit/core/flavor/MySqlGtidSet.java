package io.rwsplit.core.flavor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A MySQL GTID set such as {@code 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7-9,4c5d...:1-3}.
 *
 * <p>Each transaction is named by its source (the {@code server_uuid} of the server that first
 * committed it) and a number that source hands out in order from 1. A set is therefore kept as,
 * per source, a sorted list of closed intervals of numbers. Parsing sorts each source's intervals
 * and merges those that overlap or touch ({@code 1-3:4-5} becomes {@code 1-5}), so every source
 * ends up with the fewest disjoint intervals; that makes {@link #contains(GtidSet)} a lookup per
 * interval (the only interval that can cover {@code a-b} is the last one starting at or before
 * {@code a}) and makes {@link #text()} canonical.
 *
 * <p>Unlike MariaDB positions, nothing here assumes transactions are applied in order: a replica
 * with parallel appliers can have gaps ({@code uuid:1-5:7}), and a set with a gap does not
 * contain the missing number.
 *
 * <p>MySQL 8.3+ tagged GTIDs ({@code uuid:tag:1-5}) are transactions of their own, numbered
 * independently of the untagged ones of the same source, so {@code uuid:tag} is treated as a
 * source of its own. The server prints the tags of a source after its untagged intervals,
 * each tag applying to the intervals after it ({@code uuid:1-4:aaa:1:bbb:1-3}); tags are case
 * insensitive and printed in lower case, as is the uuid.
 *
 * <p>Accepted around entries and parts: whitespace, since the server prints multi-source sets as
 * {@code ",\n"}-separated lines. Rejected: anything else that is not a uuid, a tag or a
 * {@code n} / {@code n-m} interval with {@code 1 <= n <= m}.
 */
public final class MySqlGtidSet implements GtidSet {

    static final MySqlGtidSet EMPTY = new MySqlGtidSet(new TreeMap<>());

    /** MySQL hands out at most 2^63 - 2 numbers; below this bound, {@code end + 1} cannot overflow. */
    private static final long MAX_NUMBER = Long.MAX_VALUE - 1;

    private static final Pattern UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private static final Pattern TAG = Pattern.compile("[a-z_][a-z0-9_]*");

    /**
     * Source ({@code uuid} or {@code uuid:tag}, lower case) to its intervals, sorted by start,
     * disjoint and not adjacent. Sorting the keys as strings groups each uuid's tags right after
     * its untagged key, because every uuid has the same length.
     */
    private final SortedMap<String, List<Interval>> sources;

    private MySqlGtidSet(SortedMap<String, List<Interval>> sources) {
        this.sources = Collections.unmodifiableSortedMap(sources);
    }

    /** One closed range of transaction numbers, {@code start <= end}. */
    private record Interval(long start, long end) {
    }

    static MySqlGtidSet parse(String text) {
        if (text.isBlank()) {
            return EMPTY;
        }
        SortedMap<String, List<Interval>> collected = new TreeMap<>();
        for (String rawEntry : text.split(",", -1)) {
            parseEntry(text, rawEntry.strip(), collected);
        }
        SortedMap<String, List<Interval>> merged = new TreeMap<>();
        collected.forEach((source, list) -> merged.put(source, merge(list)));
        return new MySqlGtidSet(merged);
    }

    /** One {@code uuid[:interval...][:tag:interval...]...} entry. */
    private static void parseEntry(String text, String entry, Map<String, List<Interval>> into) {
        if (entry.isEmpty()) {
            throw malformed(text, "an empty entry between commas");
        }
        String[] parts = entry.split(":", -1);
        String uuid = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!UUID.matcher(uuid).matches()) {
            throw malformed(text, "'" + parts[0].strip() + "' is not a server uuid");
        }
        if (parts.length == 1) {
            throw malformed(text, "'" + entry + "' names no transactions");
        }
        String source = uuid;
        // a tag must be followed by at least one interval; the uuid itself may go straight to a tag
        boolean needInterval = false;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].strip();
            if (part.isEmpty()) {
                throw malformed(text, "an empty part in '" + entry + "'");
            }
            if (Character.isDigit(part.charAt(0))) {
                into.computeIfAbsent(source, k -> new ArrayList<>()).add(parseInterval(text, part));
                needInterval = false;
            } else {
                if (needInterval) {
                    throw malformed(text, "no transaction numbers after '" + source + "'");
                }
                String tag = part.toLowerCase(Locale.ROOT);
                if (!TAG.matcher(tag).matches()) {
                    throw malformed(text, "'" + part + "' is neither a tag nor a transaction number range");
                }
                source = uuid + ":" + tag;
                needInterval = true;
            }
        }
        if (needInterval) {
            throw malformed(text, "no transaction numbers after '" + source + "'");
        }
    }

    private static Interval parseInterval(String text, String part) {
        int dash = part.indexOf('-');
        long start = parseNumber(text, dash < 0 ? part : part.substring(0, dash));
        long end = dash < 0 ? start : parseNumber(text, part.substring(dash + 1));
        if (end < start) {
            throw malformed(text, "the range '" + part + "' ends before it starts");
        }
        return new Interval(start, end);
    }

    private static long parseNumber(String text, String digits) {
        String d = digits.strip();
        if (d.isEmpty() || !d.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw malformed(text, "'" + digits + "' is not a transaction number");
        }
        long n;
        try {
            n = Long.parseLong(d);
        } catch (NumberFormatException e) {
            throw malformed(text, "transaction number " + d + " is out of range");
        }
        if (n < 1 || n > MAX_NUMBER) {
            throw malformed(text, "transaction number " + d + " is out of range 1.." + MAX_NUMBER);
        }
        return n;
    }

    private static IllegalArgumentException malformed(String text, String why) {
        return new IllegalArgumentException("malformed MySQL GTID set '" + text + "': " + why);
    }

    /** Sorts by start and joins intervals that overlap or touch; the result is unmodifiable. */
    private static List<Interval> merge(List<Interval> intervals) {
        List<Interval> sorted = new ArrayList<>(intervals);
        sorted.sort(Comparator.comparingLong(Interval::start));
        List<Interval> out = new ArrayList<>(sorted.size());
        Interval current = sorted.get(0);
        for (int i = 1; i < sorted.size(); i++) {
            Interval next = sorted.get(i);
            if (next.start() <= current.end() + 1) {
                current = new Interval(current.start(), Math.max(current.end(), next.end()));
            } else {
                out.add(current);
                current = next;
            }
        }
        out.add(current);
        return List.copyOf(out);
    }

    @Override
    public Flavor flavor() {
        return Flavor.MYSQL;
    }

    @Override
    public boolean contains(GtidSet other) {
        MySqlGtidSet that = sameFlavor(other);
        for (Map.Entry<String, List<Interval>> wanted : that.sources.entrySet()) {
            List<Interval> have = sources.get(wanted.getKey());
            if (have == null) {
                return false;
            }
            for (Interval interval : wanted.getValue()) {
                if (!covers(have, interval)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether one of the merged, sorted {@code have} covers all of {@code wanted}. */
    private static boolean covers(List<Interval> have, Interval wanted) {
        // binary search for the last interval starting at or before wanted.start: being merged,
        // it is the only one that can cover wanted
        int lo = 0;
        int hi = have.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (have.get(mid).start() <= wanted.start()) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found >= 0 && have.get(found).end() >= wanted.end();
    }

    @Override
    public GtidSet union(GtidSet other) {
        MySqlGtidSet that = sameFlavor(other);
        if (that.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return that;
        }
        SortedMap<String, List<Interval>> joined = new TreeMap<>();
        sources.forEach((source, list) -> joined.put(source, new ArrayList<>(list)));
        that.sources.forEach((source, list) -> joined.computeIfAbsent(source, k -> new ArrayList<>()).addAll(list));
        joined.replaceAll((source, list) -> merge(list));
        return new MySqlGtidSet(joined);
    }

    /** The transactions of this set that {@code other} lacks. */
    MySqlGtidSet minus(MySqlGtidSet other) {
        SortedMap<String, List<Interval>> left = new TreeMap<>();
        sources.forEach((source, mine) -> {
            List<Interval> theirs = other.sources.getOrDefault(source, List.of());
            List<Interval> rest = new ArrayList<>();
            for (Interval i : mine) {
                long from = i.start();
                for (Interval t : theirs) {
                    if (t.end() < from || t.start() > i.end()) {
                        continue;
                    }
                    if (t.start() > from) {
                        rest.add(new Interval(from, t.start() - 1));
                    }
                    from = t.end() + 1;
                    if (from > i.end()) {
                        break;
                    }
                }
                if (from <= i.end()) {
                    rest.add(new Interval(from, i.end()));
                }
            }
            if (!rest.isEmpty()) {
                left.put(source, List.copyOf(rest));
            }
        });
        return new MySqlGtidSet(left);
    }

    private static MySqlGtidSet sameFlavor(GtidSet other) {
        if (other instanceof MySqlGtidSet set) {
            return set;
        }
        throw new IllegalArgumentException("cannot compare a MySQL GTID set with a "
                + (other == null ? "null" : other.flavor() + " one: " + other.text()));
    }

    @Override
    public boolean isEmpty() {
        return sources.isEmpty();
    }

    /**
     * Sources in uuid order, untagged intervals of a uuid before its tags in tag order, entries
     * separated by a bare comma: {@code uuid:1-5:7,uuid2:1-3:tag:1-2}. This is the server's own
     * notation minus its line breaks, so the server parses it back.
     */
    @Override
    public String text() {
        StringBuilder sb = new StringBuilder();
        String previousUuid = null;
        for (Map.Entry<String, List<Interval>> e : sources.entrySet()) {
            String source = e.getKey();
            int colon = source.indexOf(':');
            String uuid = colon < 0 ? source : source.substring(0, colon);
            if (!uuid.equals(previousUuid)) {
                if (previousUuid != null) {
                    sb.append(',');
                }
                sb.append(uuid);
                previousUuid = uuid;
            }
            if (colon >= 0) {
                sb.append(':').append(source, colon + 1, source.length());
            }
            for (Interval interval : e.getValue()) {
                sb.append(':').append(interval.start());
                if (interval.end() != interval.start()) {
                    sb.append('-').append(interval.end());
                }
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MySqlGtidSet that && sources.equals(that.sources);
    }

    @Override
    public int hashCode() {
        return sources.hashCode();
    }

    @Override
    public String toString() {
        return text();
    }
}
