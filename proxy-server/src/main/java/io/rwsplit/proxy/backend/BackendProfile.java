package io.rwsplit.proxy.backend;

import io.rwsplit.proxy.protocol.Capabilities;

/**
 * What a client's connection settings demand of the backend connections that serve it: the
 * capability flags that change what the server sends or how it reads SQL, and the collation of
 * the handshake. A backend connection serves only clients of its own profile, so its responses
 * can be relayed as they are: a client without CLIENT_DEPRECATE_EOF gets EOF packets, a client
 * with CLIENT_FOUND_ROWS gets matched rather than changed rows, and so on.
 *
 * @param flags       the client's flags, masked to {@link #RELEVANT}
 * @param collationId the client's handshake collation
 */
public record BackendProfile(long flags, int collationId) {

    /** Flags that change the bytes of responses or the meaning of statements. */
    public static final long RELEVANT = Capabilities.CLIENT_FOUND_ROWS | Capabilities.CLIENT_IGNORE_SPACE
            | Capabilities.CLIENT_LOCAL_FILES | Capabilities.CLIENT_SESSION_TRACK | Capabilities.CLIENT_DEPRECATE_EOF;

    public static BackendProfile of(long clientCapabilities, int collationId) {
        return new BackendProfile(clientCapabilities & RELEVANT, collationId & 0xFF);
    }

    public boolean deprecateEof() {
        return Capabilities.has(flags, Capabilities.CLIENT_DEPRECATE_EOF);
    }
}
