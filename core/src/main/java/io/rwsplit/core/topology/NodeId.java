package io.rwsplit.core.topology;

import java.util.Objects;

/** A configured server: its name (unique in the cluster, used in reasons and logs) and address. */
public record NodeId(String name, String host, int port) {

    public NodeId {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return name;
    }
}
