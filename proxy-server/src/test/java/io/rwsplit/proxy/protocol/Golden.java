package io.rwsplit.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Helpers for golden-byte tests: byte arrays written as ints, and encoding into a byte array. */
final class Golden {

    private Golden() {
    }

    /** Bytes from ints (0-255) and strings (their ASCII bytes), in order. */
    static byte[] bytes(Object... parts) {
        ByteBuf b = Unpooled.buffer();
        for (Object p : parts) {
            if (p instanceof Integer i) {
                b.writeByte(i);
            } else if (p instanceof String s) {
                b.writeCharSequence(s, StandardCharsets.US_ASCII);
            } else if (p instanceof byte[] a) {
                b.writeBytes(a);
            } else {
                throw new IllegalArgumentException("not a byte: " + p);
            }
        }
        return ByteBufUtil.getBytes(b);
    }

    static ByteBuf buf(byte[] bytes) {
        return Unpooled.wrappedBuffer(bytes);
    }

    static byte[] written(Consumer<ByteBuf> writer) {
        ByteBuf b = Unpooled.buffer();
        writer.accept(b);
        byte[] out = ByteBufUtil.getBytes(b);
        b.release();
        return out;
    }
}
