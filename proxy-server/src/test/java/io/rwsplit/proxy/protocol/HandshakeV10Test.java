package io.rwsplit.proxy.protocol;

import static io.rwsplit.proxy.protocol.Golden.buf;
import static io.rwsplit.proxy.protocol.Golden.bytes;
import static io.rwsplit.proxy.protocol.Golden.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.rwsplit.proxy.codec.MalformedPacketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HandshakeV10Test {

    static final byte[] SCRAMBLE = "X%8k]v2Q#n@7LwZp!4sG".getBytes(StandardCharsets.US_ASCII);

    /** PROTOCOL_41 and friends, as the proxy would offer them. */
    static final long PROXY_CAPS = Capabilities.CLIENT_LONG_PASSWORD | Capabilities.CLIENT_FOUND_ROWS
            | Capabilities.CLIENT_LONG_FLAG | Capabilities.CLIENT_CONNECT_WITH_DB | Capabilities.CLIENT_PROTOCOL_41
            | Capabilities.CLIENT_TRANSACTIONS | Capabilities.CLIENT_SECURE_CONNECTION
            | Capabilities.CLIENT_MULTI_STATEMENTS | Capabilities.CLIENT_MULTI_RESULTS
            | Capabilities.CLIENT_PS_MULTI_RESULTS | Capabilities.CLIENT_PLUGIN_AUTH | Capabilities.CLIENT_CONNECT_ATTRS
            | Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | Capabilities.CLIENT_SESSION_TRACK
            | Capabilities.CLIENT_DEPRECATE_EOF;

    /** The proxy's greeting: MySQL flavour, caching_sha2_password. */
    static final byte[] PROXY_GREETING = bytes(
            0x0A,                                     // protocol version 10
            "8.4.0", 0x00,                            // server version, NUL-terminated
            0x2A, 0x00, 0x00, 0x00,                   // connection id 42, little-endian
            "X%8k]v2Q",                               // auth-plugin-data-part-1: scramble bytes 0-7
            0x00,                                     // filler
            0x0F, 0xA2,                               // capabilities 0-15: LONG_PASSWORD FOUND_ROWS LONG_FLAG
                                                      //   CONNECT_WITH_DB (0x0F), PROTOCOL_41 (0x200),
                                                      //   TRANSACTIONS (0x2000), SECURE_CONNECTION (0x8000)
            0x2D,                                     // character set 45, utf8mb4_general_ci
            0x02, 0x00,                               // status: AUTOCOMMIT
            0xBF, 0x01,                               // capabilities 16-31: 0xBF = bits 16-21 MULTI_STATEMENTS
                                                      //   MULTI_RESULTS PS_MULTI_RESULTS PLUGIN_AUTH CONNECT_ATTRS
                                                      //   PLUGIN_AUTH_LENENC_CLIENT_DATA + bit 23 SESSION_TRACK;
                                                      //   0x01 = bit 24 DEPRECATE_EOF
            0x15,                                     // auth plugin data length: 20 + NUL = 21
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00,       // reserved
            0x00, 0x00, 0x00, 0x00,                   // reserved (MariaDB's field; CLIENT_MYSQL is set)
            "#n@7LwZp!4sG",                           // auth-plugin-data-part-2: scramble bytes 8-19
            0x00,                                     // ... and its NUL: 13 bytes
            "caching_sha2_password", 0x00);           // auth plugin name, NUL-terminated

    /**
     * A MySQL 5.7.18 greeting as captured off the wire and published byte by byte in
     * gist.github.com/asd1245dss/3427f331cf4161174b879846fbcd5eda (payload only). Its scramble
     * has bytes below 0x20: 5.7 drew them from 1-127.
     */
    static final byte[] MYSQL_57_GREETING = bytes(
            0x0A,                                     // protocol version 10
            "5.7.18-log", 0x00,                       // server version
            0x12, 0x7A, 0x29, 0x00,                   // connection id 0x00297A12
            0x33, 0x58, 0x38, 0x18, 0x44, 0x5E, 0x16, 0x48, // scramble part 1
            0x00,                                     // filler
            0xFF, 0xFF,                               // capabilities 0-15: all
            0x21,                                     // character set 33, utf8_general_ci
            0x02, 0x00,                               // status: AUTOCOMMIT
            0xFF, 0xC1,                               // capabilities 16-31
            0x15,                                     // auth plugin data length 21
            0x00, 0x00, 0x00, 0x00, 0x00,             // reserved
            0x00, 0x00, 0x00, 0x00, 0x00,             // reserved
            0x40, 0x79, 0x11, 0x30, 0x2A, 0x41,       // scramble part 2 ...
            0x61, 0x55, 0x64, 0x77, 0x6E, 0x0D,       // ... 12 bytes
            0x00,                                     // ... and its NUL
            "mysql_native_password", 0x00);           // auth plugin name

    /** A MariaDB greeting: CLIENT_MYSQL clear, extended capabilities in the last reserved bytes. */
    static final byte[] MARIADB_GREETING = bytes(
            0x0A,                                     // protocol version 10
            "5.5.5-11.4.5-MariaDB", 0x00,             // server version with the replication prefix
            0x07, 0x00, 0x00, 0x00,                   // connection id 7
            "X%8k]v2Q",                               // scramble part 1
            0x00,                                     // filler
            0x0E, 0xA2,                               // capabilities 0-15: as the proxy's, less bit 0 (CLIENT_MYSQL)
            0x2D,                                     // character set 45
            0x02, 0x00,                               // status: AUTOCOMMIT
            0xBF, 0x01,                               // capabilities 16-31
            0x15,                                     // auth plugin data length 21
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00,       // reserved
            0x1D, 0x00, 0x00, 0x00,                   // MariaDB capabilities 32-63: PROGRESS (bit 32),
                                                      //   STMT_BULK_OPERATIONS (34), EXTENDED_METADATA (35),
                                                      //   CACHE_METADATA (36)
            "#n@7LwZp!4sG", 0x00,                     // scramble part 2 and its NUL
            "mysql_native_password", 0x00);           // auth plugin name

    static final long MARIADB_CAPS = (PROXY_CAPS & ~Capabilities.CLIENT_MYSQL) | Capabilities.MARIADB_CLIENT_PROGRESS
            | Capabilities.MARIADB_CLIENT_STMT_BULK_OPERATIONS | Capabilities.MARIADB_CLIENT_EXTENDED_METADATA
            | Capabilities.MARIADB_CLIENT_CACHE_METADATA;

    @Test
    void encodesTheProxyGreeting() {
        HandshakeV10 h = new HandshakeV10("8.4.0", 42, SCRAMBLE, PROXY_CAPS, CharacterSets.UTF8MB4_GENERAL_CI,
                ServerStatus.AUTOCOMMIT, "caching_sha2_password");
        assertThat(written(h::writeTo)).containsExactly(PROXY_GREETING);
    }

    @Test
    void decodesTheProxyGreeting() throws Exception {
        ByteBuf in = buf(PROXY_GREETING);
        HandshakeV10 h = HandshakeV10.decode(in);
        assertThat(in.isReadable()).isFalse();
        assertThat(h.serverVersion()).isEqualTo("8.4.0");
        assertThat(h.connectionId()).isEqualTo(42);
        assertThat(h.scramble()).containsExactly(SCRAMBLE);
        assertThat(h.capabilities()).isEqualTo(PROXY_CAPS).isEqualTo(0x01BF_A20FL);
        assertThat(h.characterSet()).isEqualTo(45);
        assertThat(h.statusFlags()).isEqualTo(ServerStatus.AUTOCOMMIT);
        assertThat(h.authPluginName()).isEqualTo("caching_sha2_password");
        assertThat(h.hasMariaDbCapabilities()).isFalse();
    }

    @Test
    void decodesARealMySql57Greeting() throws Exception {
        HandshakeV10 h = HandshakeV10.decode(buf(MYSQL_57_GREETING));
        assertThat(h.serverVersion()).isEqualTo("5.7.18-log");
        assertThat(h.connectionId()).isEqualTo(0x00297A12L);
        assertThat(h.scramble()).containsExactly(0x33, 0x58, 0x38, 0x18, 0x44, 0x5E, 0x16, 0x48,
                0x40, 0x79, 0x11, 0x30, 0x2A, 0x41, 0x61, 0x55, 0x64, 0x77, 0x6E, 0x0D);
        assertThat(h.capabilities()).isEqualTo(0xC1FF_FFFFL);
        assertThat(h.characterSet()).isEqualTo(CharacterSets.UTF8MB3_GENERAL_CI);
        assertThat(h.authPluginName()).isEqualTo("mysql_native_password");
        assertThat(written(h::writeTo)).as("re-encodes byte for byte").containsExactly(MYSQL_57_GREETING);
    }

    @Test
    void mariaDbExtendedCapabilitiesTravelInTheLastReservedBytes() throws Exception {
        HandshakeV10 h = new HandshakeV10("5.5.5-11.4.5-MariaDB", 7, SCRAMBLE, MARIADB_CAPS, 45,
                ServerStatus.AUTOCOMMIT, "mysql_native_password");
        assertThat(written(h::writeTo)).containsExactly(MARIADB_GREETING);
        HandshakeV10 decoded = HandshakeV10.decode(buf(MARIADB_GREETING));
        assertThat(decoded.capabilities()).isEqualTo(MARIADB_CAPS);
        assertThat(decoded.hasMariaDbCapabilities()).isTrue();
        assertThat(Capabilities.has(decoded.capabilities(), Capabilities.MARIADB_CLIENT_CACHE_METADATA)).isTrue();
    }

    @Test
    void theReservedBytesAreIgnoredWhenClientMysqlIsSet() throws Exception {
        byte[] greeting = PROXY_GREETING.clone();
        int reserved = 1 + 6 + 4 + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 6;
        greeting[reserved] = 0x1D;                    // junk in MariaDB's field of a MySQL greeting
        assertThat(HandshakeV10.decode(buf(greeting)).capabilities()).isEqualTo(PROXY_CAPS);
    }

    @Test
    void mariaDbCapabilitiesCannotBeEncodedWhileClientMysqlIsSet() {
        assertThatThrownBy(() -> new HandshakeV10("x", 1, SCRAMBLE,
                PROXY_CAPS | Capabilities.MARIADB_CLIENT_PROGRESS, 45, 2, "mysql_native_password"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CLIENT_MYSQL");
    }

    @Test
    void aPluginNameWithoutItsNulRunsToTheEnd() throws Exception {
        // MySQL 5.5.7-5.5.9 (Bug#59453) left the NUL out.
        byte[] greeting = Arrays.copyOf(PROXY_GREETING, PROXY_GREETING.length - 1);
        assertThat(HandshakeV10.decode(buf(greeting)).authPluginName()).isEqualTo("caching_sha2_password");
    }

    @Test
    void withoutPluginAuthTheLengthByteIsZeroAndThereIsNoName() throws Exception {
        long caps = PROXY_CAPS & ~Capabilities.CLIENT_PLUGIN_AUTH;
        HandshakeV10 h = new HandshakeV10("8.4.0", 42, SCRAMBLE, caps, 45, 2, null);
        byte[] bytes = written(h::writeTo);
        assertThat(bytes[1 + 6 + 4 + 8 + 1 + 2 + 1 + 2 + 2]).as("auth plugin data length").isZero();
        assertThat(bytes).hasSize(PROXY_GREETING.length - "caching_sha2_password".length() - 1);
        HandshakeV10 back = HandshakeV10.decode(buf(bytes));
        assertThat(back.scramble()).containsExactly(SCRAMBLE);
        assertThat(back.authPluginName()).isNull();
    }

    @Test
    void refusesOtherProtocolVersionsAndTruncation() {
        assertThatThrownBy(() -> HandshakeV10.decode(buf(bytes(0x09, "3.23", 0x00))))
                .isInstanceOf(MalformedPacketException.class).hasMessageContaining("protocol version 9");
        for (int cut : new int[] {1, 7, 20, 40, 50}) {
            assertThatThrownBy(() -> HandshakeV10.decode(buf(Arrays.copyOf(PROXY_GREETING, cut))))
                    .as("cut at %d", cut).isInstanceOf(MalformedPacketException.class);
        }
    }

    @Test
    void toStringNamesTheFlags() {
        HandshakeV10 h = new HandshakeV10("8.4.0", 42, SCRAMBLE, PROXY_CAPS, 45, 2, "caching_sha2_password");
        assertThat(h.toString()).contains("PROTOCOL_41", "AUTOCOMMIT", "caching_sha2_password")
                .doesNotContain("X%8k");
    }
}
