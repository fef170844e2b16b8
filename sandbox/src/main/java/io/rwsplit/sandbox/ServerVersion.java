package io.rwsplit.sandbox;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server's flavor and version, read from {@code mariadbd --version} / {@code mysqld --version}
 * or from {@code SELECT VERSION()}.
 */
public record ServerVersion(Flavor flavor, int major, int minor, int patch) implements Comparable<ServerVersion> {

    private static final Pattern NUMBERS = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

    public ServerVersion {
        Objects.requireNonNull(flavor, "flavor");
    }

    /**
     * Parses a {@code --version} line or a {@code VERSION()} value. MariaDB always names itself
     * ({@code 11.4.5-MariaDB-log}, {@code Ver 10.11.19-MariaDB-0+deb12u1}); anything else with a
     * version number is MySQL ({@code Ver 8.4.3 for Linux on x86_64 (MySQL Community Server - GPL)}).
     */
    public static ServerVersion parse(String text) {
        Objects.requireNonNull(text, "text");
        String probe = text;
        int ver = text.indexOf(" Ver ");
        if (ver >= 0) {
            probe = text.substring(ver + 5);
        }
        Matcher m = NUMBERS.matcher(probe);
        if (!m.find()) {
            throw new SandboxException("cannot read a server version from: " + text.strip());
        }
        Flavor flavor = text.toLowerCase(java.util.Locale.ROOT).contains("mariadb") ? Flavor.MARIADB : Flavor.MYSQL;
        return new ServerVersion(flavor, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)));
    }

    public boolean atLeast(int major, int minor, int patch) {
        return compareTo(new ServerVersion(flavor, major, minor, patch)) >= 0;
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
        return (flavor == Flavor.MARIADB ? "MariaDB " : "MySQL ") + major + "." + minor + "." + patch;
    }
}
