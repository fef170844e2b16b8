package io.rwsplit.core.config;

import java.util.function.Function;

/**
 * Binds a front end's own top-level keys of a config file (the proxy's {@code listen},
 * {@code users}, ...) that also holds the shared keys; see
 * {@link ConfigLoader#loadYaml(java.nio.file.Path, java.util.List, FrontEndBinder)}.
 *
 * @param <T> the front end's settings
 */
@FunctionalInterface
public interface FrontEndBinder<T> {

    /**
     * @param top the front end's keys only, at the top level (path {@code ""}); other keys were
     *            already checked, so a key not read here is simply absent
     * @param env returns an environment variable's value, or {@code null} if it is not set: for
     *            {@link ConfigSection#secret(String, String, Function)}
     * @return the settings, never {@code null}
     * @throws ConfigException naming the offending key when a value cannot be used
     */
    T bind(ConfigSection top, Function<String, String> env);
}
