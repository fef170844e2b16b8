package io.rwsplit.core.failover;

import java.time.Duration;
import java.util.Objects;

/**
 * What planned switchovers and rejoins need beyond the failover mode.
 *
 * @param catchupTimeout      how long a switchover waits for the target to apply the old primary's
 *                            last transaction before it gives up and undoes everything
 * @param autoRejoin          make a fenced old primary that comes back a replica of the new primary,
 *                            when it has no transaction the new primary lacks
 * @param replicationUser     the account a former primary replicates with (it has none configured);
 *                            {@code null} to keep whatever account it has, which works only for a node
 *                            that replicated before
 * @param replicationPassword its password; never printed
 */
public record FailoverSettings(Duration catchupTimeout, boolean autoRejoin, String replicationUser,
        String replicationPassword) {

    public static final Duration DEFAULT_CATCHUP_TIMEOUT = Duration.ofSeconds(10);

    public static final FailoverSettings DEFAULTS = new FailoverSettings(DEFAULT_CATCHUP_TIMEOUT, false, null, "");

    /**
     * The settings of {@code config}; without a {@code replication} account former primaries
     * replicate with the monitor's.
     */
    public static FailoverSettings from(io.rwsplit.core.config.RwsplitConfig config, String monitorUser,
            String monitorPassword) {
        boolean own = config.replication().user() != null;
        return new FailoverSettings(config.switchover().catchupTimeout(), config.autoRejoin(),
                own ? config.replication().user() : monitorUser, own ? config.replication().password() : monitorPassword);
    }

    public FailoverSettings {
        Objects.requireNonNull(catchupTimeout, "catchupTimeout");
        replicationPassword = replicationPassword == null ? "" : replicationPassword;
    }

    @Override
    public String toString() {
        return "FailoverSettings[catchupTimeout=" + catchupTimeout + ", autoRejoin=" + autoRejoin + ", replicationUser="
                + replicationUser + ", replicationPassword=****]";
    }
}
