package io.rwsplit.proxy.frontend;

import io.netty.channel.Channel;
import io.rwsplit.proxy.backend.BackendConnection;
import io.rwsplit.proxy.codec.Packet;

/**
 * LOAD DATA LOCAL: while a server reads a file from the client, the client's packets go to that
 * server's connection as they come, until the empty packet that ends the file. Reading from the
 * client follows the server: it pauses while the backend connection cannot take more.
 */
final class UploadRelay {

    private final ClientSession session;
    private final Channel client;
    /** The connection the file goes to; null when no upload is running. */
    private BackendConnection to;
    /** The last packet was a full one (16 MiB - 1 bytes): an empty packet after it does not end the file. */
    private boolean continues;

    UploadRelay(ClientSession session, Channel client) {
        this.session = session;
        this.client = client;
    }

    /** Whether the client's packets are a file on its way to a server. */
    boolean active() {
        return to != null;
    }

    /** The server behind {@code c} asked for the client's file: what the client sends next is that file. */
    void start(BackendConnection c) {
        to = c;
        continues = false;
        if (!client.config().isAutoRead()) {
            client.config().setAutoRead(true);
        }
    }

    void forward(Packet p) {
        // the file ends at an empty packet, unless that packet only ends a 16 MiB - 1 byte one
        boolean last = !p.payload().isReadable() && !continues;
        continues = p.continues();
        BackendConnection target = to;
        target.write(p);
        if (last) {
            target.flush();
            to = null;
            session.updateReading();
            return;
        }
        if (!target.channel().isWritable()) {
            // the server takes the file more slowly than the client sends it: hold the client
            target.flush();
            client.config().setAutoRead(false);
            target.whenWritable(() -> {
                if (to == target && !session.closed()) {
                    client.config().setAutoRead(true);
                }
            });
        }
    }

    /** The client's socket has no more bytes for now: send on what was written. */
    void flush() {
        if (to != null) {
            to.flush();
        }
    }
}
