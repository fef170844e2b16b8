package io.rwsplit.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.rwsplit.proxy.backend.BackendConnection;
import io.rwsplit.proxy.backend.BackendException;
import io.rwsplit.proxy.backend.Exchange;
import io.rwsplit.proxy.backend.ResponseTracker;
import io.rwsplit.proxy.codec.MalformedPacketException;

/**
 * Passes a server's response to the client as it arrives: each run of whole packets in a read
 * buffer goes out as one slice of that buffer, headers and sequence ids untouched, while the
 * {@link ResponseTracker} watches for the end. When the client cannot take more, the backend
 * stops being read until it can (backpressure); the session resumes it.
 */
final class Relay implements Exchange {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Relay.class);

    /** What the session learns when the relay ends. */
    interface Listener {
        /** The response is complete and written (not yet flushed); the backend connection is free for more. */
        void relayed(Relay relay);

        /** The server asked for the client's file (LOAD DATA LOCAL): client packets go to the server now. */
        void uploadRequested(Relay relay);

        /** The connection broke or the response made no sense; {@code started}: part of it already reached the client. */
        void relayFailed(Relay relay, BackendException cause, boolean started);
    }

    private final Channel client;
    private final BackendConnection backend;
    private final ResponseTracker tracker;
    private final Listener listener;
    private final Patcher patcher;
    private int packets;
    private int chunkStart = -1;
    private int chunkEnd;
    private boolean started;

    /** Changes a packet in place before it is relayed (same length); {@code index} counts from 0. */
    interface Patcher {
        void patch(ByteBuf in, int payloadStart, int length, int index);
    }

    static final Patcher NONE = (in, start, length, index) -> { };

    Relay(Channel client, BackendConnection backend, ResponseTracker tracker, Listener listener, Patcher patcher) {
        this.client = client;
        this.backend = backend;
        this.tracker = tracker;
        this.listener = listener;
        this.patcher = patcher;
    }

    ResponseTracker tracker() {
        return tracker;
    }

    BackendConnection backend() {
        return backend;
    }

    @Override
    public boolean onPacket(ByteBuf in, int frameStart, int length) throws MalformedPacketException {
        if (chunkStart < 0) {
            chunkStart = frameStart;
        }
        chunkEnd = frameStart + 4 + length;
        patcher.patch(in, frameStart + 4, length, packets++);
        ResponseTracker.Step step = tracker.next(in, frameStart + 4, length);
        switch (step) {
            case DONE -> {
                emit(in);
                return true;
            }
            case LOCAL_INFILE -> {
                emit(in);
                client.flush();
                listener.uploadRequested(this);
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    @Override
    public void onCompleted() {
        restoreAutoRead();
        try {
            listener.relayed(this);
        } catch (RuntimeException e) {
            crashed(e);
        }
    }

    /** The connection goes on to other commands, perhaps another session's: it must read again. */
    private void restoreAutoRead() {
        if (!backend.channel().config().isAutoRead()) {
            backend.channel().config().setAutoRead(true);
        }
    }

    /**
     * A bug after the response: called from the backend's decoder, an exception would leave the
     * client waiting for an answer forever. Closing it is the answer that cannot mislead.
     */
    private void crashed(RuntimeException e) {
        log.error("closing a client after an internal error at the end of a response from {}", backend.node().name(), e);
        backend.markBroken();
        client.close();
    }

    @Override
    public void onReadEnd(ByteBuf in) {
        emit(in);
    }

    private void emit(ByteBuf in) {
        if (chunkStart < 0) {
            return;
        }
        client.write(in.retainedSlice(chunkStart, chunkEnd - chunkStart), client.voidPromise());
        chunkStart = -1;
        started = true;
        if (!client.isWritable()) {
            backend.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void onReadComplete() {
        client.flush();
    }

    @Override
    public void onFailure(BackendException cause) {
        restoreAutoRead();
        try {
            listener.relayFailed(this, cause, started);
        } catch (RuntimeException e) {
            crashed(e);
        }
    }
}
