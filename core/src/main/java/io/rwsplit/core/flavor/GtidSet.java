package io.rwsplit.core.flavor;

import java.util.Objects;

/**
 * A set of transactions a server has applied, in its flavor's notation: MySQL's
 * {@code uuid:1-5:7,uuid2:1-3} or MariaDB's per-domain positions {@code 0-1-100,1-2-7}.
 * The one question routing and failover ask of it is {@link #contains(GtidSet)}.
 *
 * <p>Values are immutable and compare equal when their normalised {@link #text()} is equal.
 * Sets of different flavors never meet: asking one whether it contains the other is a
 * programming error and throws.
 */
public sealed interface GtidSet permits MySqlGtidSet, MariaDbGtidPosition {

    /**
     * Parses what the server printed ({@code @@GLOBAL.gtid_executed}, {@code @@GLOBAL.gtid_current_pos},
     * {@code @@last_gtid}, a replica status column). An empty or blank text is the empty set.
     *
     * @throws IllegalArgumentException when the text is not in the flavor's notation; the message quotes it
     */
    static GtidSet parse(Flavor flavor, String text) {
        Objects.requireNonNull(flavor, "flavor");
        Objects.requireNonNull(text, "text");
        return switch (flavor) {
            case MYSQL -> MySqlGtidSet.parse(text);
            case MARIADB -> MariaDbGtidPosition.parse(text);
        };
    }

    /** The set of a server that has applied nothing yet; every set contains it. */
    static GtidSet empty(Flavor flavor) {
        Objects.requireNonNull(flavor, "flavor");
        return switch (flavor) {
            case MYSQL -> MySqlGtidSet.EMPTY;
            case MARIADB -> MariaDbGtidPosition.EMPTY;
        };
    }

    Flavor flavor();

    /**
     * Whether a server at this position has applied every transaction in {@code other}.
     *
     * @throws IllegalArgumentException when {@code other} is of the other flavor
     */
    boolean contains(GtidSet other);

    /**
     * The smallest set containing both, e.g. to remember every write of a session for
     * read-your-writes ({@code @@last_gtid} and MySQL's tracked GTID name only the latest transaction).
     *
     * @throws IllegalArgumentException when {@code other} is of the other flavor
     */
    GtidSet union(GtidSet other);

    boolean isEmpty();

    /**
     * The notation the server uses, normalised (sorted, no whitespace, lower case), so that it can
     * be handed back to the server ({@code WAIT_FOR_EXECUTED_GTID_SET}, {@code MASTER_GTID_WAIT}).
     */
    String text();
}
