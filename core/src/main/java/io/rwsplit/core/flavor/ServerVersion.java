package io.rwsplit.core.flavor;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The numeric part of {@code SELECT VERSION()}: {@code 8.0.36}, {@code 11.4.5-MariaDB-log},
 * {@code 10.11.19-MariaDB-0+deb12u1}. MariaDB 10+ tells the MySQL protocol handshake it is
 * {@code 5.5.5-10.11.6-MariaDB} so that old clients do not take it for MySQL 10; drivers that
 * report the handshake string (Connector/J's {@code getDatabaseProductVersion()}) pass that
 * prefix on, so it is skipped.
 */
record ServerVersion(int major, int minor, int patch) implements Comparable<ServerVersion> {

    private static final Pattern NUMBERS = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    private static final String HANDSHAKE_PREFIX = "5.5.5-";

    static ServerVersion parse(String text) {
        Objects.requireNonNull(text, "version");
        String probe = text.strip();
        if (probe.startsWith(HANDSHAKE_PREFIX) && probe.toLowerCase(Locale.ROOT).contains("mariadb")) {
            probe = probe.substring(HANDSHAKE_PREFIX.length());
        }
        Matcher m = NUMBERS.matcher(probe);
        if (!m.lookingAt()) {
            throw new IllegalArgumentException("cannot read a server version from '" + text + "'");
        }
        try {
            return new ServerVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot read a server version from '" + text + "'", e);
        }
    }

    boolean atLeast(int major, int minor, int patch) {
        return compareTo(new ServerVersion(major, minor, patch)) >= 0;
    }

    @Override
    public int compareTo(ServerVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
