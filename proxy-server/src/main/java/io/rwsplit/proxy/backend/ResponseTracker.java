package io.rwsplit.proxy.backend;

import io.netty.buffer.ByteBuf;
import io.rwsplit.proxy.codec.MalformedPacketException;
import io.rwsplit.proxy.codec.Packet;
import io.rwsplit.proxy.protocol.ServerStatus;
import java.nio.charset.StandardCharsets;

/**
 * Follows one command's response packet by packet, reading only first bytes and the packets that
 * end a result, to tell where the response ends and what its final status was. Rows and column
 * definitions are never decoded: the proxy relays them as they are.
 *
 * <p>The shapes (dev.mysql.com "Text Resultset", "Binary Protocol Resultset",
 * "COM_STMT_PREPARE Response"):
 * <pre>
 * QUERY       OK | ERR | LOCAL INFILE request, then OK | ERR
 *             | column count, column definitions, [EOF], rows, EOF-or-OK(0xFE) | ERR
 *             each OK/EOF with MORE_RESULTS_EXISTS is followed by another result
 * EXECUTE     as QUERY without LOCAL INFILE; a result whose metadata ends with
 *             CURSOR_EXISTS has no rows yet: they come with COM_STMT_FETCH
 * FETCH       rows, EOF-or-OK(0xFE) | ERR
 * PREPARE     ERR | PREPARE_OK, parameter definitions, [EOF], column definitions, [EOF]
 * FIELD_LIST  column definitions, EOF-or-OK(0xFE) | ERR
 * SINGLE      one packet (OK, ERR, EOF, a statistics string)
 * </pre>
 * [EOF] is present only without CLIENT_DEPRECATE_EOF. A packet following one of
 * {@link Packet#MAX_PAYLOAD} bytes continues it and never changes the state.
 *
 * <p>Not thread-safe; one per command.
 */
public final class ResponseTracker {

    /** The kinds of response the proxy relays. */
    public enum Shape {
        QUERY, EXECUTE, FETCH, PREPARE, FIELD_LIST, SINGLE
    }

    /** What the packet just seen means for the exchange. */
    public enum Step {
        /** More packets of this response follow. */
        MORE,
        /** The server asked the client for a file (LOAD DATA LOCAL); its OK or ERR follows the upload. */
        LOCAL_INFILE,
        /** The response is complete. */
        DONE
    }

    private enum State {
        FIRST, COLUMNS, COLUMNS_EOF, ROWS, PARAMS, PARAMS_EOF, PREPARED_COLUMNS, PREPARED_COLUMNS_EOF, FIELDS, DONE
    }

    private static final int OK = 0x00;
    private static final int LOCAL_INFILE = 0xFB;
    private static final int EOF = 0xFE;
    private static final int ERR = 0xFF;
    private static final int EOF_MAX_LENGTH = 9;

    private final Shape shape;
    private final boolean deprecateEof;
    private State state;
    private long remaining;
    private boolean continuation;

    private int statusFlags;
    private int warnings;
    private long affectedRows;
    private long lastInsertId;
    private boolean error;
    private int errorCode;
    private String sqlState;
    private String errorMessage;
    private boolean resultSet;
    private long statementId;
    private int columns;
    private int params;

    public ResponseTracker(Shape shape, boolean deprecateEof) {
        this.shape = shape;
        this.deprecateEof = deprecateEof;
        this.state = switch (shape) {
            case FETCH -> State.ROWS;
            case FIELD_LIST -> State.FIELDS;
            default -> State.FIRST;
        };
    }

