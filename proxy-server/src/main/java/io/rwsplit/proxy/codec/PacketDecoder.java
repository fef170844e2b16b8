package io.rwsplit.proxy.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the byte stream into {@link Packet}s: a 3-byte little-endian payload length, a 1-byte
 * sequence id, then the payload. Framing only: it neither joins continuation packets nor looks
 * inside a payload. The payload is a retained slice of the input, so relaying a packet copies
 * nothing. A length can never exceed 2^24 - 1, which bounds what one frame buffers.
 */
public final class PacketDecoder extends ByteToMessageDecoder {

    static final int HEADER = 4;

    private int maxLength = Packet.MAX_PAYLOAD;
    /** Login: the client's first packet may be an SSLRequest, after which TLS bytes follow at once. */
    private boolean watchTlsRequest;
    private boolean paused;

    /**
     * Refuses packets announcing more than {@code max} bytes from now on (before a login, a
     * client has no business sending large packets); a refused length fails the channel with
     * {@link io.netty.handler.codec.TooLongFrameException}.
     */
    public void maxLength(int max) {
        this.maxLength = max;
    }

    /**
     * Until the next packet: if it is an SSLRequest, stop framing after it. The client starts its
     * TLS handshake right behind it, often in the same read; those bytes belong to the TLS handler
     * that the login puts in front of this decoder, and {@link #resumeBehindTls} hands them over.
     */
    public void watchTlsRequest() {
        this.watchTlsRequest = true;
    }

    /**
     * After a TLS handler was added in front of this decoder: later, on the event loop, sends the
     * bytes that arrived behind the SSLRequest through the pipeline again (into the TLS handler)
     * and frames as before.
     */
    public void resumeBehindTls(ChannelHandlerContext ctx) {
        ctx.channel().eventLoop().execute(() -> {
            paused = false;
            ByteBuf rest = internalBuffer();
            if (rest.isReadable()) {
                ctx.pipeline().fireChannelRead(rest.readRetainedSlice(rest.readableBytes()));
            }
            ctx.channel().config().setAutoRead(true);
            ctx.pipeline().fireChannelReadComplete();
        });
    }

    /** Whether part of a packet has arrived and the rest has not (a stalled client is stalled here). */
    public boolean midPacket() {
        return actualReadableBytes() > 0;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        for (;;) {
            if (paused || in.readableBytes() < HEADER) {
                return;
            }
            int start = in.readerIndex();
            int length = in.getUnsignedMediumLE(start);
            if (length > maxLength) {
                in.skipBytes(in.readableBytes());
                throw new io.netty.handler.codec.TooLongFrameException("a packet of " + length
                        + " bytes where at most " + maxLength + " are accepted");
            }
            if (in.readableBytes() < HEADER + length) {
                return;
            }
            int sequenceId = in.getUnsignedByte(start + 3);
            in.skipBytes(HEADER);
            out.add(new Packet(sequenceId, in.readRetainedSlice(length)));
            if (watchTlsRequest) {
                watchTlsRequest = false;
                // SSLRequest: 32 bytes, capability flags (little-endian) with CLIENT_SSL (0x800)
                if (length == 32 && (in.getByte(start + HEADER + 1) & 0x08) != 0) {
                    paused = true;
                    ctx.channel().config().setAutoRead(false);
                    return;
                }
            }
        }
    }
}
