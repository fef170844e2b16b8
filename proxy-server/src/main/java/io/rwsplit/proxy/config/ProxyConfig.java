package io.rwsplit.proxy.config;

import io.rwsplit.core.config.RwsplitConfig;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the proxy is started with: its own settings and the routing configuration shared
 * with the JDBC driver (nodes, balancer, lag, read-your-writes, monitor, pools). Immutable.
 *
 * @param listen  where clients connect
 * @param users   the accounts clients log in with; names are unique
 * @param tls     TLS towards clients, off when {@link ClientTlsConfig#enabled()} is false
 * @param backend how the proxy connects to the servers
 * @param limits  connection, packet and time limits
 * @param routing nodes and routing, as the driver reads them
 * @param admin   the admin HTTP listener
 */
public record ProxyConfig(ListenConfig listen, List<UserConfig> users, ClientTlsConfig tls, BackendConfig backend,
        LimitsConfig limits, RwsplitConfig routing, AdminConfig admin) {

    /** A config without an admin listener (the YAML file's default has one: see {@link AdminConfig#DEFAULTS}). */
    public ProxyConfig(ListenConfig listen, List<UserConfig> users, ClientTlsConfig tls, BackendConfig backend,
            LimitsConfig limits, RwsplitConfig routing) {
        this(listen, users, tls, backend, limits, routing, AdminConfig.OFF);
    }

    public ProxyConfig {
        Objects.requireNonNull(listen, "listen");
        users = List.copyOf(users);
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(admin, "admin");
    }

    /** This config with another admin listener. */
    public ProxyConfig withAdmin(AdminConfig newAdmin) {
        return new ProxyConfig(listen, users, tls, backend, limits, routing, newAdmin);
    }

    public Optional<UserConfig> user(String name) {
        for (UserConfig u : users) {
            if (u.name().equals(name)) {
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }
}
