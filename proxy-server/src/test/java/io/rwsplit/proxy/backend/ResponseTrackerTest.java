package io.rwsplit.proxy.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rwsplit.proxy.backend.ResponseTracker.Shape;
import io.rwsplit.proxy.backend.ResponseTracker.Step;
import io.rwsplit.proxy.codec.MalformedPacketException;
import io.rwsplit.proxy.codec.Packet;
import io.rwsplit.proxy.protocol.ServerStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tracker fed real response shapes, payload by payload (the bytes as MySQL and MariaDB send
 * them, written out with a comment per field), checking it finds the end and the final status.
 */
class ResponseTrackerTest {

    /** OK: header, affected rows 1, last insert id 7, status AUTOCOMMIT, 0 warnings. */
    private static final byte[] OK_INSERT = {0x00, 0x01, 0x07, 0x02, 0x00, 0x00, 0x00};
    /** ERR 1146, #42S02, message. */
    private static final byte[] ERR = concat(new byte[] {(byte) 0xFF, 0x7A, 0x04, '#', '4', '2', 'S', '0', '2'},
            "Table 'x' doesn't exist".getBytes(StandardCharsets.US_ASCII));
    /** A column count of 1. */
    private static final byte[] ONE_COLUMN = {0x01};
    /** A column definition; its content does not matter to the tracker, only that it is not 0xFE/0xFF first. */
    private static final byte[] COLUMN_DEF = concat(new byte[] {0x03}, "def".getBytes(StandardCharsets.US_ASCII));
    /** EOF: header, 0 warnings, status AUTOCOMMIT. */
    private static final byte[] EOF = {(byte) 0xFE, 0x00, 0x00, 0x02, 0x00};
    /** EOF with MORE_RESULTS_EXISTS | AUTOCOMMIT and 1 warning. */
    private static final byte[] EOF_MORE = {(byte) 0xFE, 0x01, 0x00, 0x0A, 0x00};
    /** The OK(0xFE) that ends rows under CLIENT_DEPRECATE_EOF: 0 rows, 0 id, status IN_TRANS|AUTOCOMMIT, 2 warnings. */
    private static final byte[] OK_EOF = {(byte) 0xFE, 0x00, 0x00, 0x03, 0x00, 0x02, 0x00};
    /** A text row with one value "42". */
    private static final byte[] ROW = {0x02, '4', '2'};
    /** A text row whose first value is NULL (0xFB): still a row. */
    private static final byte[] NULL_ROW = {(byte) 0xFB};

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Feeds the payloads and returns each step. */
    private static List<Step> feed(ResponseTracker t, byte[]... payloads) throws MalformedPacketException {
        List<Step> steps = new ArrayList<>();
        for (byte[] p : payloads) {
            // the payload sits at an offset inside a bigger buffer, as in a read buffer
            ByteBuf buf = Unpooled.buffer();
            buf.writeZero(5).writeBytes(p).writeZero(3);
            steps.add(t.next(buf, 5, p.length));
        }
        return steps;
    }

    @Test
    void anOkEndsAQueryAndGivesItsStatus() throws Exception {
        ResponseTracker t = new ResponseTracker(Shape.QUERY, false);
        assertThat(feed(t, OK_INSERT)).containsExactly(Step.DONE);
        assertThat(t.affectedRows()).isEqualTo(1);
        assertThat(t.lastInsertId()).isEqualTo(7);
        assertThat(t.statusFlags()).isEqualTo(ServerStatus.AUTOCOMMIT);
        assertThat(t.error()).isFalse();
        assertThat(t.hadResultSet()).isFalse();
    }

    @Test
    void anErrEndsAQueryWithItsCodeAndState() throws Exception {
        ResponseTracker t = new ResponseTracker(Shape.QUERY, false);
        assertThat(feed(t, ERR)).containsExactly(Step.DONE);
        assertThat(t.error()).isTrue();
        assertThat(t.errorCode()).isEqualTo(1146);
        assertThat(t.sqlState()).isEqualTo("42S02");
        assertThat(t.errorMessage()).isEqualTo("Table 'x' doesn't exist");
    }

    @Test
    void aResultSetWithEofPacketsEndsAtTheSecondEof() throws Exception {
        ResponseTracker t = new ResponseTracker(Shape.QUERY, false);
        assertThat(feed(t, ONE_COLUMN, COLUMN_DEF, EOF, ROW, NULL_ROW, EOF))
                .containsExactly(Step.MORE, Step.MORE, Step.MORE, Step.MORE, Step.MORE, Step.DONE);
        assertThat(t.hadResultSet()).isTrue();
        assertThat(t.statusFlags()).isEqualTo(ServerStatus.AUTOCOMMIT);
    }

    @Test
    void underDeprecateEofThereIsNoEofAfterTheColumnsAndAnOkEndsTheRows() throws Exception {
        ResponseTracker t = new ResponseTracker(Shape.QUERY, true);
        assertThat(feed(t, ONE_COLUMN, COLUMN_DEF, ROW, OK_EOF))
                .containsExactly(Step.MORE, Step.MORE, Step.MORE, Step.DONE);
        assertThat(t.statusFlags()).isEqualTo(ServerStatus.IN_TRANS | ServerStatus.AUTOCOMMIT);
        assertThat(t.warnings()).isEqualTo(2);
    }

