package io.rwsplit.proxy.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * An account clients log in to the proxy with, and the account the proxy uses on the servers for
 * that client's statements.
 *
 * <p>The password is given in one of three forms: in clear (or read from an environment variable
 * by the config loader), which lets clients use either authentication plugin; or only as a
 * {@code mysql_native_password} hash ({@code *} and 40 hex digits, as a server's
 * {@code mysql.user.authentication_string} holds it); or only as the proxy's
 * {@code caching_sha2_password} hash ({@code sha256d:} and 64 hex digits). With a hash alone a
 * client using the other plugin is switched to the one the hash serves.
 *
 * @param name            the user name clients send
 * @param password        the password in clear, or {@code null} when only a hash is given
 * @param nativeHash      the mysql_native_password hash, or {@code null}
 * @param sha2Hash        the caching_sha2_password hash, or {@code null}
 * @param allowedHosts    client addresses allowed to log in as this user; empty allows every address
 * @param maxConnections  most client connections this user may hold at once; 0 for no limit
 * @param backendUser     the account on the servers
 * @param backendPassword its password in clear (the proxy must log in with it)
 * @param requireTls      refuse this user's logins that do not come over TLS (an account's
 *                        {@code REQUIRE SSL})
 */
public record UserConfig(String name, String password, String nativeHash, String sha2Hash,
        List<CidrRange> allowedHosts, int maxConnections, String backendUser, String backendPassword,
        boolean requireTls) {

    public UserConfig {
        Objects.requireNonNull(name, "name");
        allowedHosts = List.copyOf(allowedHosts);
        Objects.requireNonNull(backendUser, "backendUser");
        Objects.requireNonNull(backendPassword, "backendPassword");
        if (password == null && nativeHash == null && sha2Hash == null) {
            throw new IllegalArgumentException("user " + name + " has neither a password nor a hash");
        }
    }

    /** A user that may log in without TLS. */
    public UserConfig(String name, String password, String nativeHash, String sha2Hash, List<CidrRange> allowedHosts,
            int maxConnections, String backendUser, String backendPassword) {
        this(name, password, nativeHash, sha2Hash, allowedHosts, maxConnections, backendUser, backendPassword, false);
    }

    /** A user with a clear password, allowed from anywhere, who is the same account on the servers. */
    public static UserConfig plain(String name, String password) {
        return new UserConfig(name, password, null, null, List.of(), 0, name, password);
    }

    public UserConfig withAllowedHosts(List<CidrRange> hosts) {
        return new UserConfig(name, password, nativeHash, sha2Hash, hosts, maxConnections, backendUser,
                backendPassword, requireTls);
    }

    public UserConfig withMaxConnections(int max) {
        return new UserConfig(name, password, nativeHash, sha2Hash, allowedHosts, max, backendUser, backendPassword,
                requireTls);
    }

    public UserConfig withRequireTls(boolean required) {
        return new UserConfig(name, password, nativeHash, sha2Hash, allowedHosts, maxConnections, backendUser,
                backendPassword, required);
    }

    /** Whether a client at {@code address} may log in as this user. */
    public boolean allows(InetAddress address) {
        if (allowedHosts.isEmpty()) {
            return true;
        }
        for (CidrRange r : allowedHosts) {
            if (r.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "UserConfig[name=" + name + ", password=" + (password == null ? "none" : "****") + ", nativeHash="
                + (nativeHash == null ? "none" : "****") + ", sha2Hash=" + (sha2Hash == null ? "none" : "****")
                + ", allowedHosts=" + allowedHosts + ", maxConnections=" + maxConnections + ", backendUser="
                + backendUser + ", backendPassword=****, requireTls=" + requireTls + "]";
    }
}
