package io.rwsplit.proxy.frontend;

import io.rwsplit.proxy.auth.CachingSha2Password;
import io.rwsplit.proxy.auth.NativePassword;
import io.rwsplit.proxy.backend.BackendCredentials;
import io.rwsplit.proxy.config.UserConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The proxy's user list, with what each account can be verified with: the hash of each
 * authentication plugin it supports (from the clear password both, else the one hash given) and
 * a count of its open connections for its limit.
 */
final class Accounts {

    /** One user; the hashes are {@code null} where the plugin cannot be verified. */
    static final class Account {
        final UserConfig config;
        final byte[] nativeHash;
        final byte[] sha2Hash;
        final BackendCredentials backend;
        final AtomicInteger connections;

        Account(UserConfig config) {
            this(config, new AtomicInteger());
        }

        /** @param connections the count of the user's open connections, kept across a reload */
        Account(UserConfig config, AtomicInteger connections) {
            this.config = config;
            this.connections = connections;
            if (config.password() != null) {
                nativeHash = NativePassword.parseHash(NativePassword.hashOf(config.password()));
                sha2Hash = CachingSha2Password.parseHash(CachingSha2Password.hashOf(config.password()));
            } else {
                nativeHash = config.nativeHash() == null ? null : NativePassword.parseHash(config.nativeHash());
                sha2Hash = config.sha2Hash() == null ? null : CachingSha2Password.parseHash(config.sha2Hash());
            }
            backend = new BackendCredentials(config.backendUser(), config.backendPassword());
        }

        boolean supports(String plugin) {
            return switch (plugin) {
                case NativePassword.PLUGIN_NAME -> nativeHash != null;
                case CachingSha2Password.PLUGIN_NAME -> sha2Hash != null;
                default -> false;
            };
        }

        /** The plugin to switch a client to when it used one this account cannot verify. */
        String preferredPlugin(String serverDefault) {
            return supports(serverDefault) ? serverDefault
                    : nativeHash != null ? NativePassword.PLUGIN_NAME : CachingSha2Password.PLUGIN_NAME;
        }

        /** Takes a connection slot; false when the user is at its limit. */
        boolean admit() {
            int max = config.maxConnections();
            for (;;) {
                int n = connections.get();
                if (max > 0 && n >= max) {
                    return false;
                }
                if (connections.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
        }

        void leave() {
            connections.decrementAndGet();
        }
    }

    private final Map<String, Account> byName = new HashMap<>();
    /** Checked against when the user does not exist, so that an unknown name costs the same as a wrong password. */
    final Account nobody;

    Accounts(List<UserConfig> users) {
        this(users, null);
    }

    /**
     * @param previous the accounts being replaced (a reload): a user kept by name keeps its count
     *                 of open connections, so its limit still counts the sessions already open
     */
    Accounts(List<UserConfig> users, Accounts previous) {
        for (UserConfig u : users) {
            Account old = previous == null ? null : previous.byName.get(u.name());
            byName.put(u.name(), old == null ? new Account(u) : new Account(u, old.connections));
        }
        nobody = previous != null ? previous.nobody : new Account(UserConfig.plain("\u0000nobody", randomText()));
    }

    /** The account, or {@code null}. */
    Account find(String name) {
        return byName.get(name);
    }

    /** A password nobody knows, so that the stand-in account never verifies. */
    private static String randomText() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
