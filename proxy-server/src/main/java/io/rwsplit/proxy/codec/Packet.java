package io.rwsplit.proxy.codec;

import io.netty.buffer.ByteBuf;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;

/**
 * One MySQL protocol packet as it crossed the wire: its sequence id and its payload. A payload of
 * exactly {@link #MAX_PAYLOAD} bytes means the logical message goes on in the next packet.
 * Owns a reference to the payload: release the packet when done with it.
 */
public final class Packet extends AbstractReferenceCounted {

    /** The largest payload one packet carries: 2^24 - 1 bytes. */
    public static final int MAX_PAYLOAD = 0xFF_FFFF;

    private final int sequenceId;
    private final ByteBuf payload;

    public Packet(int sequenceId, ByteBuf payload) {
        if (sequenceId < 0 || sequenceId > 255) {
            throw new IllegalArgumentException("sequence id must be 0-255, was " + sequenceId);
        }
        if (payload.readableBytes() > MAX_PAYLOAD) {
            throw new IllegalArgumentException("a packet carries at most " + MAX_PAYLOAD + " bytes, not "
                    + payload.readableBytes());
        }
        this.sequenceId = sequenceId;
        this.payload = payload;
    }

    public int sequenceId() {
        return sequenceId;
    }

    public ByteBuf payload() {
        return payload;
    }

    /** Whether the message continues in the next packet. */
    public boolean continues() {
        return payload.readableBytes() == MAX_PAYLOAD;
    }

    /** The same payload under another sequence id (a relayed packet renumbered); shares the payload. */
    public Packet withSequenceId(int newSequenceId) {
        return new Packet(newSequenceId, payload.retain());
    }

    @Override
    protected void deallocate() {
        payload.release();
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        payload.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "Packet(seq=" + sequenceId + ", " + payload.readableBytes() + " bytes)";
    }
}
