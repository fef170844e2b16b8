package io.rwsplit.core.config;

/**
 * The account replicas connect to their primary with, which a former primary needs to become a
 * replica (switchover, {@code autoRejoin}): it never had one configured.
 *
 * @param user     {@code null} to use the monitor's account (which then needs the replication privilege)
 * @param password its password ({@code ""} if none); never printed
 */
public record ReplicationConfig(String user, String password) {

    public static final ReplicationConfig DEFAULTS = new ReplicationConfig(null, "");

    @Override
    public String toString() {
        return "ReplicationConfig[user=" + user + ", password=****]";
    }
}
