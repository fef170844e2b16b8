package io.rwsplit.sandbox;

import java.util.Objects;

/** A user name and password for one of the sandbox's accounts. {@link #toString()} never shows the password. */
public record Credentials(String user, String password) {

    public Credentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return user + "/****";
    }
}
