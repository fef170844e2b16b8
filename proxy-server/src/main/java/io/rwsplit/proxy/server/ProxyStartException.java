package io.rwsplit.proxy.server;

/** The proxy could not start; the message says why in terms an operator can act on. */
public final class ProxyStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ProxyStartException(String message) {
        super(message);
    }

    public ProxyStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
