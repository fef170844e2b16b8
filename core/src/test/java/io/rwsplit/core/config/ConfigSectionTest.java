package io.rwsplit.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The getters a front end uses for its own keys: byte sizes, lists, secrets from the environment. */
class ConfigSectionTest {

    private static final long KIB = 1024;
    private static final long MIB = KIB * KIB;
    private static final long GIB = MIB * KIB;

    private static ConfigSection limits(Object maxMessageBytes) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("maxMessageBytes", maxMessageBytes);
        return ConfigSection.of(values, "limits", List.of("maxMessageBytes"));
    }

    private static ConfigException rejected(ThrowingSupplier<?> read) {
        ConfigException e = catchThrowableOfType(ConfigException.class, read::get);
        assertThat(e).as("the value should be rejected").isNotNull();
        return e;
    }

    // ---- byte sizes

    @ParameterizedTest
    @CsvSource({
        "1048576, 1048576",
        "64MiB, 67108864",
        "16M, 16777216",
        "16m, 16777216",
        "16MB, 16777216",
        "512K, 524288",
        "512 KiB, 524288",
        "1GiB, 1073741824",
        "1.5M, 1572864",
        "2048B, 2048",
        "' 4k ', 4096",
    })
    void bytesAcceptsANumberOfBytesOrAPowerOf1024Unit(String text, long expected) {
        assertThat(limits(text).bytes("maxMessageBytes", 0, 0, Long.MAX_VALUE)).isEqualTo(expected);
    }

    @Test
    void bytesAbsentIsTheDefault() {
        assertThat(limits(null).bytes("maxMessageBytes", 64 * MIB, KIB, GIB)).isEqualTo(64 * MIB);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "64 megs  | 'megs' is not a unit",
        "-1M      | must not be negative",
        "0.3K     | not a whole number of bytes",
        "lots     | not a size",
        "99999999999T | too large",
    })
    void bytesSaysWhatIsWrongAndWhatIsExpected(String text, String problem) {
        ConfigException e = rejected(() -> limits(text).bytes("maxMessageBytes", 0, 0, Long.MAX_VALUE));
        assertThat(e.key()).isEqualTo("limits.maxMessageBytes");
        assertThat(e.getMessage()).contains("invalid value '" + text + "' for config key 'limits.maxMessageBytes'",
                problem, "expected a size such as 1048576 (bytes), 512KiB, 16M or 1GiB");
    }

    @ParameterizedTest
    @CsvSource({"1023", "1073741825", "2G"})
    void bytesOutOfRangeNamesTheRangeInUnits(String text) {
        ConfigException e = rejected(() -> limits(text).bytes("maxMessageBytes", 0, KIB, GIB));
        assertThat(e.getMessage()).contains("'limits.maxMessageBytes'", "expected a size from 1KiB to 1GiB");
    }

    @Test
    void bytesOfAListSaysWhatItGot() {
        ConfigException e = rejected(() -> limits(List.of("1M")).bytes("maxMessageBytes", 0, 0, GIB));
        assertThat(e.getMessage()).contains("'limits.maxMessageBytes'", "expected a size such as", "but got a list");
    }

    @Test
    void byteSizesAreShownInTheLargestExactUnit() {
        assertThat(ByteSizes.format(64 * MIB)).isEqualTo("64MiB");
        assertThat(ByteSizes.format(KIB)).isEqualTo("1KiB");
        assertThat(ByteSizes.format(1536)).isEqualTo("1536 bytes");
        assertThat(ByteSizes.format(1000)).isEqualTo("1000 bytes");
        assertThat(ByteSizes.format(0)).isEqualTo("0 bytes");
    }

    // ---- lists of text

    private static ConfigSection user(Object allowedHosts) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("allowedHosts", allowedHosts);
        return ConfigSection.of(values, "users[0]", List.of("allowedHosts"));
    }

    @Test
    void stringsReadsAListOrCommaSeparatedText() {
        assertThat(user(List.of("10.0.0.0/8", " 127.0.0.1 ")).strings("allowedHosts", List.of()))
                .containsExactly("10.0.0.0/8", "127.0.0.1");
        assertThat(user("10.0.0.0/8, 127.0.0.1,").strings("allowedHosts", List.of()))
                .containsExactly("10.0.0.0/8", "127.0.0.1");
        assertThat(user(null).strings("allowedHosts", List.of("any"))).containsExactly("any");
    }

    @Test
    void stringsNamesTheBadItem() {
        ConfigException e = rejected(() -> user(List.of("10.0.0.0/8", Map.of("ip", "1.2.3.4")))
                .strings("allowedHosts", List.of()));
        assertThat(e.key()).isEqualTo("users[0].allowedHosts[1]");
        assertThat(e.getMessage()).contains("'users[0].allowedHosts[1]'", "expected text", "but got a section");
    }

    @Test
    void stringsRefusesASection() {
        ConfigException e = rejected(() -> user(Map.of("a", "b")).strings("allowedHosts", List.of()));
        assertThat(e.key()).isEqualTo("users[0].allowedHosts");
        assertThat(e.getMessage()).contains("expected a list of values", "but got a section");
    }

    // ---- secrets

    @Test
    void aSecretMayComeFromTheEnvironment() {
        ConfigSection s = ConfigSection.of(Map.of("password", "${APP_PASSWORD}", "other", "a${B}c"), "users[0]",
                List.of("password", "other"));
        Map<String, String> env = Map.of("APP_PASSWORD", "from-env", "B", "never");
        assertThat(s.secret("password", null, env::get)).isEqualTo("from-env");
        assertThat(s.secret("other", null, env::get)).as("only a whole ${NAME} is a reference").isEqualTo("a${B}c");
        assertThat(s.secret("absent", "${B}", env::get)).as("a default is not resolved again").isEqualTo("${B}");
    }

    @Test
    void anUnsetVariableNamesTheVariableAndTheKey() {
        ConfigSection s = ConfigSection.of(Map.of("password", "${APP_PASSWORD}"), "users[0]", List.of("password"));
        ConfigException e = rejected(() -> s.secret("password", null, name -> null));
        assertThat(e.key()).isEqualTo("users[0].password");
        assertThat(e.getMessage()).contains("'users[0].password'", "environment variable 'APP_PASSWORD'",
                "not set");
    }

    @Test
    void invalidSecretDoesNotShowTheValue() {
        ConfigSection s = ConfigSection.of(Map.of("passwordHash", "*DEADBEEF"), "users[1]", List.of("passwordHash"));
        ConfigException e = s.invalidSecret("passwordHash", "'*' and 40 hex digits");
        assertThat(e.getMessage()).isEqualTo(
                "invalid value '****' for config key 'users[1].passwordHash': expected '*' and 40 hex digits");
    }
}
