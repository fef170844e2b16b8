package io.rwsplit.core.topology;

/** Whether a node answers its monitor probes (after hysteresis). */
public enum Health {
    UP,
    DOWN
}
