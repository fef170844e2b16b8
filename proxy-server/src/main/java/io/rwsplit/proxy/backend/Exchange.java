package io.rwsplit.proxy.backend;

import io.netty.buffer.ByteBuf;
import io.rwsplit.proxy.codec.MalformedPacketException;

/**
 * Reads the response to one command sent on a {@link BackendConnection}. Called on the
 * connection's event loop, in order; exactly one of "{@link #onPacket} returned true" and
 * {@link #onFailure} ends it. After {@code onPacket} returned true the connection forgets the
 * exchange, then calls {@link #onCompleted}: only there may the outcome be passed on, because
 * whoever receives it may give the connection back or send it the next command.
 */
public interface Exchange {

    /**
     * One whole packet: its 4-byte header is at {@code in[frameStart]}, its payload of
     * {@code length} bytes follows. The buffer's indices must not be moved; its bytes stay valid
     * until {@link #onReadEnd} returns.
     *
     * @return true if this packet completes the response
     */
    boolean onPacket(ByteBuf in, int frameStart, int length) throws MalformedPacketException;

    /**
     * No more whole packets in this read: hand on anything taken from {@code in} before it changes.
     * After the packet that completed the response it is called once more, when the exchange is
     * no longer the connection's current one: the place to tell others, who may then give the
     * connection back to its pool or send the next command on it.
     */
    default void onReadEnd(ByteBuf in) {
    }

    /** The response is complete and the connection is free for its next command. */
    default void onCompleted() {
    }

    /** The socket has no more bytes for now: a good moment to flush what was relayed. */
    default void onReadComplete() {
    }

    /** The connection broke, or a packet made no sense, before the response was complete. */
    void onFailure(BackendException cause);
}
