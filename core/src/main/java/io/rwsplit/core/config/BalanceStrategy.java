package io.rwsplit.core.config;

/** How reads are spread over eligible replicas; the config spelling is {@link #key()}. */
public enum BalanceStrategy {
    ROUND_ROBIN("round-robin"),
    WEIGHTED("weighted"),
    RANDOM("random"),
    LEAST_CONNECTIONS("least-connections"),
    LEAST_RESPONSE_TIME("least-response-time"),
    OBSERVED("observed"),
    P2C("p2c"),
    HASH("hash");

    private final String key;

    BalanceStrategy(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
