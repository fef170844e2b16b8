package io.rwsplit.proxy.frontend;

import io.rwsplit.core.flavor.Flavor;
import io.rwsplit.proxy.auth.CachingSha2Password;
import io.rwsplit.proxy.auth.NativePassword;
import io.rwsplit.proxy.protocol.Capabilities;
import io.rwsplit.proxy.protocol.CharacterSets;

/**
 * How the proxy presents itself to clients: the servers' version string (clients pick features
 * and SQL dialect from it: MariaDB connectors look for "MariaDB", Connector/J for the MySQL
 * version), the capability flags both the proxy and the servers support, the default
 * authentication plugin of the servers' flavor and its usual collation.
 */
record ServerIdentity(String version, long serverCapabilities, Flavor flavor) {

    /** Until a server has been seen: a MySQL 8.0 look, which every connector accepts. */
    static final ServerIdentity DEFAULT = new ServerIdentity("8.0.36-rwsplit", ~0L, Flavor.MYSQL);

    /** The flags the proxy can honour towards clients, before the servers' own are taken into account. */
    static final long PROXY_CAPABILITIES = Capabilities.CLIENT_LONG_PASSWORD | Capabilities.CLIENT_FOUND_ROWS
            | Capabilities.CLIENT_LONG_FLAG | Capabilities.CLIENT_CONNECT_WITH_DB | Capabilities.CLIENT_LOCAL_FILES
            | Capabilities.CLIENT_IGNORE_SPACE | Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_INTERACTIVE
            | Capabilities.CLIENT_IGNORE_SIGPIPE | Capabilities.CLIENT_TRANSACTIONS
            | Capabilities.CLIENT_SECURE_CONNECTION | Capabilities.CLIENT_MULTI_STATEMENTS
            | Capabilities.CLIENT_MULTI_RESULTS | Capabilities.CLIENT_PS_MULTI_RESULTS | Capabilities.CLIENT_PLUGIN_AUTH
            | Capabilities.CLIENT_CONNECT_ATTRS | Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA
            | Capabilities.CLIENT_SESSION_TRACK | Capabilities.CLIENT_DEPRECATE_EOF;

    static ServerIdentity of(String serverVersion, long serverCapabilities) {
        return new ServerIdentity(serverVersion, serverCapabilities, Flavor.fromVersion(serverVersion));
    }

    /** What the proxy's greeting offers (CLIENT_SSL is added when TLS is configured). */
    long capabilities() {
        long caps = PROXY_CAPABILITIES & (serverCapabilities | Capabilities.CLIENT_MYSQL);
        if (!Capabilities.has(serverCapabilities, Capabilities.CLIENT_MYSQL)
                && Capabilities.has(serverCapabilities, Capabilities.MARIADB_CLIENT_STMT_BULK_OPERATIONS)) {
            // MariaDB servers: of the extended flags only bulk operations, which is what lets MariaDB's
            // connectors pipeline a prepare with its execute (statement id -1) and send COM_STMT_BULK_EXECUTE.
            // The others change column definitions or skip metadata per connection, which the proxy
            // could not keep straight across the backends a statement runs on.
            caps = caps & ~Capabilities.CLIENT_MYSQL | Capabilities.MARIADB_CLIENT_STMT_BULK_OPERATIONS;
        }
        return caps;
    }

    String defaultAuthPlugin() {
        return flavor == Flavor.MYSQL ? CachingSha2Password.PLUGIN_NAME : NativePassword.PLUGIN_NAME;
    }

    int collation() {
        return flavor == Flavor.MYSQL ? CharacterSets.UTF8MB4_0900_AI_CI : CharacterSets.UTF8MB4_GENERAL_CI;
    }
}
