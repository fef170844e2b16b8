package io.rwsplit.proxy.protocol;

import static io.rwsplit.proxy.protocol.Golden.buf;
import static io.rwsplit.proxy.protocol.Golden.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.rwsplit.proxy.codec.MalformedPacketException;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

class StmtExecuteTest {

    private static final BitSet NO_LONG_DATA = new BitSet();
    /** int&lt;2&gt; types of (INT, VARCHAR) */
    private static final byte[] INT_VARCHAR = bytes(0x03, 0x00, 0xFD, 0x00);

    /** The fixed start of every execute: command, statement id 1, no cursor, iteration count 1. */
    private static final byte[] HEAD = bytes(
            0x17,                   // COM_STMT_EXECUTE
            0x01, 0x00, 0x00, 0x00, // statement id 1
            0x00,                   // flags: CURSOR_TYPE_NO_CURSOR
            0x01, 0x00, 0x00, 0x00); // iteration count 1

    private static byte[] check(ByteBuf packet, int params, byte[] lastTypes, BitSet longData)
            throws MalformedPacketException {
        int before = packet.readerIndex();
        byte[] types = StmtExecute.check(packet, params, lastTypes, longData);
        assertThat(packet.readerIndex()).as("the packet is not consumed").isEqualTo(before);
        return types;
    }

    @Test
    void aStatementWithoutParametersNeedsTheFixedStartOnly() throws Exception {
        assertThat(check(buf(HEAD), 0, null, NO_LONG_DATA)).isNull();
        assertThatThrownBy(() -> check(buf(bytes(0x17, 0x01, 0x00, 0x00, 0x00, 0x00)), 0, null, NO_LONG_DATA))
                .isInstanceOf(MalformedPacketException.class).hasMessageContaining("iteration count");
    }

    @Test
    void boundTypesAndTheirValuesAreRead() throws Exception {
        ByteBuf packet = buf(bytes(HEAD,
                0x00,                   // NULL bitmap: none
                0x01,                   // new-params-bound
                INT_VARCHAR,
                0x2A, 0x00, 0x00, 0x00, // 42
                0x03, "abc"));          // lenenc "abc"
        assertThat(check(packet, 2, null, NO_LONG_DATA)).containsExactly(INT_VARCHAR);
    }

    @Test
    void aValueCutShortIsRefusedWithTheParameterItBelongsTo() {
        ByteBuf intCut = buf(bytes(HEAD, 0x00, 0x01, INT_VARCHAR, 0x2A, 0x00));
        assertThatThrownBy(() -> check(intCut, 2, null, NO_LONG_DATA)).isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("parameter 1 of 2");
        ByteBuf stringCut = buf(bytes(HEAD, 0x00, 0x01, INT_VARCHAR, 0x2A, 0x00, 0x00, 0x00, 0x05, "abc"));
        assertThatThrownBy(() -> check(stringCut, 2, null, NO_LONG_DATA))
                .hasMessageContaining("parameter 2 of 2 needs 5 bytes, 3 left");
        ByteBuf hugeLength = buf(bytes(HEAD, 0x00, 0x01, INT_VARCHAR, 0x2A, 0x00, 0x00, 0x00,
                0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF)); // a length of -1 as a Java long
        assertThatThrownBy(() -> check(hugeLength, 2, null, NO_LONG_DATA)).isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void missingBitmapOrTypesAreRefused() {
        assertThatThrownBy(() -> check(buf(HEAD), 2, null, NO_LONG_DATA)).hasMessageContaining("NULL bitmap");
        assertThatThrownBy(() -> check(buf(bytes(HEAD, 0x00, 0x01, 0x03)), 2, null, NO_LONG_DATA))
                .hasMessageContaining("types of 2 parameters");
    }

    @Test
    void nullsAndLongDataHaveNoValueInThePacket() throws Exception {
        ByteBuf secondIsNull = buf(bytes(HEAD, 0x02, 0x01, INT_VARCHAR, 0x2A, 0x00, 0x00, 0x00));
        assertThat(check(secondIsNull, 2, null, NO_LONG_DATA)).containsExactly(INT_VARCHAR);
        BitSet secondIsLong = new BitSet();
        secondIsLong.set(1);
        ByteBuf noString = buf(bytes(HEAD, 0x00, 0x01, INT_VARCHAR, 0x2A, 0x00, 0x00, 0x00));
        assertThat(check(noString, 2, null, secondIsLong)).containsExactly(INT_VARCHAR);
    }

    @Test
    void withoutBoundTypesTheLastExecutesTypesLayOutTheValues() throws Exception {
        ByteBuf unbound = buf(bytes(HEAD, 0x00, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x01, "x"));
        assertThat(check(unbound, 2, INT_VARCHAR, NO_LONG_DATA)).isSameAs(INT_VARCHAR);
        assertThatThrownBy(() -> check(unbound, 2, null, NO_LONG_DATA)).hasMessageContaining("first execute");
        ByteBuf unboundCut = buf(bytes(HEAD, 0x00, 0x00, 0x2A, 0x00));
        assertThatThrownBy(() -> check(unboundCut, 2, INT_VARCHAR, NO_LONG_DATA))
                .hasMessageContaining("parameter 1 of 2");
    }

    @Test
    void eachTypeTakesItsOwnLength() throws Exception {
        byte[] types = bytes(
                0x01, 0x80,  // TINY UNSIGNED: 1 byte
                0x0D, 0x00,  // YEAR: 2
                0x04, 0x00,  // FLOAT: 4
                0x05, 0x00,  // DOUBLE: 8
                0x0C, 0x00,  // DATETIME: 1-byte length, then that many
                0x06, 0x00,  // NULL: nothing
                0x7F, 0x00); // unknown: a length-encoded string, as servers read it
        ByteBuf packet = buf(bytes(HEAD, 0x00, 0x01, types,
                0x07,
                0xE8, 0x07,
                0x00, 0x00, 0x80, 0x3F,
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F,
                0x04, 0xE8, 0x07, 0x01, 0x02,
                0x02, "zz",
                "trailing bytes are left alone"));
        assertThat(check(packet, 7, null, NO_LONG_DATA)).containsExactly(types);
        ByteBuf dateCut = buf(bytes(HEAD, 0x00, 0x01, types, 0x07, 0xE8, 0x07, 0x00, 0x00, 0x80, 0x3F,
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F, 0x07, 0xE8, 0x07));
        assertThatThrownBy(() -> check(dateCut, 7, null, NO_LONG_DATA)).hasMessageContaining("parameter 5 of 7");
    }
}