    @Test
    void moreResultsKeepTheResponseOpenUntilTheLastResult() throws Exception {
        ResponseTracker t = new ResponseTracker(Shape.QUERY, false);
        byte[] okMore = {0x00, 0x00, 0x00, 0x0A, 0x00, 0x00, 0x00};
        assertThat(feed(t, ONE_COLUMN, COLUMN_DEF, EOF, ROW, EOF_MORE, okMore, ONE_COLUMN, COLUMN_DEF, EOF, EOF))
                .containsExactly(Step.MORE, Step.MORE, Step.MORE, Step.MORE, Step.MORE, Step.MORE, Step.MORE,
                        Step.MORE, Step.MORE, Step.DONE);
    }

    @Test
    void anErrInTheMiddleOfRowsEndsTheResponse() throws Exception {
        ResponseTracker t = new ResponseTracker(Shape.QUERY, true);
        assertThat(feed(t, ONE_COLUMN, COLUMN_DEF, ROW, ERR)).containsExactly(Step.MORE, Step.MORE, Step.MORE,
                Step.DONE);
        assertThat(t.error()).isTrue();
    }

    @Test
    void aLocalInfileRequestWaitsForTheUploadThenTheOk() throws Exception {
        ResponseTracker t = new ResponseTracker(Shape.QUERY, false);
        byte[] request = concat(new byte[] {(byte) 0xFB}, "/tmp/data.csv".getBytes(StandardCharsets.US_ASCII));
        assertThat(feed(t, request, OK_INSERT)).containsExactly(Step.LOCAL_INFILE, Step.DONE);
    }

    @Test
    void aRowOf16MiBOrMoreContinuesWhateverTheNextPacketStartsWith() throws Exception {
        ResponseTracker t = new ResponseTracker(Shape.QUERY, false);
        feed(t, ONE_COLUMN, COLUMN_DEF, EOF);
        ByteBuf big = Unpooled.buffer(Packet.MAX_PAYLOAD);
        big.writeByte(0xFD).writeZero(Packet.MAX_PAYLOAD - 1);
        assertThat(t.next(big, 0, Packet.MAX_PAYLOAD)).isEqualTo(Step.MORE);
        // the continuation happens to start like an EOF: it is still part of the row
        assertThat(feed(t, EOF)).containsExactly(Step.MORE);
        assertThat(feed(t, EOF)).containsExactly(Step.DONE);
    }

    @Test
    void aPrepareResponseEndsAfterItsParameterAndColumnDefinitions() throws Exception {
        // PREPARE_OK: statement 5, 1 column, 2 params, filler, 0 warnings
        byte[] prepareOk = {0x00, 0x05, 0x00, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00};
        ResponseTracker t = new ResponseTracker(Shape.PREPARE, false);
        assertThat(feed(t, prepareOk, COLUMN_DEF, COLUMN_DEF, EOF, COLUMN_DEF, EOF))
                .containsExactly(Step.MORE, Step.MORE, Step.MORE, Step.MORE, Step.MORE, Step.DONE);
        assertThat(t.statementId()).isEqualTo(5);
        assertThat(t.params()).isEqualTo(2);
        assertThat(t.columns()).isEqualTo(1);
        ResponseTracker deprecated = new ResponseTracker(Shape.PREPARE, true);
        assertThat(feed(deprecated, prepareOk, COLUMN_DEF, COLUMN_DEF, COLUMN_DEF))
                .containsExactly(Step.MORE, Step.MORE, Step.MORE, Step.DONE);
        byte[] noParamsNoColumns = {0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
        assertThat(feed(new ResponseTracker(Shape.PREPARE, false), noParamsNoColumns)).containsExactly(Step.DONE);
    }

    @Test
    void anExecuteThatOpensACursorEndsAfterTheColumns() throws Exception {
        // EOF with CURSOR_EXISTS | AUTOCOMMIT
        byte[] cursorEof = {(byte) 0xFE, 0x00, 0x00, 0x42, 0x00};
        ResponseTracker t = new ResponseTracker(Shape.EXECUTE, false);
        assertThat(feed(t, ONE_COLUMN, COLUMN_DEF, cursorEof)).containsExactly(Step.MORE, Step.MORE, Step.DONE);
        assertThat(ServerStatus.has(t.statusFlags(), ServerStatus.CURSOR_EXISTS)).isTrue();
        // binary rows start with 0x00 and are not OK packets
        byte[] binaryRow = {0x00, 0x00, 0x2A, 0x00, 0x00, 0x00};
        ResponseTracker fetch = new ResponseTracker(Shape.FETCH, false);
        assertThat(feed(fetch, binaryRow, binaryRow, EOF)).containsExactly(Step.MORE, Step.MORE, Step.DONE);
    }

    @Test
    void fieldListAndSingleAnswers() throws Exception {
        assertThat(feed(new ResponseTracker(Shape.FIELD_LIST, false), COLUMN_DEF, COLUMN_DEF, EOF))
                .containsExactly(Step.MORE, Step.MORE, Step.DONE);
        byte[] statistics = "Uptime: 5  Threads: 1".getBytes(StandardCharsets.US_ASCII);
        assertThat(feed(new ResponseTracker(Shape.SINGLE, false), statistics)).containsExactly(Step.DONE);
    }

    @Test
    void nonsenseIsRefusedNotFollowed() {
        ResponseTracker t = new ResponseTracker(Shape.QUERY, false);
        assertThatThrownBy(() -> feed(t, new byte[0])).isInstanceOf(MalformedPacketException.class);
        ResponseTracker done = new ResponseTracker(Shape.QUERY, false);
        assertThatThrownBy(() -> feed(done, OK_INSERT, OK_INSERT)).isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("after the end");
        ResponseTracker prepare = new ResponseTracker(Shape.PREPARE, false);
        assertThatThrownBy(() -> feed(prepare, ONE_COLUMN)).isInstanceOf(MalformedPacketException.class);
    }
}
