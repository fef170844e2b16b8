package io.rwsplit.proxy.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes {@link Packet}s: a 4-byte header followed by the payload, passed on without copying.
 * Stateless, so one instance serves every channel.
 */
@ChannelHandler.Sharable
public final class PacketEncoder extends MessageToMessageEncoder<Packet> {

    @Override
    protected void encode(ChannelHandlerContext ctx, Packet packet, List<Object> out) {
        ByteBuf payload = packet.payload();
        ByteBuf header = ctx.alloc().ioBuffer(PacketDecoder.HEADER);
        header.writeMediumLE(payload.readableBytes());
        header.writeByte(packet.sequenceId());
        out.add(header);
        out.add(payload.retain());
    }
}
