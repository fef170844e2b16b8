package io.rwsplit.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "500ms, 500",
        "2s, 2000",
        "1m, 60000",
        "1h, 3600000",
        "1.5s, 1500",
        "0.25m, 15000",
        "250, 250",
        "0, 0",
        "0s, 0",
        "' 2s ', 2000",
        "500 ms, 500",
        "2S, 2000",
    })
    void parsesTheDocumentedSpellings(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource({"1.5ms, 1500000", "0.000000001s, 1", "0.0000000001s, 0"})
    void keepsFractionsDownToNanoseconds(String text, long nanos) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1s", "-500"})
    void rejectsNegatives(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "s", "1e3", "PT1S", "1,5s", "+1s", "1s500ms", ".5s"})
    void rejectsWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void rejectsEmpty(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).hasMessageContaining("empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10d", "5us", "3sec"})
    void namesAnUnknownUnit(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).hasMessageContaining("not a unit").hasMessageContaining("ms, s, m or h");
    }

    @Test
    void aBareFractionNeedsAUnit() {
        assertThatThrownBy(() -> Durations.parse("1.5")).hasMessageContaining("needs a unit");
    }

    @Test
    void rejectsDurationsTooLongForNanoseconds() {
        assertThat(Durations.parse("2562047h")).isEqualTo(Duration.ofHours(2_562_047));
        assertThatThrownBy(() -> Durations.parse("2562048h")).hasMessageContaining("too long");
        assertThatThrownBy(() -> Durations.parse("99999999999999999999999999ms")).hasMessageContaining("too long");
    }
}
