package io.rwsplit.proxy.protocol;

import static io.rwsplit.proxy.protocol.Golden.buf;
import static io.rwsplit.proxy.protocol.Golden.bytes;
import static io.rwsplit.proxy.protocol.Golden.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rwsplit.proxy.codec.MalformedPacketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OK, ERR and EOF packets. */
class ResponsePacketsTest {

    static final long P41 = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_TRANSACTIONS;
    static final long TRACK = P41 | Capabilities.CLIENT_SESSION_TRACK;

    static final byte[] OK_INSERT = bytes(
            0x00,                                     // OK header
            0x01,                                     // affected rows 1 (lenenc)
            0xFC, 0xE9, 0x03,                         // last insert id 1001 (lenenc, 0xFC + 2 bytes)
            0x02, 0x00,                               // status: AUTOCOMMIT
            0x00, 0x00);                              // warnings 0

    static final String UPDATE_INFO = "Rows matched: 1  Changed: 0  Warnings: 0";

    static final byte[] OK_UPDATE_WITH_INFO = bytes(
            0x00,                                     // OK header
            0x00,                                     // affected rows 0
            0x00,                                     // last insert id 0
            0x22, 0x00,                               // status: AUTOCOMMIT | QUERY_NO_INDEX_USED
            0x00, 0x00,                               // warnings 0
            0x28,                                     // info: lenenc length 40 ...
            UPDATE_INFO);                             // ... the message

    static final byte[] OK_SCHEMA_CHANGED = bytes(
            0x00,                                     // OK header
            0x00,                                     // affected rows 0
            0x00,                                     // last insert id 0
            0x02, 0x40,                               // status: AUTOCOMMIT | SESSION_STATE_CHANGED (0x4000)
            0x00, 0x00,                               // warnings 0
            0x00,                                     // info: empty lenenc string (present: state changed)
            0x07,                                     // session state: lenenc length 7 ...
            0x01,                                     //   type SESSION_TRACK_SCHEMA
            0x05,                                     //   data: lenenc length 5 ...
            0x04, "shop");                            //     schema name, lenenc

    static final byte[] OK_AUTOCOMMIT_OFF = bytes(
            0x00,                                     // OK header
            0x00, 0x00,                               // affected rows, last insert id
            0x00, 0x40,                               // status: SESSION_STATE_CHANGED (autocommit now off)
            0x00, 0x00,                               // warnings 0
            0x00,                                     // info: empty
            0x11,                                     // session state: 17 bytes
            0x00,                                     //   type SESSION_TRACK_SYSTEM_VARIABLES
            0x0F,                                     //   data: 15 bytes
            0x0A, "autocommit",                       //     name, lenenc
            0x03, "OFF");                             //     value, lenenc

    static final byte[] OK_ENDING_RESULT_SET = bytes(
            0xFE,                                     // OK header of a result set's end (DEPRECATE_EOF)
            0x00,                                     // affected rows 0
            0x00,                                     // last insert id 0
            0x22, 0x00,                               // status: AUTOCOMMIT | QUERY_NO_INDEX_USED
            0x01, 0x00);                              // warnings 1

    static final byte[] EOF = bytes(                  // the example of dev.mysql.com's EOF_Packet page
            0xFE,                                     // EOF header
            0x00, 0x00,                               // warnings 0
            0x02, 0x00);                              // status: AUTOCOMMIT

    static final String DENIED = "Access denied for user 'app'@'10.0.0.7' (using password: YES)";

    static final byte[] ERR_DENIED = bytes(
            0xFF,                                     // ERR header
            0x15, 0x04,                               // error code 1045, ER_ACCESS_DENIED_ERROR
            "#",                                      // SQLSTATE marker
            "28000",                                  // SQLSTATE
            DENIED);                                  // message, to the end of the packet

    static final byte[] ERR_BEFORE_HANDSHAKE = bytes(
            0xFF,                                     // ERR header
            0x10, 0x04,                               // error code 1040, ER_CON_COUNT_ERROR
            "Too many connections");                  // message; no SQLSTATE before the handshake

