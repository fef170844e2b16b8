package io.rwsplit.core.route;

import io.rwsplit.core.config.Fallback;
import io.rwsplit.core.config.ReadYourWrites;
import io.rwsplit.core.config.RwsplitConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * The routing settings the router applies, taken from the configuration once.
 *
 * @param maxLag            a replica lagging more is not read from
 * @param fallback          what a read does when no replica can serve it
 * @param readYourWrites    none, window or causal
 * @param window            for {@code window}: how long after a write reads stay on the primary
 * @param causalWait        for {@code causal}: how long a read may wait for a replica to catch up
 * @param primaryReadWeight the primary's weight among read candidates (0: only as a fallback)
 */
public record RoutingPolicy(Duration maxLag, Fallback fallback, ReadYourWrites readYourWrites, Duration window,
        Duration causalWait, int primaryReadWeight) {

    public static final RoutingPolicy DEFAULTS = new RoutingPolicy(Duration.ofSeconds(10), Fallback.PRIMARY,
            ReadYourWrites.NONE, Duration.ofMillis(500), Duration.ofMillis(200), 0);

    public RoutingPolicy {
        Objects.requireNonNull(maxLag, "maxLag");
        Objects.requireNonNull(fallback, "fallback");
        Objects.requireNonNull(readYourWrites, "readYourWrites");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(causalWait, "causalWait");
    }

    public static RoutingPolicy from(RwsplitConfig c) {
        return new RoutingPolicy(c.maxLag(), c.fallback(), c.readYourWrites(), c.readYourWritesWindow(),
                c.causalWait(), c.primaryReadWeight());
    }

    public RoutingPolicy withReadYourWrites(ReadYourWrites mode) {
        return new RoutingPolicy(maxLag, fallback, mode, window, causalWait, primaryReadWeight);
    }

    public RoutingPolicy withFallback(Fallback f) {
        return new RoutingPolicy(maxLag, f, readYourWrites, window, causalWait, primaryReadWeight);
    }
}
