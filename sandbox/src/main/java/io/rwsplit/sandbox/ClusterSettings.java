package io.rwsplit.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * The accounts and replication choices a cluster is set up with.
 *
 * @param admin          all privileges, for the sandbox's own control and for tests
 * @param app            what an application uses: all privileges on {@code database} only, so the
 *                       replicas' {@code read_only} applies to it
 * @param replication    the account replicas connect to their primary with
 * @param database       created on the primary and replicated
 * @param semiSync       semi-synchronous replication on every node
 * @param semiSyncTimeout how long a commit waits for a replica's acknowledgement before the primary
 *                       falls back to asynchronous replication
 */
public record ClusterSettings(Credentials admin, Credentials app, Credentials replication, String database,
        boolean semiSync, Duration semiSyncTimeout) {

    public static final ClusterSettings DEFAULTS = new ClusterSettings(new Credentials("root", "sandbox-root"),
            new Credentials("app", "app-secret"), new Credentials("repl", "repl-secret"), "app", false,
            Duration.ofSeconds(10));

    public ClusterSettings {
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(replication, "replication");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(semiSyncTimeout, "semiSyncTimeout");
        if (!database.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("database name must be letters, digits and _: " + database);
        }
    }

    public ClusterSettings withSemiSync(boolean on) {
        return new ClusterSettings(admin, app, replication, database, on, semiSyncTimeout);
    }
}