    @Test
    void okRoundTripsInItsPlainForm() throws Exception {
        OkPacket ok = OkPacket.decode(buf(OK_INSERT), P41);
        assertThat(ok.header()).isZero();
        assertThat(ok.affectedRows()).isEqualTo(1);
        assertThat(ok.lastInsertId()).isEqualTo(1001);
        assertThat(ok.statusFlags()).isEqualTo(ServerStatus.AUTOCOMMIT);
        assertThat(ok.warnings()).isZero();
        assertThat(ok.info()).isEmpty();
        assertThat(written(b -> OkPacket.of(1, 1001, ServerStatus.AUTOCOMMIT, 0).writeTo(b, P41)))
                .containsExactly(OK_INSERT);
        assertThat(OkPacket.decode(buf(OK_INSERT), TRACK).info()).as("same bytes under SESSION_TRACK").isEmpty();
    }

    @Test
    void okInfoIsALengthEncodedString() throws Exception {
        OkPacket ok = OkPacket.decode(buf(OK_UPDATE_WITH_INFO), P41);
        assertThat(ok.info()).isEqualTo(UPDATE_INFO);
        assertThat(written(b -> ok.writeTo(b, P41))).containsExactly(OK_UPDATE_WITH_INFO);
        assertThat(OkPacket.decode(buf(OK_UPDATE_WITH_INFO), TRACK).info()).isEqualTo(UPDATE_INFO);
    }

    @Test
    void okInfoWrittenToTheEndOfThePacketIsReadWhole() throws Exception {
        // The MySQL docs' string<EOF> form: 'h' (0x68) as a length does not fit, so it is the text.
        byte[] bytes = bytes(0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, "hi there");
        assertThat(OkPacket.decode(buf(bytes), P41).info()).isEqualTo("hi there");
    }

    @Test
    void okCarriesSessionStateChanges() throws Exception {
        OkPacket ok = OkPacket.decode(buf(OK_SCHEMA_CHANGED), TRACK);
        assertThat(ok.statusFlags()).isEqualTo(ServerStatus.AUTOCOMMIT | ServerStatus.SESSION_STATE_CHANGED);
        assertThat(ok.sessionStateChanges()).hasSize(1);
        SessionStateChange change = ok.sessionStateChanges().get(0);
        assertThat(change.type()).isEqualTo(SessionStateChange.SCHEMA);
        assertThat(change.strings()).containsExactly("shop");
        assertThat(written(b -> ok.writeTo(b, TRACK))).containsExactly(OK_SCHEMA_CHANGED);

        OkPacket vars = OkPacket.decode(buf(OK_AUTOCOMMIT_OFF), TRACK);
        assertThat(vars.sessionStateChanges()).extracting(SessionStateChange::type)
                .containsExactly(SessionStateChange.SYSTEM_VARIABLES);
        assertThat(vars.sessionStateChanges().get(0).strings()).containsExactly("autocommit", "OFF");
        OkPacket built = new OkPacket(OkPacket.HEADER, 0, 0, ServerStatus.SESSION_STATE_CHANGED, 0, "",
                List.of(new SessionStateChange(SessionStateChange.SYSTEM_VARIABLES,
                        bytes(0x0A, "autocommit", 0x03, "OFF"))));
        assertThat(written(b -> built.writeTo(b, TRACK))).containsExactly(OK_AUTOCOMMIT_OFF);
    }

