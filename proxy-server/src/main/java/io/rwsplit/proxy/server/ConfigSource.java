package io.rwsplit.proxy.server;

import io.rwsplit.proxy.config.ProxyConfig;

/** Where a reload reads the configuration from: the file the proxy was started with. */
@FunctionalInterface
public interface ConfigSource {

    /** @throws io.rwsplit.core.config.ConfigException when the file is wrong, naming the key */
    ProxyConfig load();
}
