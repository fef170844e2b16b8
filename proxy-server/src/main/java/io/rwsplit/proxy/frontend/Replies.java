package io.rwsplit.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.SocketChannel;
import io.rwsplit.core.session.SessionState;
import io.rwsplit.core.session.Transaction;
import io.rwsplit.proxy.codec.Packet;
import io.rwsplit.proxy.protocol.Capabilities;
import io.rwsplit.proxy.protocol.EofPacket;
import io.rwsplit.proxy.protocol.ErrPacket;
import io.rwsplit.proxy.protocol.OkPacket;
import io.rwsplit.proxy.protocol.ServerStatus;
import java.util.concurrent.TimeUnit;

/**
 * The packets the proxy itself answers a client's command with (OK, ERR, the end of a result
 * set), numbered on from the last packet the client sent for that command and carrying the status
 * flags of the session's state. Nothing here flushes, except before closing the connection.
 */
final class Replies {

    /** How long a refused client may go on sending before its connection is closed. */
    private static final long LINGER_MS = 2_000;

    private final Channel channel;
    private final long capabilities;
    private final SessionState state;
    /** Sequence id of the last packet of the command being answered. */
    private int lastSequence;

    Replies(Channel channel, long capabilities, SessionState state) {
        this.channel = channel;
        this.capabilities = capabilities;
        this.state = state;
    }

    /** The sequence id of the last packet of the current command, either way. */
    int lastSequence() {
        return lastSequence;
    }

    /** The client's packet {@code sequence} belongs to the current command: answers follow it. */
    void lastSequence(int sequence) {
        lastSequence = sequence;
    }

    int statusFlags() {
        int s = state.autocommit() ? ServerStatus.AUTOCOMMIT : 0;
        if (state.transaction() != Transaction.NONE && state.explicitTransaction()) {
            s |= ServerStatus.IN_TRANS;
        }
        return s;
    }

    void ok(long affectedRows, long lastInsertId, int warnings) {
        write(OkPacket.of(affectedRows, lastInsertId, statusFlags(), warnings));
    }

    /** The end of a result set, as the client's protocol has it: an OK with CLIENT_DEPRECATE_EOF, else an EOF. */
    void endOfResultSet() {
        if (Capabilities.has(capabilities, Capabilities.CLIENT_DEPRECATE_EOF)) {
            write(OkPacket.endOfResultSet(statusFlags(), 0));
        } else {
            ByteBuf out = channel.alloc().buffer(5);
            new EofPacket(0, statusFlags()).writeTo(out);
            payload(out);
        }
    }

    private void write(OkPacket ok) {
        ByteBuf out = channel.alloc().buffer(16);
        ok.writeTo(out, capabilities);
        payload(out);
    }

    void error(ErrPacket error) {
        ByteBuf out = channel.alloc().buffer(32 + error.message().length());
        error.writeTo(out, capabilities);
        payload(out);
    }

    /** Writes a packet answering the current command; does not flush. */
    void payload(ByteBuf payload) {
        lastSequence = (lastSequence + 1) & 0xFF;
        channel.write(new Packet(lastSequence, payload), channel.voidPromise());
    }

    /** Answers with {@code error}, then closes the connection once the client had a chance to read it. */
    void errorThenClose(ErrPacket error) {
        error(error);
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> lingerThenClose());
    }

    /**
     * The client may still be sending what was refused (the rest of an oversized message): closing
     * with its bytes unread would reset the connection, and the client would meet the reset while
     * writing instead of reading the error. So the proxy stops sending, drops what still arrives
     * for a moment, then closes.
     */
    private void lingerThenClose() {
        if (channel instanceof SocketChannel socket && socket.isActive()) {
            channel.config().setAutoRead(true);
            socket.shutdownOutput();
            channel.eventLoop().schedule(() -> {
                channel.close();
            }, LINGER_MS, TimeUnit.MILLISECONDS);
        } else {
            channel.close();
        }
    }
}
