package io.rwsplit.core.config;

import java.time.Duration;

/**
 * How the topology monitor probes the nodes.
 *
 * @param interval        time between passes
 * @param connectTimeout  a probe connection that takes longer fails
 * @param readTimeout     a probe query that takes longer fails (a frozen server)
 * @param failCount       consecutive failed probes before a node is marked down
 * @param recoverCount    consecutive good probes before a down node is marked up again
 * @param user            monitor account (needs REPLICATION CLIENT / SLAVE MONITOR and PROCESS);
 *                        {@code null} to probe with the application's credentials
 * @param password        its password ({@code ""} if none); never printed
 * @param heartbeatTable  {@code schema.table} written on the primary each pass for millisecond lag;
 *                        empty to rely on the servers' own seconds-resolution lag
 */
public record MonitorConfig(Duration interval, Duration connectTimeout, Duration readTimeout, int failCount,
        int recoverCount, String user, String password, String heartbeatTable) {

    /**
     * The defaults: no monitor account ({@code user} null: the monitor uses the application's
     * credentials), empty password, no heartbeat table.
     */
    public static final MonitorConfig DEFAULTS = new MonitorConfig(Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofSeconds(2), 3, 2, null, "", "");

    @Override
    public String toString() {
        return "MonitorConfig[interval=" + interval + ", connectTimeout=" + connectTimeout + ", readTimeout="
                + readTimeout + ", failCount=" + failCount + ", recoverCount=" + recoverCount + ", user=" + user
                + ", password=****, heartbeatTable=" + heartbeatTable + "]";
    }
}
