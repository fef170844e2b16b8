package io.rwsplit.sandbox;

/** Which server family a binary or a running node belongs to. */
public enum Flavor {
    MARIADB,
    MYSQL
}
