package io.rwsplit.proxy.backend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.rwsplit.proxy.codec.MalformedPacketException;
import io.rwsplit.proxy.codec.Packet;
import io.rwsplit.proxy.protocol.ErrorCode;
import java.util.List;

/**
 * Frames a server's bytes into packets and hands them to whoever reads them: the login while
 * logging in, then the exchange of the command in flight. Exchanges see each packet in place in
 * the read buffer, so relaying a result set slices ranges of it instead of copying or wrapping
 * each row.
 */
final class BackendDecoder extends ByteToMessageDecoder {

    private static final int HEADER = 4;
    private final BackendConnection connection;

    BackendDecoder(BackendConnection connection) {
        this.connection = connection;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        try {
            for (;;) {
                if (in.readableBytes() < HEADER) {
                    break;
                }
                int start = in.readerIndex();
                int length = in.getUnsignedMediumLE(start);
                if (in.readableBytes() < HEADER + length) {
                    break;
                }
                if (!connection.ready()) {
                    BackendLogin login = connection.login();
                    in.skipBytes(HEADER);
                    Packet p = new Packet(in.getUnsignedByte(start + 3), in.readRetainedSlice(length));
                    if (login == null) {
                        p.release();
                        continue;
                    }
                    login.onPacket(p);
                    continue;
                }
                Exchange e = connection.current();
                if (e == null) {
                    in.skipBytes(HEADER + length);
                    connection.unsolicited();
                    continue;
                }
                boolean done = e.onPacket(in, start, length);
                in.readerIndex(start + HEADER + length);
                if (done) {
                    e.onReadEnd(in);
                    connection.completed();
                    e.onCompleted();
                }
            }
            Exchange e = connection.current();
            if (e != null) {
                e.onReadEnd(in);
            }
        } catch (MalformedPacketException bad) {
            in.skipBytes(in.readableBytes());
            fail(ctx, "the server " + connection.node().name() + " sent a packet the proxy cannot follow: "
                    + bad.getMessage(), bad);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        connection.writabilityChanged();
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        // not super's: it asks for another read when auto-read is off and no message was decoded,
        // which is always the case here (packets go to the exchange in place), and that would
        // undo the backpressure a slow client puts on this connection
        discardSomeReadBytes();
        ctx.fireChannelReadComplete();
        connection.readComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        super.channelInactive(ctx);
        connection.lost(BackendException.lost(ErrorCode.SERVER_LOST, "lost the connection to "
                + connection.node().name() + " (" + connection.node().address() + ")", null));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, "the connection to " + connection.node().name() + " failed: " + cause.getMessage(), cause);
    }

    private void fail(ChannelHandlerContext ctx, String message, Throwable cause) {
        connection.lost(BackendException.lost(ErrorCode.SERVER_LOST, message, cause));
        ctx.close();
    }
}
