package io.rwsplit.proxy.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * Logical messages over packets: a message of 2^24 - 1 bytes or more travels as several packets
 * with consecutive sequence ids, the last one shorter than the maximum (possibly empty).
 */
public final class Messages {

    private Messages() {
    }

    /**
     * Splits {@code message} into packets numbered from {@code firstSequenceId} (wrapping at 256).
     * The packets share the message's memory; the message's own reference is handed to them.
     */
    public static List<Packet> split(ByteBuf message, int firstSequenceId) {
        List<Packet> packets = new ArrayList<>(1 + message.readableBytes() / Packet.MAX_PAYLOAD);
        int seq = firstSequenceId;
        for (;;) {
            int n = Math.min(Packet.MAX_PAYLOAD, message.readableBytes());
            packets.add(new Packet(seq, message.readRetainedSlice(n)));
            seq = (seq + 1) & 0xFF;
            if (n < Packet.MAX_PAYLOAD) {
                break;
            }
        }
        message.release();
        return packets;
    }

    /**
     * Collects the packets of one logical message. Feed packets in order; {@link #add} returns the
     * whole message once its last packet arrived, refusing one larger than {@code maxBytes}.
     */
    public static final class Assembler implements AutoCloseable {

        private final ByteBufAllocator alloc;
        private final long maxBytes;
        private io.netty.buffer.CompositeByteBuf parts;
        private int firstSequenceId = -1;

        public Assembler(ByteBufAllocator alloc, long maxBytes) {
            this.alloc = alloc;
            this.maxBytes = maxBytes;
        }

        /** The message, when {@code packet} completed it; else {@code null}. Takes the packet's reference. */
        public ByteBuf add(Packet packet) throws TooLargeException {
            try {
                if (!packet.continues() && parts == null) {
                    // the limit holds for a message of one packet too, not only for joined ones
                    if (packet.payload().readableBytes() > maxBytes) {
                        throw new TooLargeException(maxBytes);
                    }
                    firstSequenceId = packet.sequenceId();
                    return packet.payload().retain();
                }
                if (parts == null) {
                    parts = alloc.compositeBuffer(Integer.MAX_VALUE);
                    firstSequenceId = packet.sequenceId();
                }
                if ((long) parts.readableBytes() + packet.payload().readableBytes() > maxBytes) {
                    close();
                    throw new TooLargeException(maxBytes);
                }
                parts.addComponent(true, packet.payload().retain());
                if (packet.continues()) {
                    return null;
                }
                ByteBuf whole = parts;
                parts = null;
                return whole;
            } finally {
                packet.release();
            }
        }

        /** Whether a message has begun and its last packet has not come yet. */
        public boolean collecting() {
            return parts != null;
        }

        /** Sequence id of the first packet of the message last returned or being collected. */
        public int firstSequenceId() {
            return firstSequenceId;
        }

        @Override
        public void close() {
            if (parts != null) {
                parts.release();
                parts = null;
            }
        }
    }

    /** A message over the size limit ({@code max_allowed_packet}). */
    public static final class TooLargeException extends Exception {

        private final long limit;

        TooLargeException(long limit) {
            super("Got a packet bigger than 'max_allowed_packet' bytes (" + limit + ")");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }
}
