package io.rwsplit.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class ProtocolConstantsTest {

    @Test
    void capabilityBitsAreWhereTheHeadersPutThem() {
        assertThat(Capabilities.CLIENT_PROTOCOL_41).isEqualTo(0x200);
        assertThat(Capabilities.CLIENT_SSL).isEqualTo(0x800);
        assertThat(Capabilities.CLIENT_SECURE_CONNECTION).isEqualTo(0x8000);
        assertThat(Capabilities.CLIENT_PLUGIN_AUTH).isEqualTo(0x80000);
        assertThat(Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA).isEqualTo(0x200000);
        assertThat(Capabilities.CLIENT_SESSION_TRACK).isEqualTo(0x800000);
        assertThat(Capabilities.CLIENT_DEPRECATE_EOF).isEqualTo(0x1000000);
        assertThat(Capabilities.CLIENT_QUERY_ATTRIBUTES).isEqualTo(0x8000000);
        assertThat(Capabilities.CLIENT_MULTI_FACTOR_AUTHENTICATION).isEqualTo(0x10000000);
        assertThat(Capabilities.CLIENT_REMEMBER_OPTIONS).isEqualTo(0x80000000L);
        assertThat(Capabilities.MARIADB_CLIENT_STMT_BULK_OPERATIONS).isEqualTo(17179869184L);
        assertThat(Capabilities.MARIADB_CLIENT_BULK_UNIT_RESULTS).isEqualTo(1L << 37);
    }

    @Test
    void describeNamesFlagsAndShowsTheRestInHex() {
        assertThat(Capabilities.describe(0)).isEqualTo("0");
        assertThat(Capabilities.describe(Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_DEPRECATE_EOF))
                .isEqualTo("PROTOCOL_41|DEPRECATE_EOF");
        assertThat(Capabilities.describe(Capabilities.CLIENT_SSL | Capabilities.MARIADB_CLIENT_CACHE_METADATA
                | (1L << 40))).isEqualTo("SSL|MARIADB_CACHE_METADATA|0x10000000000");
        assertThat(ServerStatus.describe(ServerStatus.IN_TRANS | ServerStatus.AUTOCOMMIT)).isEqualTo("IN_TRANS|AUTOCOMMIT");
        assertThat(ServerStatus.describe(4 | ServerStatus.SESSION_STATE_CHANGED))
                .isEqualTo("SESSION_STATE_CHANGED|0x4");
        assertThat(ServerStatus.describe(0)).isEqualTo("0");
    }

    @Test
    void commandsMapBothWays() {
        assertThat(Command.of(0x03)).isEqualTo(Command.COM_QUERY);
        assertThat(Command.of(0x0E)).isEqualTo(Command.COM_PING);
        assertThat(Command.of(0x16)).isEqualTo(Command.COM_STMT_PREPARE);
        assertThat(Command.of(0x1F)).isEqualTo(Command.COM_RESET_CONNECTION);
        assertThat(Command.of(0xFA)).isEqualTo(Command.COM_STMT_BULK_EXECUTE);
        assertThat(Command.of(0x22)).isEqualTo(Command.UNKNOWN);
        assertThat(Command.of(0xFF)).isEqualTo(Command.UNKNOWN);
        assertThat(Command.of(-1)).isEqualTo(Command.UNKNOWN);
        assertThat(Command.of(256)).isEqualTo(Command.UNKNOWN);
        for (Command c : EnumSet.complementOf(EnumSet.of(Command.UNKNOWN))) {
            assertThat(Command.of(c.code())).isEqualTo(c);
        }
    }

    @Test
    void characterSets() {
        assertThat(CharacterSets.charsetName(45)).isEqualTo("utf8mb4");
        assertThat(CharacterSets.charsetName(255)).isEqualTo("utf8mb4");
        assertThat(CharacterSets.charsetName(33)).isEqualTo("utf8mb3");
        assertThat(CharacterSets.charsetName(8)).isEqualTo("latin1");
        assertThat(CharacterSets.charsetName(63)).isEqualTo("binary");
        assertThat(CharacterSets.charsetName(28)).isNull();
        assertThat(CharacterSets.collationId("UTF8MB4")).isEqualTo(45);
        assertThat(CharacterSets.collationId("utf8")).isEqualTo(33);
        assertThat(CharacterSets.collationId("koi8r")).isEqualTo(-1);
        assertThat(CharacterSets.javaCharset(45)).isEqualTo(StandardCharsets.UTF_8);
        assertThat(CharacterSets.javaCharset(8).name()).isEqualTo("windows-1252");
        assertThat(CharacterSets.javaCharset(28)).isEqualTo(StandardCharsets.UTF_8);
    }
}
