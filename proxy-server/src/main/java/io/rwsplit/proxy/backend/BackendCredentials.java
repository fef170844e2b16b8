package io.rwsplit.proxy.backend;

import java.util.Objects;

/** The account the proxy logs in to the servers with. The password is never printed. */
public record BackendCredentials(String user, String password) {

    public BackendCredentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "BackendCredentials[user=" + user + ", password=****]";
    }
}
