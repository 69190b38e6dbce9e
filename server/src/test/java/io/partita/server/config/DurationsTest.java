package io.partita.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "0ms, 0",
        "0s, 0",
        "500ms, 500",
        "1500ms, 1500",
        "2s, 2000",
        "90m, 5400000",
        "12h, 43200000",
        "30d, 2592000000",
        "' 2s ', 2000",
    })
    void parsesUnits(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2 s", "1.5s", "2S", "2sec", "s", "", "-1s", "PT2S", "1h30m", "2w"})
    void rejectsNonDurations(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertEquals("'" + text + "' is not a duration (use e.g. 500ms, 2s, 90m, 12h, 30d)", e.getMessage());
    }

    @Test
    void bareNumberIsRejectedAsHavingNoUnit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("1000"));
        assertEquals("'1000' has no unit (use e.g. 500ms, 2s, 90m, 12h, 30d)", e.getMessage());
    }

    @Test
    void overflowIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Durations.parse("999999999999999999d"));
        assertEquals("'999999999999999999d' is too large for a duration", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0s",
        "1, 1ms",
        "1500, 1500ms",
        "2000, 2s",
        "60000, 1m",
        "5400000, 90m",
        "43200000, 12h",
        "2592000000, 30d",
    })
    void formatsWithTheLargestExactUnit(long millis, String text) {
        assertEquals(text, Durations.format(Duration.ofMillis(millis)));
        assertEquals(Duration.ofMillis(millis), Durations.parse(text));
    }

    @Test
    void formatRejectsSubMillisecondAndNegative() {
        assertThrows(IllegalArgumentException.class, () -> Durations.format(Duration.ofNanos(1_500_000)));
        assertThrows(IllegalArgumentException.class, () -> Durations.format(Duration.ofSeconds(-1)));
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "3600, 3600",
        "45s, 45",
        "90m, 5400",
        "12h, 43200",
        "30d, 2592000",
        "2000ms, 2",
    })
    void parsesTtls(String text, long seconds) {
        assertEquals(seconds, Durations.parseTtl(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "forever", "1.5h", "", "30 d"})
    void rejectsNonTtls(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parseTtl(text));
        assertEquals("'" + text + "' is not a TTL (use seconds, or e.g. 30d, 12h, 90m, 45s; 0 = never expire)",
                e.getMessage());
    }

    @Test
    void ttlMustBeWholeSeconds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parseTtl("1500ms"));
        assertEquals("'1500ms' is not a whole number of seconds (TTLs have 1s resolution)", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "45, 45s",
        "3601, 3601s",
        "5400, 90m",
        "43200, 12h",
        "2592000, 30d",
    })
    void formatsTtls(long seconds, String text) {
        assertEquals(text, Durations.formatTtl(seconds));
        assertEquals(seconds, Durations.parseTtl(text));
    }

    @Test
    void formatTtlRejectsNegative() {
        assertThrows(IllegalArgumentException.class, () -> Durations.formatTtl(-1));
    }
}
