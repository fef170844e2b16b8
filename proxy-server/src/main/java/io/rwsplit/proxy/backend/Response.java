package io.rwsplit.proxy.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.Promise;
import io.rwsplit.proxy.codec.MalformedPacketException;
import io.rwsplit.proxy.codec.Wire;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole response to a command the proxy sent for itself (a session setting, a GTID wait, a
 * prepare): the tracker's summary and copies of the packets' payloads, for small responses only.
 */
public final class Response {

    private final ResponseTracker tracker;
    private final List<byte[]> payloads;
    private final boolean deprecateEof;

    Response(ResponseTracker tracker, List<byte[]> payloads, boolean deprecateEof) {
        this.tracker = tracker;
        this.payloads = payloads;
        this.deprecateEof = deprecateEof;
    }

    public ResponseTracker summary() {
        return tracker;
    }

    public boolean error() {
        return tracker.error();
    }

    /** The server's error as an exception, for a response that is one ({@link #error()}). */
    public BackendException failure() {
        return BackendException.server(tracker.errorCode(), tracker.sqlState(), tracker.errorMessage());
    }

    public List<byte[]> payloads() {
        return payloads;
    }

    /**
     * The first column of the first row of a text result set, or {@code null} for SQL NULL or no
     * row at all.
     */
    public String firstValue() throws MalformedPacketException {
        return row(0).get(0);
    }

    /** The columns of the {@code n}th row of a one-result text result set, as text. */
    public List<String> row(int n) throws MalformedPacketException {
        if (!tracker.hadResultSet() || payloads.isEmpty()) {
            throw new MalformedPacketException("no result set");
        }
        ByteBuf count = Unpooled.wrappedBuffer(payloads.get(0));
        int columns = (int) Wire.readLenencInt(count);
        int rowsStart = 1 + columns + (deprecateEof ? 0 : 1);
        int index = rowsStart + n;
        // the last payload ends the result set
        if (index >= payloads.size() - 1) {
            List<String> none = new ArrayList<>();
            none.add(null);
            return none;
        }
        ByteBuf row = Unpooled.wrappedBuffer(payloads.get(index));
        List<String> values = new ArrayList<>(columns);
        for (int i = 0; i < columns; i++) {
            if (row.getUnsignedByte(row.readerIndex()) == 0xFB) {
                row.skipBytes(1);
                values.add(null);
            } else {
                values.add(new String(Wire.readLenencBytes(row), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    /** Collects a response into a {@link Response} and completes a promise with it. */
    static final class Collector implements Exchange {

        private final ResponseTracker tracker;
        private final Promise<Response> promise;
        private final List<byte[]> payloads = new ArrayList<>();
        private final boolean deprecateEof;

        Collector(ResponseTracker tracker, boolean deprecateEof, Promise<Response> promise) {
            this.tracker = tracker;
            this.deprecateEof = deprecateEof;
            this.promise = promise;
        }

        @Override
        public boolean onPacket(ByteBuf in, int frameStart, int length) throws MalformedPacketException {
            byte[] payload = new byte[length];
            in.getBytes(frameStart + 4, payload);
            payloads.add(payload);
            return tracker.next(in, frameStart + 4, length) == ResponseTracker.Step.DONE;
        }

        @Override
        public void onCompleted() {
            promise.trySuccess(new Response(tracker, payloads, deprecateEof));
        }

        @Override
        public void onFailure(BackendException cause) {
            promise.tryFailure(cause);
        }
    }
}
