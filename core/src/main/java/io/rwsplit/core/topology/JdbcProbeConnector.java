package io.rwsplit.core.topology;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Probe connections through Connector/J, with connect and read timeouts, so a server that stops
 * answering (frozen, or a dropped network) fails its probe instead of stalling the monitor.
 */
public final class JdbcProbeConnector implements ProbeConnector {

    private final String user;
    private final String password;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final java.util.Map<String, String> tls;

    /** With TLS when the server offers it ({@code sslMode=PREFERRED}), as Connector/J does by default. */
    public JdbcProbeConnector(String user, String password, Duration connectTimeout, Duration readTimeout) {
        this(user, password, connectTimeout, readTimeout, java.util.Map.of("sslMode", "PREFERRED"));
    }

    /** @param tls Connector/J's TLS properties ({@code sslMode}, trust store...) for these connections */
    public JdbcProbeConnector(String user, String password, Duration connectTimeout, Duration readTimeout,
            java.util.Map<String, String> tls) {
        this.tls = java.util.Map.copyOf(tls);
        this.user = user;
        this.password = password;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    @Override
    public Connection connect(NodeId node) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password == null ? "" : password);
        p.setProperty("connectTimeout", Long.toString(Math.max(1, connectTimeout.toMillis())));
        p.setProperty("socketTimeout", Long.toString(Math.max(1, readTimeout.toMillis())));
        tls.forEach(p::setProperty);
        p.setProperty("connectionAttributes", "program_name:rwsplit-monitor");
        // one probe at a time per connection; nothing to gain from Connector/J's own caches
        p.setProperty("cacheServerConfiguration", "false");
        p.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection("jdbc:mysql://" + node.host() + ":" + node.port() + "/", p);
    }
}
