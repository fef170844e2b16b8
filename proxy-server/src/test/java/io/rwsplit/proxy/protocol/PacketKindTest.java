package io.rwsplit.proxy.protocol;

import static io.rwsplit.proxy.protocol.Golden.buf;
import static io.rwsplit.proxy.protocol.Golden.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rwsplit.proxy.codec.MalformedPacketException;
import io.rwsplit.proxy.codec.Messages;
import io.rwsplit.proxy.codec.Packet;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketKindTest {

    static final long CLASSIC = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_TRANSACTIONS;
    static final long DEPRECATE_EOF = CLASSIC | Capabilities.CLIENT_DEPRECATE_EOF;

    static final byte[] EOF = bytes(0xFE, 0x00, 0x00, 0x02, 0x00);           // EOF: warnings 0, AUTOCOMMIT
    static final byte[] OK_FE = bytes(0xFE, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00); // OK ending a result set

    /** A text row whose first column is 2^24 bytes: 0xFE and an 8-byte length ... (the rest cut off). */
    static final byte[] HUGE_ROW_START = bytes(
            0xFE,                                     // lenenc prefix of an 8-byte length
            0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00); // 2^24, little-endian: 9 bytes so far

    @Test
    void firstResponseBytes() throws Exception {
        for (long caps : new long[] {CLASSIC, DEPRECATE_EOF}) {
            assertThat(PacketKind.ofResponse(buf(ResponsePacketsTest.OK_INSERT), caps)).isEqualTo(PacketKind.OK);
            assertThat(PacketKind.ofResponse(buf(ResponsePacketsTest.ERR_DENIED), caps)).isEqualTo(PacketKind.ERR);
            assertThat(PacketKind.ofResponse(buf(bytes(0xFB, "/tmp/x.csv")), caps))
                    .isEqualTo(PacketKind.LOCAL_INFILE);
            assertThat(PacketKind.ofResponse(buf(bytes(0x03)), caps)).as("column count 3").isEqualTo(PacketKind.DATA);
            assertThat(PacketKind.ofResponse(buf(bytes(0xFC, 0x2C, 0x01)), caps)).as("column count 300")
                    .isEqualTo(PacketKind.DATA);
        }
        assertThat(PacketKind.ofResponse(buf(EOF), CLASSIC)).isEqualTo(PacketKind.EOF);
        assertThat(PacketKind.ofResponse(buf(OK_FE), DEPRECATE_EOF)).isEqualTo(PacketKind.OK);
    }

    @Test
    void insideAResultSetZeroAndFbStartRows() throws Exception {
        for (long caps : new long[] {CLASSIC, DEPRECATE_EOF}) {
            assertThat(PacketKind.inResultSet(buf(bytes(0x00, 0x01, "x")), caps))
                    .as("text row: '' then 'x'; or a binary row's header").isEqualTo(PacketKind.DATA);
            assertThat(PacketKind.inResultSet(buf(bytes(0xFB, 0x01, "x")), caps))
                    .as("text row: NULL then 'x'").isEqualTo(PacketKind.DATA);
            assertThat(PacketKind.inResultSet(buf(bytes(0x03, "def")), caps))
                    .as("column definition (catalog 'def')").isEqualTo(PacketKind.DATA);
            assertThat(PacketKind.inResultSet(buf(ResponsePacketsTest.ERR_DENIED), caps)).isEqualTo(PacketKind.ERR);
        }
    }

    @Test
    void withoutDeprecateEof0xFeIsEofBelowNineBytes() throws Exception {
        assertThat(PacketKind.inResultSet(buf(EOF), CLASSIC)).isEqualTo(PacketKind.EOF);
        assertThat(PacketKind.inResultSet(buf(bytes(0xFE)), CLASSIC)).as("pre-4.1 EOF").isEqualTo(PacketKind.EOF);
        byte[] eight = bytes(0xFE, 0, 0, 0, 0, 0, 0, 0);
        assertThat(PacketKind.inResultSet(buf(eight), CLASSIC)).as("8 bytes").isEqualTo(PacketKind.EOF);
        assertThat(PacketKind.inResultSet(buf(HUGE_ROW_START), CLASSIC)).as("9 bytes: a row")
                .isEqualTo(PacketKind.DATA);
    }

    @Test
    void withDeprecateEof0xFeIsOkBelowMaxPayload() throws Exception {
        assertThat(PacketKind.inResultSet(buf(OK_FE), DEPRECATE_EOF)).isEqualTo(PacketKind.OK);
        assertThat(PacketKind.inResultSet(buf(EOF), DEPRECATE_EOF)).as("short, still OK").isEqualTo(PacketKind.OK);
        assertThat(PacketKind.inResultSet(buf(HUGE_ROW_START), DEPRECATE_EOF))
                .as("an OK packet with info and session state can be long").isEqualTo(PacketKind.OK);
        ByteBuf justBelow = startingWith0xFe(Packet.MAX_PAYLOAD - 1);
        ByteBuf full = startingWith0xFe(Packet.MAX_PAYLOAD);
        assertThat(PacketKind.inResultSet(justBelow, DEPRECATE_EOF)).isEqualTo(PacketKind.OK);
        assertThat(PacketKind.inResultSet(full, DEPRECATE_EOF)).isEqualTo(PacketKind.DATA);
        assertThat(PacketKind.inResultSet(full, CLASSIC)).isEqualTo(PacketKind.DATA);
        justBelow.release();
        full.release();
    }

    @Test
    void theFirstPacketOfAHugeRowIsDataEitherWay() throws Exception {
        // A row whose only column is 2^24 bytes: 9 + 2^24 bytes, so two packets.
        ByteBuf row = Unpooled.buffer(9 + (1 << 24));
        row.writeBytes(HUGE_ROW_START).writerIndex(9 + (1 << 24));
        List<Packet> packets = Messages.split(row, 5);
        assertThat(packets).hasSize(2);
        Packet first = packets.get(0);
        assertThat(first.continues()).isTrue();
        assertThat(PacketKind.inResultSet(first.payload(), CLASSIC)).isEqualTo(PacketKind.DATA);
        assertThat(PacketKind.inResultSet(first.payload(), DEPRECATE_EOF)).isEqualTo(PacketKind.DATA);
        packets.forEach(Packet::release);
    }

    @Test
    void classifyingReadsNothing() throws Exception {
        ByteBuf b = buf(EOF);
        PacketKind.inResultSet(b, CLASSIC);
        PacketKind.ofResponse(b, CLASSIC);
        assertThat(b.readerIndex()).isZero();
    }

    @Test
    void anEmptyPacketIsMalformed() {
        assertThatThrownBy(() -> PacketKind.inResultSet(Unpooled.EMPTY_BUFFER, CLASSIC))
                .isInstanceOf(MalformedPacketException.class);
        assertThatThrownBy(() -> PacketKind.ofResponse(Unpooled.EMPTY_BUFFER, CLASSIC))
                .isInstanceOf(MalformedPacketException.class);
    }

    private static ByteBuf startingWith0xFe(int length) {
        ByteBuf b = Unpooled.buffer(length);
        b.writeByte(0xFE).writerIndex(length);
        return b;
    }
}
