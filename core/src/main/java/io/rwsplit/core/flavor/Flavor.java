package io.rwsplit.core.flavor;

import java.util.Locale;

/** Server family; decides the SQL of replication status, GTIDs and promotion. */
public enum Flavor {
    MYSQL,
    MARIADB;

    /** From {@code SELECT VERSION()}: MariaDB always names itself ({@code 11.4.5-MariaDB-log}). */
    public static Flavor fromVersion(String version) {
        return version != null && version.toLowerCase(Locale.ROOT).contains("mariadb") ? MARIADB : MYSQL;
    }
}
