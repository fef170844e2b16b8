package io.rwsplit.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    /** MariaDB Connector/C turns an ERR packet with errno 2001..2099 into "2027 Received malformed packet". */
    @Test
    void theProxyNeverSendsAClientLibraryErrno() {
        assertThat(Arrays.stream(ErrorCode.values()).filter(c -> ErrorCode.isClientLibraryErrno(c.errno())))
                .isEmpty();
    }

    @Test
    void aRouterErrnoOfTheClientLibraryRangeGoesOutAsCannotConnectWithItsStateAndMessage() {
        ErrPacket p = ErrorCode.forClient(2003, "08S01", "no primary is available for this statement");
        assertThat(p.errorCode()).isEqualTo(ErrorCode.CANNOT_CONNECT.errno()).isEqualTo(1429);
        assertThat(p.sqlState()).isEqualTo("08S01");
        assertThat(p.message()).isEqualTo("no primary is available for this statement");

        ByteBuf out = Unpooled.buffer();
        p.writeTo(out, Capabilities.CLIENT_PROTOCOL_41);
        assertThat((int) out.getUnsignedByte(0)).isEqualTo(0xFF);
        assertThat(out.getUnsignedShortLE(1)).isEqualTo(1429);
        out.release();
    }

    @Test
    void aServerErrnoGoesOutAsItIs() {
        ErrPacket p = ErrorCode.forClient(1792, "25006", "Cannot execute statement in a READ ONLY transaction.");
        assertThat(p.errorCode()).isEqualTo(1792);
        assertThat(p.sqlState()).isEqualTo("25006");
    }
}
