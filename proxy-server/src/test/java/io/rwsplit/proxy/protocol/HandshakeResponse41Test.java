package io.rwsplit.proxy.protocol;

import static io.rwsplit.proxy.protocol.Golden.buf;
import static io.rwsplit.proxy.protocol.Golden.bytes;
import static io.rwsplit.proxy.protocol.Golden.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.rwsplit.proxy.codec.MalformedPacketException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandshakeResponse41Test {

    /** mysql_native_password token of "secret" for HandshakeV10Test.SCRAMBLE (see NativePasswordTest). */
    static final byte[] TOKEN = HexFormat.of().parseHex("0b9d663802c59275f3ccffb6b0c07a60b9e11321");

    static final long CLIENT_CAPS = Capabilities.CLIENT_LONG_PASSWORD | Capabilities.CLIENT_CONNECT_WITH_DB
            | Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_TRANSACTIONS | Capabilities.CLIENT_SECURE_CONNECTION
            | Capabilities.CLIENT_MULTI_RESULTS | Capabilities.CLIENT_PLUGIN_AUTH | Capabilities.CLIENT_CONNECT_ATTRS
            | Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | Capabilities.CLIENT_SESSION_TRACK
            | Capabilities.CLIENT_DEPRECATE_EOF;

    static final byte[] FULL_RESPONSE = bytes(
            0x09, 0xA2, 0xBA, 0x01,                   // capabilities 0x01BAA209: LONG_PASSWORD CONNECT_WITH_DB
                                                      //   PROTOCOL_41 TRANSACTIONS SECURE_CONNECTION | MULTI_RESULTS
                                                      //   PLUGIN_AUTH CONNECT_ATTRS LENENC SESSION_TRACK DEPRECATE_EOF
            0x00, 0x00, 0x00, 0x01,                   // max packet size 16 MiB
            0x2D,                                     // character set 45, utf8mb4_general_ci
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // filler (23 zeros) ...
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // ...
            0x00, 0x00, 0x00,                         // ... end of filler
            "app", 0x00,                              // username, NUL-terminated
            0x14,                                     // auth response: lenenc length 20 ...
            TOKEN,                                    // ... the 20-byte token
            "shop", 0x00,                             // database (CONNECT_WITH_DB)
            "mysql_native_password", 0x00,            // auth plugin name (PLUGIN_AUTH)
            0x1D,                                     // attributes: lenenc total 29 bytes
            0x0C, "_client_name",                     // key, lenenc
            0x07, "rwsplit",                          // value, lenenc
            0x04, "_pid",                             // key
            0x02, "42");                              // value

    /** An older client: 1-byte auth length (SECURE_CONNECTION, no LENENC), no database, no attributes. */
    static final byte[] SHORT_RESPONSE = bytes(
            0x01, 0xA2, 0x08, 0x00,                   // capabilities 0x0008A201: LONG_PASSWORD PROTOCOL_41
                                                      //   TRANSACTIONS SECURE_CONNECTION | PLUGIN_AUTH
            0xFF, 0xFF, 0xFF, 0x00,                   // max packet size 16 MiB - 1
            0x21,                                     // character set 33
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // filler ...
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // ...
            0x00, 0x00, 0x00,                         // ... end of filler
            "root", 0x00,                             // username
            0x14,                                     // auth response: 1-byte length 20 ...
            TOKEN,                                    // ... the token
            "mysql_native_password", 0x00);           // auth plugin name

    static final byte[] SSL_REQUEST = bytes(
            0x09, 0xAA, 0xBA, 0x01,                   // capabilities: CLIENT_CAPS + SSL (0x0800)
            0x00, 0x00, 0x00, 0x01,                   // max packet size 16 MiB
            0x2D,                                     // character set 45
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // filler (19 zeros) ...
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,       // ...
            0x00, 0x00, 0x00, 0x00);                  // MariaDB capabilities: none (CLIENT_MYSQL set)

    static Map<String, String> attributes() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("_client_name", "rwsplit");
        m.put("_pid", "42");
        return m;
    }

    @Test
    void decodesAFullResponse() throws Exception {
        ByteBuf in = buf(FULL_RESPONSE);
        HandshakeResponse41 r = HandshakeResponse41.decode(in);
        assertThat(in.isReadable()).isFalse();
        assertThat(r.capabilities()).isEqualTo(CLIENT_CAPS).isEqualTo(0x01BA_A209L);
        assertThat(r.maxPacketSize()).isEqualTo(16L << 20);
        assertThat(r.characterSet()).isEqualTo(45);
        assertThat(r.username()).isEqualTo("app");
        assertThat(r.authResponse()).containsExactly(TOKEN);
        assertThat(r.database()).isEqualTo("shop");
        assertThat(r.authPluginName()).isEqualTo("mysql_native_password");
        assertThat(r.attributes()).containsExactly(Map.entry("_client_name", "rwsplit"), Map.entry("_pid", "42"));
    }

    @Test
    void encodesAFullResponse() {
        HandshakeResponse41 r = new HandshakeResponse41(CLIENT_CAPS, 16L << 20, 45, "app", TOKEN, "shop",
                "mysql_native_password", attributes(), 0);
        assertThat(written(r::writeTo)).containsExactly(FULL_RESPONSE);
    }

    @Test
    void decodesAndEncodesTheOneByteAuthLengthForm() throws Exception {
        HandshakeResponse41 r = HandshakeResponse41.decode(buf(SHORT_RESPONSE));
        assertThat(r.username()).isEqualTo("root");
        assertThat(r.authResponse()).containsExactly(TOKEN);
        assertThat(r.database()).isNull();
        assertThat(r.attributes()).isEmpty();
        assertThat(written(r::writeTo)).containsExactly(SHORT_RESPONSE);
    }

    @Test
    void aLongAuthResponseNeedsLenencClientData() throws Exception {
        byte[] rsa = new byte[256];                   // an RSA-2048 ciphertext, say
        long caps = CLIENT_CAPS & ~Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA;
        assertThatThrownBy(() -> new HandshakeResponse41(caps, 0, 45, "u", rsa, "", "x", Map.of(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LENENC");
        HandshakeResponse41 r = new HandshakeResponse41(CLIENT_CAPS, 0, 45, "u", rsa, "", "x", Map.of(), 0);
        byte[] bytes = written(r::writeTo);
        assertThat(bytes).startsWith(Arrays.copyOf(FULL_RESPONSE, 4));
        assertThat(Arrays.copyOfRange(bytes, 34, 37)).as("lenenc 256").containsExactly(0xFC, 0x00, 0x01);
        assertThat(HandshakeResponse41.decode(buf(bytes)).authResponse()).hasSize(256);
    }

    @Test
    void withoutSecureConnectionTheAuthResponseIsNulTerminated() throws Exception {
        long caps = Capabilities.CLIENT_PROTOCOL_41;
        HandshakeResponse41 r = new HandshakeResponse41(caps, 0, 8, "old", new byte[] {'a', 'b'}, null, null,
                Map.of(), 0);
        byte[] bytes = written(r::writeTo);
        assertThat(Arrays.copyOfRange(bytes, 32, bytes.length)).containsExactly(bytes(
                "old", 0x00,                          // username
                "ab", 0x00));                         // auth response, NUL-terminated
        assertThat(HandshakeResponse41.decode(buf(bytes)).authResponse()).containsExactly('a', 'b');
    }

    @Test
    void recognisesAnSslRequestByItsLength() throws Exception {
        assertThat(SslRequest.isSslRequest(buf(SSL_REQUEST))).isTrue();
        assertThat(SslRequest.isSslRequest(buf(FULL_RESPONSE))).isFalse();
        SslRequest ssl = SslRequest.decode(buf(SSL_REQUEST));
        assertThat(ssl.capabilities()).isEqualTo(CLIENT_CAPS | Capabilities.CLIENT_SSL);
        assertThat(ssl.maxPacketSize()).isEqualTo(16L << 20);
        assertThat(ssl.characterSet()).isEqualTo(45);
        assertThat(written(ssl::writeTo)).containsExactly(SSL_REQUEST);
        assertThatThrownBy(() -> HandshakeResponse41.decode(buf(SSL_REQUEST)))
                .isInstanceOf(MalformedPacketException.class).hasMessageContaining("SSLRequest");
    }

    @Test
    void theFullResponseStartsWithTheSslRequestPrefix() {
        HandshakeResponse41 r = new HandshakeResponse41(CLIENT_CAPS | Capabilities.CLIENT_SSL, 16L << 20, 45, "app",
                TOKEN, "shop", "mysql_native_password", attributes(), 0);
        assertThat(written(r::writeTo)).startsWith(SSL_REQUEST);
    }

    @Test
    void mariaDbClientsPutExtendedCapabilitiesInTheLastFillerBytes() throws Exception {
        long caps = (CLIENT_CAPS & ~Capabilities.CLIENT_MYSQL) | Capabilities.MARIADB_CLIENT_STMT_BULK_OPERATIONS
                | Capabilities.MARIADB_CLIENT_EXTENDED_METADATA;
        HandshakeResponse41 r = new HandshakeResponse41(caps, 16L << 20, 45, "app", TOKEN, "shop",
                "mysql_native_password", Map.of(), 0);
        byte[] bytes = written(r::writeTo);
        assertThat(Arrays.copyOfRange(bytes, 0, 4)).containsExactly(0x08, 0xA2, 0xBA, 0x01); // bit 0 clear
        assertThat(Arrays.copyOfRange(bytes, 9, 28)).as("19 zeros").containsOnly(0);
        assertThat(Arrays.copyOfRange(bytes, 28, 32)).containsExactly(
                0x0C, 0x00, 0x00, 0x00);              // bits 34 (STMT_BULK_OPERATIONS) and 35 (EXTENDED_METADATA)
        assertThat(HandshakeResponse41.decode(buf(bytes)).capabilities()).isEqualTo(caps);
    }

    @Test
    void zstdLevelFollowsTheAttributes() throws Exception {
        long caps = CLIENT_CAPS | Capabilities.CLIENT_ZSTD_COMPRESSION_ALGORITHM;
        HandshakeResponse41 r = new HandshakeResponse41(caps, 16L << 20, 45, "app", TOKEN, "shop",
                "mysql_native_password", attributes(), 3);
        byte[] bytes = written(r::writeTo);
        assertThat(bytes[bytes.length - 1]).isEqualTo((byte) 3);
        assertThat(HandshakeResponse41.decode(buf(bytes)).zstdCompressionLevel()).isEqualTo(3);
    }

    @Test
    void refusesPre41ClientsAndBrokenAttributes() {
        byte[] pre41 = FULL_RESPONSE.clone();
        pre41[1] &= ~0x02;                            // clear PROTOCOL_41 (bit 9)
        assertThatThrownBy(() -> HandshakeResponse41.decode(buf(pre41)))
                .isInstanceOf(MalformedPacketException.class).hasMessageContaining("pre-4.1");

        byte[] tooLong = FULL_RESPONSE.clone();
        int attrs = FULL_RESPONSE.length - 30;
        assertThat(tooLong[attrs]).isEqualTo((byte) 0x1D);
        tooLong[attrs] = 0x1E;                        // one byte more than there is
        assertThatThrownBy(() -> HandshakeResponse41.decode(buf(tooLong)))
                .isInstanceOf(MalformedPacketException.class).hasMessageContaining("attributes of 30 bytes");

        byte[] keyOnly = bytes(Arrays.copyOf(FULL_RESPONSE, attrs), 0x05, 0x04, "_pid");
        assertThatThrownBy(() -> HandshakeResponse41.decode(buf(keyOnly)))
                .isInstanceOf(MalformedPacketException.class).hasMessageContaining("without a value");

        for (int cut : new int[] {10, 33, 36, 60}) {
            assertThatThrownBy(() -> HandshakeResponse41.decode(buf(Arrays.copyOf(FULL_RESPONSE, cut))))
                    .as("cut at %d", cut).isInstanceOf(MalformedPacketException.class);
        }
    }

    @Test
    void flagsAndFieldsMustAgree() {
        long noDb = CLIENT_CAPS & ~Capabilities.CLIENT_CONNECT_WITH_DB;
        assertThatThrownBy(() -> new HandshakeResponse41(noDb, 0, 45, "u", TOKEN, "shop", "p", Map.of(), 0))
                .hasMessageContaining("CONNECT_WITH_DB");
        long noAttrs = CLIENT_CAPS & ~Capabilities.CLIENT_CONNECT_ATTRS;
        assertThatThrownBy(() -> new HandshakeResponse41(noAttrs, 0, 45, "u", TOKEN, null, "p", attributes(), 0))
                .hasMessageContaining("CONNECT_ATTRS");
    }

    @Test
    void toStringLeavesOutTheAuthResponse() throws Exception {
        String s = HandshakeResponse41.decode(buf(FULL_RESPONSE)).toString();
        assertThat(s).contains("app", "shop", "20 bytes").doesNotContain("0b9d66", "11, -99");
    }
}
