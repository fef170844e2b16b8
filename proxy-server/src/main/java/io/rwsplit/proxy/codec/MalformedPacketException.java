package io.rwsplit.proxy.codec;

/** A packet that does not say what its command promises: the peer gets an ERR packet saying why. */
public final class MalformedPacketException extends Exception {

    public MalformedPacketException(String message) {
        super(message);
    }
}
