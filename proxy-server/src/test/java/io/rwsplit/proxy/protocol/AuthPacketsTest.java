package io.rwsplit.proxy.protocol;

import static io.rwsplit.proxy.protocol.Golden.buf;
import static io.rwsplit.proxy.protocol.Golden.bytes;
import static io.rwsplit.proxy.protocol.Golden.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rwsplit.proxy.codec.MalformedPacketException;
import org.junit.jupiter.api.Test;

/** AuthSwitchRequest and AuthMoreData. */
class AuthPacketsTest {

    static final byte[] SWITCH_TO_NATIVE = bytes(
            0xFE,                                     // AuthSwitchRequest header
            "mysql_native_password", 0x00,            // plugin name, NUL-terminated
            "X%8k]v2Q#n@7LwZp!4sG",                   // plugin data: the 20-byte scramble ...
            0x00);                                    // ... with the NUL servers append

    static final byte[] FAST_AUTH_OK = bytes(
            0x01,                                     // AuthMoreData header
            0x03);                                    // caching_sha2_password: fast auth succeeded

    static final byte[] FULL_AUTH_NEEDED = bytes(
            0x01,                                     // AuthMoreData header
            0x04);                                    // caching_sha2_password: perform full authentication

    @Test
    void authSwitchRequestRoundTrips() throws Exception {
        AuthSwitchRequest r = AuthSwitchRequest.decode(buf(SWITCH_TO_NATIVE));
        assertThat(r.pluginName()).isEqualTo("mysql_native_password");
        assertThat(r.pluginData()).hasSize(21).endsWith(0);
        assertThat(r.scramble()).containsExactly(HandshakeV10Test.SCRAMBLE);
        AuthSwitchRequest built = AuthSwitchRequest.withScramble("mysql_native_password", HandshakeV10Test.SCRAMBLE);
        assertThat(written(built::writeTo)).containsExactly(SWITCH_TO_NATIVE);
    }

    @Test
    void authSwitchRequestEdgeCases() throws Exception {
        assertThatThrownBy(() -> AuthSwitchRequest.decode(buf(bytes(0xFE))))
                .isInstanceOf(MalformedPacketException.class).hasMessageContaining("mysql_old_password");
        assertThatThrownBy(() -> AuthSwitchRequest.decode(buf(bytes(0x00, "x", 0x00))))
                .isInstanceOf(MalformedPacketException.class);
        assertThatThrownBy(() -> AuthSwitchRequest.decode(buf(bytes(0xFE, "no-nul"))))
                .isInstanceOf(MalformedPacketException.class);
        AuthSwitchRequest noData = AuthSwitchRequest.decode(buf(bytes(0xFE, "dialog", 0x00)));
        assertThat(noData.pluginData()).isEmpty();
        assertThat(noData.scramble()).isEmpty();
    }

    @Test
    void authMoreDataRoundTrips() throws Exception {
        assertThat(AuthMoreData.decode(buf(FAST_AUTH_OK)).data()).containsExactly(0x03);
        assertThat(AuthMoreData.decode(buf(FULL_AUTH_NEEDED)).data()).containsExactly(0x04);
        assertThat(written(new AuthMoreData(new byte[] {0x03})::writeTo)).containsExactly(FAST_AUTH_OK);
        assertThatThrownBy(() -> AuthMoreData.decode(buf(bytes(0x02)))).isInstanceOf(MalformedPacketException.class);
        assertThatThrownBy(() -> AuthMoreData.decode(buf(bytes()))).isInstanceOf(MalformedPacketException.class);
    }
}
