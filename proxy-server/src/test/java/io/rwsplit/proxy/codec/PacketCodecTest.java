package io.rwsplit.proxy.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketCodecTest {

    /** COM_QUERY "SELECT 1" as a client sends it. */
    private static final byte[] COM_QUERY = {
        0x09, 0x00, 0x00, // payload length 9, little-endian
        0x00,             // sequence id 0
        0x03,             // COM_QUERY
        'S', 'E', 'L', 'E', 'C', 'T', ' ', '1'
    };

    @Test
    void decodesAPacketFedOneByteAtATime() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder());
        for (byte b : COM_QUERY) {
            assertThat((Object) ch.readInbound()).isNull();
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        Packet p = ch.readInbound();
        assertThat(p.sequenceId()).isZero();
        assertThat((int) p.payload().readUnsignedByte()).isEqualTo(3);
        assertThat(p.payload().toString(StandardCharsets.US_ASCII)).isEqualTo("SELECT 1");
        p.release();
        assertThat(ch.finish()).as("nothing left over").isFalse();
    }

    @Test
    void decodesSeveralPacketsInOneReadAndKeepsAPartialOne() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder());
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(COM_QUERY).writeBytes(new byte[] {0x01, 0x00, 0x00, 0x01, 0x0E}) // COM_PING, seq 1
                .writeBytes(new byte[] {0x05, 0x00}); // a header cut short
        ch.writeInbound(in);
        Packet first = ch.readInbound();
        Packet second = ch.readInbound();
        assertThat(first.payload().readableBytes()).isEqualTo(9);
        assertThat(second.sequenceId()).isEqualTo(1);
        assertThat((int) second.payload().getUnsignedByte(0)).isEqualTo(0x0E);
        assertThat((Object) ch.readInbound()).isNull();
        first.release();
        second.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void anEmptyPayloadIsAPacketToo() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder());
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x00, 0x00, 0x00, 0x07}));
        Packet p = ch.readInbound();
        assertThat(p.sequenceId()).isEqualTo(7);
        assertThat(p.payload().readableBytes()).isZero();
        assertThat(p.continues()).isFalse();
        p.release();
    }

    @Test
    void encodesTheHeaderInFrontOfThePayloadWithoutCopyingIt() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketEncoder());
        ByteBuf payload = Unpooled.copiedBuffer(COM_QUERY, 4, COM_QUERY.length - 4);
        ch.writeOutbound(new Packet(0, payload));
        ByteBuf header = ch.readOutbound();
        ByteBuf body = ch.readOutbound();
        assertThat(ByteBufUtil.getBytes(header)).containsExactly(0x09, 0x00, 0x00, 0x00);
        assertThat(body.unwrap() == payload || body == payload).as("the payload itself, not a copy").isTrue();
        header.release();
        body.release();
        assertThat(payload.refCnt()).isZero();
    }

    @Test
    void aMessageOfMaxPayloadOrMoreSplitsAndReassembles() throws Exception {
        byte[] big = new byte[Packet.MAX_PAYLOAD + 10];
        big[0] = 0x03;
        big[big.length - 1] = 0x7F;
        List<Packet> packets = Messages.split(Unpooled.wrappedBuffer(big), 0);
        assertThat(packets).hasSize(2);
        assertThat(packets.get(0).continues()).isTrue();
        assertThat(packets.get(1).sequenceId()).isEqualTo(1);
        assertThat(packets.get(1).payload().readableBytes()).isEqualTo(10);

        try (Messages.Assembler a = new Messages.Assembler(UnpooledByteBufAllocator.DEFAULT, 64L << 20)) {
            assertThat(a.add(packets.get(0))).isNull();
            ByteBuf whole = a.add(packets.get(1));
            assertThat(whole.readableBytes()).isEqualTo(big.length);
            assertThat(whole.getByte(big.length - 1)).isEqualTo((byte) 0x7F);
            whole.release();
        }
    }

    @Test
    void aMessageOfExactlyMaxPayloadEndsWithAnEmptyPacket() {
        List<Packet> packets = Messages.split(Unpooled.wrappedBuffer(new byte[Packet.MAX_PAYLOAD]), 3);
        assertThat(packets).extracting(p -> p.payload().readableBytes()).containsExactly(Packet.MAX_PAYLOAD, 0);
        assertThat(packets).extracting(Packet::sequenceId).containsExactly(3, 4);
        packets.forEach(Packet::release);
    }

    @Test
    void aMessageOverTheLimitIsRefusedAndNothingLeaks() {
        byte[] big = new byte[Packet.MAX_PAYLOAD + 1];
        List<Packet> packets = Messages.split(Unpooled.wrappedBuffer(big), 0);
        Messages.Assembler a = new Messages.Assembler(UnpooledByteBufAllocator.DEFAULT, 1 << 20);
        assertThatThrownBy(() -> a.add(packets.get(0))).isInstanceOf(Messages.TooLargeException.class)
                .hasMessageContaining("max_allowed_packet");
        assertThat(packets.get(0).refCnt()).isZero();
        packets.get(1).release();
        a.close();
    }

    @Test
    void lengthEncodedIntegersAndStringsRoundTripAndTruncationIsReported() throws Exception {
        ByteBuf b = Unpooled.buffer();
        for (long v : new long[] {0, 250, 251, 65535, 65536, 16_777_215, 16_777_216, Long.MAX_VALUE}) {
            Wire.writeLenencInt(b, v);
            assertThat(Wire.readLenencInt(b)).isEqualTo(v);
        }
        Wire.writeLenencInt(b, 251);
        assertThat(ByteBufUtil.getBytes(b)).containsExactly(0xFC, 0xFB, 0x00);
        b.clear();
        Wire.writeLenencString(b, "día");
        assertThat(Wire.readLenencString(b)).isEqualTo("día");
        b.clear().writeBytes(new byte[] {0x05, 'a', 'b'});
        assertThatThrownBy(() -> Wire.readLenencString(b)).isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("5 bytes with only 2 left");
        b.clear().writeByte(0xFE).writeLongLE(-1);
        assertThatThrownBy(() -> Wire.readLenencBytes(b)).isInstanceOf(MalformedPacketException.class);
        b.clear().writeBytes(new byte[] {(byte) 0xFC, 0x01});
        assertThatThrownBy(() -> Wire.readLenencInt(b)).isInstanceOf(MalformedPacketException.class);
        b.clear().writeBytes("no nul".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> Wire.readNulString(b)).hasMessageContaining("without its NUL");
        b.release();
    }
}
