package io.rwsplit.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rwsplit.core.route.RouteError;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    /** MariaDB Connector/C turns an ERR packet with a client-library errno into "2027 Received malformed packet". */
    @Test
    void theProxyNeverSendsAClientLibraryErrno() {
        assertThat(Arrays.stream(ErrorCode.values()).filter(c -> c.errno() >= 2000 && c.errno() < 3000)).isEmpty();
    }

    @Test
    void aRouterErrnoOfTheClientLibraryRangeGoesOutAsCannotConnectWithItsStateAndMessage() {
        ErrPacket p = ErrorCode.packet(RouteError.noPrimary("n1 down"));
        assertThat(RouteError.noPrimary("x").errno()).isEqualTo(2003);
        assertThat(p.errorCode()).isEqualTo(ErrorCode.CANNOT_CONNECT.errno()).isEqualTo(9001);
        assertThat(p.sqlState()).isEqualTo("08S01");
        assertThat(p.message()).isEqualTo("no primary is available for this statement (n1 down)");

        ByteBuf out = Unpooled.buffer();
        p.writeTo(out, Capabilities.CLIENT_PROTOCOL_41);
        assertThat((int) out.getUnsignedByte(0)).isEqualTo(0xFF);
        assertThat(out.getUnsignedShortLE(1)).isEqualTo(9001);
        out.release();
    }

    @Test
    void aServerErrnoGoesOutAsItIs() {
        ErrPacket p = ErrorCode.packet(RouteError.writeInReadOnlyTransaction());
        assertThat(p.errorCode()).isEqualTo(1792);
        assertThat(p.sqlState()).isEqualTo("25006");
    }
}