    /**
     * Takes the next packet, whose payload is {@code buf[index, index + length)}; the buffer's
     * indices are not moved.
     */
    public Step next(ByteBuf buf, int index, int length) throws MalformedPacketException {
        if (state == State.DONE) {
            throw new MalformedPacketException("a packet after the end of the response");
        }
        boolean continued = continuation;
        continuation = length == Packet.MAX_PAYLOAD;
        if (continued) {
            return Step.MORE;
        }
        if (shape == Shape.SINGLE) {
            if (length > 0) {
                int first = buf.getUnsignedByte(index);
                if (first == ERR) {
                    err(buf, index, length);
                } else if (first == OK && length >= 7) {
                    ok(buf, index, length);
                } else if (first == EOF && length < EOF_MAX_LENGTH) {
                    terminal(buf, index, length);
                }
            }
            return finish();
        }
        if (length == 0) {
            throw new MalformedPacketException("an empty packet in a response");
        }
        int first = buf.getUnsignedByte(index);
        switch (state) {
            case FIRST -> {
                if (first == ERR) {
                    err(buf, index, length);
                    return finish();
                }
                if (first == OK) {
                    if (shape == Shape.PREPARE) {
                        return prepareOk(buf, index, length);
                    }
                    ok(buf, index, length);
                    return afterResult();
                }
                if (first == LOCAL_INFILE && shape == Shape.QUERY) {
                    return Step.LOCAL_INFILE;
                }
                if (shape == Shape.PREPARE) {
                    throw new MalformedPacketException(String.format("0x%02X where PREPARE_OK or ERR was expected",
                            first));
                }
                remaining = lenenc(buf, index, length);
                if (remaining <= 0) {
                    throw new MalformedPacketException("a result set with " + remaining + " columns");
                }
                resultSet = true;
                state = State.COLUMNS;
                return Step.MORE;
            }
            case COLUMNS -> {
                if (first == ERR) {
                    err(buf, index, length);
                    return finish();
                }
                if (--remaining == 0) {
                    state = deprecateEof ? State.ROWS : State.COLUMNS_EOF;
                }
                return Step.MORE;
            }
            case COLUMNS_EOF -> {
                if (first == ERR) {
                    err(buf, index, length);
                    return finish();
                }
                expectEnd(first, length, "the end of the column definitions");
                terminal(buf, index, length);
                if (shape == Shape.EXECUTE && ServerStatus.has(statusFlags, ServerStatus.CURSOR_EXISTS)) {
                    return finish();
                }
                state = State.ROWS;
                return Step.MORE;
            }
            case ROWS -> {
                if (first == ERR) {
                    err(buf, index, length);
                    return finish();
                }
                if (first == EOF && isEnd(length)) {
                    terminal(buf, index, length);
                    return shape == Shape.FETCH ? finish() : afterResult();
                }
                return Step.MORE;
            }
            case PARAMS -> {
                if (--remaining == 0) {
                    state = deprecateEof ? afterParams() : State.PARAMS_EOF;
                }
                return state == State.DONE ? finish() : Step.MORE;
            }
            case PARAMS_EOF -> {
                expectEnd(first, length, "the end of the parameter definitions");
                state = afterParams();
                return state == State.DONE ? finish() : Step.MORE;
            }
            case PREPARED_COLUMNS -> {
                if (--remaining == 0) {
                    if (deprecateEof) {
                        return finish();
                    }
                    state = State.PREPARED_COLUMNS_EOF;
                }
                return Step.MORE;
            }
            case PREPARED_COLUMNS_EOF -> {
                expectEnd(first, length, "the end of the column definitions");
                return finish();
            }
            case FIELDS -> {
                if (first == ERR) {
                    err(buf, index, length);
                    return finish();
                }
                if (first == EOF && isEnd(length)) {
                    terminal(buf, index, length);
                    return finish();
                }
                return Step.MORE;
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private Step prepareOk(ByteBuf buf, int index, int length) throws MalformedPacketException {
        if (length < 12) {
            throw new MalformedPacketException("a PREPARE_OK of " + length + " bytes");
        }
        statementId = buf.getUnsignedIntLE(index + 1);
        columns = buf.getUnsignedShortLE(index + 5);
        params = buf.getUnsignedShortLE(index + 7);
        warnings = buf.getUnsignedShortLE(index + 10);
        if (params > 0) {
            remaining = params;
            state = State.PARAMS;
            return Step.MORE;
        }
        state = afterParams();
        return state == State.DONE ? finish() : Step.MORE;
    }

    private State afterParams() {
        if (columns == 0) {
            return State.DONE;
        }
        remaining = columns;
        return State.PREPARED_COLUMNS;
    }

    private Step afterResult() {
        if (ServerStatus.has(statusFlags, ServerStatus.MORE_RESULTS_EXISTS)) {
            state = State.FIRST;
            return Step.MORE;
        }
        return finish();
    }

    private Step finish() {
        state = State.DONE;
        return Step.DONE;
    }

    private boolean isEnd(int length) {
        return deprecateEof ? length < Packet.MAX_PAYLOAD : length < EOF_MAX_LENGTH;
    }

    private void expectEnd(int first, int length, String what) throws MalformedPacketException {
        if (first != EOF || length >= EOF_MAX_LENGTH && !deprecateEof) {
            throw new MalformedPacketException(String.format("0x%02X where %s was expected", first, what));
        }
    }

    /** An EOF packet, or under CLIENT_DEPRECATE_EOF the OK packet with header 0xFE that replaces it. */
    private void terminal(ByteBuf buf, int index, int length) throws MalformedPacketException {
        if (length < EOF_MAX_LENGTH && !deprecateEof) {
            if (length >= 5) {
                warnings = buf.getUnsignedShortLE(index + 1);
                statusFlags = buf.getUnsignedShortLE(index + 3);
            }
            return;
        }
        ok(buf, index, length);
    }

    private void ok(ByteBuf buf, int index, int length) throws MalformedPacketException {
        int end = index + length;
        int i = index + 1;
        affectedRows = lenencAt(buf, i, end);
        i += lenencSize(buf, i);
        lastInsertId = lenencAt(buf, i, end);
        i += lenencSize(buf, i);
        if (i + 4 > end) {
            // a 4.0-style OK without status: nothing to learn
            return;
        }
        statusFlags = buf.getUnsignedShortLE(i);
        warnings = buf.getUnsignedShortLE(i + 2);
    }

    private void err(ByteBuf buf, int index, int length) {
        error = true;
        errorCode = length >= 3 ? buf.getUnsignedShortLE(index + 1) : 0;
        int messageStart = index + 3;
        if (length >= 9 && buf.getByte(index + 3) == '#') {
            sqlState = buf.toString(index + 4, 5, StandardCharsets.US_ASCII);
            messageStart = index + 9;
        } else {
            sqlState = "HY000";
        }
        int end = index + length;
        errorMessage = messageStart < end ? buf.toString(messageStart, end - messageStart, StandardCharsets.UTF_8) : "";
    }

    private static long lenenc(ByteBuf buf, int index, int length) throws MalformedPacketException {
        return lenencAt(buf, index, index + length);
    }

    private static long lenencAt(ByteBuf buf, int i, int end) throws MalformedPacketException {
        if (i >= end) {
            throw new MalformedPacketException("a packet ends inside a length-encoded integer");
        }
        int first = buf.getUnsignedByte(i);
        int size = sizeOf(first);
        if (i + size > end) {
            throw new MalformedPacketException("a packet ends inside a length-encoded integer");
        }
        return switch (first) {
            case 0xFC -> buf.getUnsignedShortLE(i + 1);
            case 0xFD -> buf.getUnsignedMediumLE(i + 1);
            case 0xFE -> buf.getLongLE(i + 1);
            default -> {
                if (first > 0xFC) {
                    throw new MalformedPacketException(String.format("0x%02X does not start a length-encoded integer",
                            first));
                }
                yield first;
            }
        };
    }

    private static int lenencSize(ByteBuf buf, int i) {
        return sizeOf(buf.getUnsignedByte(i));
    }

    private static int sizeOf(int first) {
        return switch (first) {
            case 0xFC -> 3;
            case 0xFD -> 4;
            case 0xFE -> 9;
            default -> 1;
        };
    }

    /** Whether the response is complete. */
    public boolean done() {
        return state == State.DONE;
    }

    /** Status flags of the last OK or EOF seen. */
    public int statusFlags() {
        return statusFlags;
    }

    public int warnings() {
        return warnings;
    }

    public long affectedRows() {
        return affectedRows;
    }

    public long lastInsertId() {
        return lastInsertId;
    }

    /** Whether the response ended with (or was) an ERR packet. */
    public boolean error() {
        return error;
    }

    public int errorCode() {
        return errorCode;
    }

    public String sqlState() {
        return sqlState;
    }

    public String errorMessage() {
        return errorMessage;
    }

    /** Whether at least one result set (column count and definitions) was part of the response. */
    public boolean hadResultSet() {
        return resultSet;
    }

    /** For PREPARE: the server's statement id. */
    public long statementId() {
        return statementId;
    }

    /** For PREPARE: the number of result columns. */
    public int columns() {
        return columns;
    }

    /** For PREPARE: the number of parameters. */
    public int params() {
        return params;
    }

    public Shape shape() {
        return shape;
    }
}
