package io.rwsplit.core.config;

import java.util.Objects;

/**
 * A config file read by a front end with keys of its own: the shared routing settings and the
 * front end's, both from one read of the file.
 *
 * @param routing  the shared keys (nodes, balance, monitor, ...), as the driver would read them
 * @param frontEnd what the front end's {@link FrontEndBinder} made of its keys
 * @param <T>      the front end's settings
 */
public record ConfigDocument<T>(RwsplitConfig routing, T frontEnd) {

    public ConfigDocument {
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(frontEnd, "frontEnd (the front end's binder returned null)");
    }
}
