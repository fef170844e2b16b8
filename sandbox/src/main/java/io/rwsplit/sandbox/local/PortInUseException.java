package io.rwsplit.sandbox.local;

/** The port picked for a node was taken by someone else between picking and binding it. */
final class PortInUseException extends RuntimeException {

    PortInUseException(String message) {
        super(message);
    }
}
