package io.rwsplit.proxy.frontend;

import io.rwsplit.proxy.codec.Packet;
import java.util.ArrayDeque;

/**
 * The packets a client pipelined, waiting for their command's turn, counted in packets and in
 * bytes. It says when reading from the client should pause (above a high mark) and when it may go
 * on (below the low marks); between the marks the setting stays as it is, so it does not flap.
 */
final class Inbox {

    private static final int HIGH = 32;
    private static final int LOW = 4;
    private static final long HIGH_BYTES = 1 << 20;
    private static final long LOW_BYTES = 64 << 10;

    private final ArrayDeque<Packet> packets = new ArrayDeque<>();
    private long bytes;

    void add(Packet p) {
        packets.add(p);
        bytes += p.payload().readableBytes();
    }

    /** The oldest packet, or null when there is none. */
    Packet poll() {
        Packet p = packets.poll();
        if (p != null) {
            bytes -= p.payload().readableBytes();
        }
        return p;
    }

    boolean isEmpty() {
        return packets.isEmpty();
    }

    /** Long enough that reading from the client should pause. */
    boolean full() {
        return packets.size() > HIGH || bytes > HIGH_BYTES;
    }

    /** Short enough that reading from the client may go on. */
    boolean roomy() {
        return packets.size() <= LOW && bytes <= LOW_BYTES;
    }

    /** Drops every waiting packet. */
    void clear() {
        Packet p;
        while ((p = packets.poll()) != null) {
            p.release();
        }
        bytes = 0;
    }
}