    @Test
    void sessionStateThatOverrunsThePacketIsMalformed() {
        byte[] bad = OK_SCHEMA_CHANGED.clone();
        bad[8] = 0x08;                                // claims 8 bytes of state, 7 follow
        assertThatThrownBy(() -> OkPacket.decode(buf(bad), TRACK)).isInstanceOf(MalformedPacketException.class);
        byte[] badEntry = OK_SCHEMA_CHANGED.clone();
        badEntry[10] = 0x06;                          // entry claims 6 bytes inside a 7-byte block
        assertThatThrownBy(() -> OkPacket.decode(buf(badEntry), TRACK)).isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void theOkThatEndsAResultSetHasHeader0xFe() throws Exception {
        long caps = P41 | Capabilities.CLIENT_DEPRECATE_EOF;
        OkPacket ok = OkPacket.decode(buf(OK_ENDING_RESULT_SET), caps);
        assertThat(ok.header()).isEqualTo(OkPacket.EOF_HEADER);
        assertThat(ok.warnings()).isEqualTo(1);
        assertThat(written(b -> OkPacket.endOfResultSet(0x22, 1).writeTo(b, caps)))
                .containsExactly(OK_ENDING_RESULT_SET);
    }

    @Test
    void okRefusesOtherHeadersAndTruncation() {
        assertThatThrownBy(() -> OkPacket.decode(buf(bytes(0x01, 0x00, 0x00)), P41))
                .isInstanceOf(MalformedPacketException.class).hasMessageContaining("0x01");
        assertThatThrownBy(() -> OkPacket.decode(buf(bytes(0x00, 0x00, 0x00, 0x02)), P41))
                .isInstanceOf(MalformedPacketException.class);
        assertThatThrownBy(() -> new OkPacket(0x01, 0, 0, 0, 0, "", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pre41OkHasStatusOnlyWithTransactions() throws Exception {
        byte[] bytes = bytes(0x00, 0x03, 0x00, 0x02, 0x00);    // header, 3 rows, id 0, status AUTOCOMMIT
        OkPacket ok = OkPacket.decode(buf(bytes), Capabilities.CLIENT_TRANSACTIONS);
        assertThat(ok.affectedRows()).isEqualTo(3);
        assertThat(ok.statusFlags()).isEqualTo(ServerStatus.AUTOCOMMIT);
        assertThat(written(b -> ok.writeTo(b, Capabilities.CLIENT_TRANSACTIONS))).containsExactly(bytes);
    }

    @Test
    void eofRoundTrips() throws Exception {
        EofPacket eof = EofPacket.decode(buf(EOF));
        assertThat(eof.warnings()).isZero();
        assertThat(eof.statusFlags()).isEqualTo(ServerStatus.AUTOCOMMIT);
        assertThat(written(new EofPacket(0, ServerStatus.AUTOCOMMIT)::writeTo)).containsExactly(EOF);
        assertThat(EofPacket.decode(buf(bytes(0xFE))).statusFlags()).as("pre-4.1 form").isZero();
    }

    @Test
    void eofRefusesNineBytesOrMore() {
        byte[] nine = bytes(0xFE, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00);
        assertThatThrownBy(() -> EofPacket.decode(buf(nine))).isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("9 bytes");
        assertThatThrownBy(() -> EofPacket.decode(buf(bytes(0xFE, 0x00, 0x00))))
                .isInstanceOf(MalformedPacketException.class);
        assertThatThrownBy(() -> EofPacket.decode(buf(bytes(0x00, 0x00, 0x00, 0x02, 0x00))))
                .isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void errRoundTripsWithSqlState() throws Exception {
        ErrPacket err = ErrPacket.decode(buf(ERR_DENIED));
        assertThat(err.errorCode()).isEqualTo(1045);
        assertThat(err.sqlState()).isEqualTo("28000");
        assertThat(err.message()).isEqualTo(DENIED);
        assertThat(written(ErrPacket.of(1045, "28000", DENIED)::writeTo)).containsExactly(ERR_DENIED);
    }

    @Test
    void errWithoutSqlStateGetsHy000() throws Exception {
        ErrPacket err = ErrPacket.decode(buf(ERR_BEFORE_HANDSHAKE));
        assertThat(err.errorCode()).isEqualTo(1040);
        assertThat(err.sqlState()).isEqualTo(ErrPacket.UNKNOWN_SQLSTATE);
        assertThat(err.message()).isEqualTo("Too many connections");
        assertThat(written(b -> ErrPacket.of(1040, "08004", "Too many connections").writeTo(b, 0)))
                .containsExactly(ERR_BEFORE_HANDSHAKE);
    }

    @Test
    void errFactoryChecksItsArguments() {
        assertThatThrownBy(() -> ErrPacket.of(70000, "HY000", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ErrPacket.of(1045, "2800", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ErrPacket.of(1045, "28#00", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ErrPacket.of(1105, "HY000", "día").message()).isEqualTo("día");
        assertThat(written(ErrPacket.of(1105, "HY000", "día")::writeTo))
                .endsWith("día".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ErrPacket.decode(buf(bytes(0xFF, 0x15))))
                .isInstanceOf(MalformedPacketException.class);
    }
}
