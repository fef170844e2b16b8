package io.rwsplit.core.config;

import java.time.Duration;

/**
 * Limits of the statement classifier.
 *
 * @param cacheSize       statements whose classification is remembered (0 turns the cache off)
 * @param maxCachedLength longer statements are classified every time rather than cached
 * @param maxParseLength  longer statements the fast path cannot decide go to the primary unparsed
 * @param parseTimeout    a parse taking longer is abandoned and the statement goes to the primary
 */
public record ClassifierConfig(int cacheSize, int maxCachedLength, int maxParseLength, Duration parseTimeout) {

    public static final ClassifierConfig DEFAULTS = new ClassifierConfig(10_000, 4096, 65_536, Duration.ofMillis(250));
}
