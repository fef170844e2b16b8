package io.rwsplit.proxy.protocol;

import static io.rwsplit.proxy.protocol.Golden.buf;
import static io.rwsplit.proxy.protocol.Golden.bytes;
import static io.rwsplit.proxy.protocol.Golden.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rwsplit.proxy.codec.MalformedPacketException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeUserRequestTest {

    private static final long CAPS = HandshakeResponse41Test.CLIENT_CAPS;

    /** As Connector/J sends it: 1-byte auth length, schema, collation, plugin, attributes. */
    static final byte[] FULL = bytes(
            0x11,                                     // COM_CHANGE_USER
            "reporter", 0x00,                         // user
            0x14, HandshakeResponse41Test.TOKEN,      // auth response, 1-byte length 20
            "shop", 0x00,                             // schema
            0x2D, 0x00,                               // character set 45, little-endian
            "mysql_native_password", 0x00,            // plugin (CLIENT_PLUGIN_AUTH)
            0x0B, 0x04, "_pid", 0x05, "12345");       // attributes: lenenc total 11

    @Test
    void decodesEveryPart() throws MalformedPacketException {
        ChangeUserRequest r = ChangeUserRequest.decode(buf(FULL), CAPS);
        assertThat(r.username()).isEqualTo("reporter");
        assertThat(r.authResponse()).isEqualTo(HandshakeResponse41Test.TOKEN);
        assertThat(r.schema()).isEqualTo("shop");
        assertThat(r.characterSet()).isEqualTo(45);
        assertThat(r.authPluginName()).isEqualTo("mysql_native_password");
        assertThat(r.attributes()).containsExactly(Map.entry("_pid", "12345"));
        assertThat(written(b -> r.writeTo(b, CAPS))).isEqualTo(FULL);
    }

    @Test
    void anOldClientStopsAfterTheSchema() throws MalformedPacketException {
        byte[] shortForm = bytes(0x11, "u", 0x00, 0x00, 0x00);
        ChangeUserRequest r = ChangeUserRequest.decode(buf(shortForm), CAPS);
        assertThat(r.username()).isEqualTo("u");
        assertThat(r.authResponse()).isEmpty();
        assertThat(r.schema()).isEmpty();
        assertThat(r.characterSet()).isZero();
        assertThat(r.authPluginName()).isNull();
        assertThat(written(b -> r.writeTo(b, CAPS))).isEqualTo(shortForm);
    }

    @Test
    void aTruncatedCommandIsMalformed() {
        assertThatThrownBy(() -> ChangeUserRequest.decode(buf(bytes(0x11, "reporter", 0x00, 0x14, 0x01, 0x02)), CAPS))
                .isInstanceOf(MalformedPacketException.class);
        assertThatThrownBy(() -> ChangeUserRequest.decode(buf(bytes(0x11, "reporter")), CAPS))
                .isInstanceOf(MalformedPacketException.class);
        assertThatThrownBy(() -> ChangeUserRequest.decode(buf(bytes(0x03, "x")), CAPS))
                .isInstanceOf(MalformedPacketException.class);
    }
}
