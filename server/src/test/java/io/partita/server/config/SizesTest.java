package io.partita.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "512, 512",
        "1K, 1024",
        "64k, 65536",
        "1M, 1048576",
        "256m, 268435456",
        "8G, 8589934592",
        "1T, 1099511627776",
        "' 1M ', 1048576",
        "1536K, 1572864",
    })
    void parsesBinaryUnits(String text, long bytes) {
        assertEquals(bytes, Sizes.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"3Q", "", "1.5M", "-1", "-1K", "1KB", "1MiB", "M", "1 M", "0x10", "one"})
    void rejectsNonSizesQuotingTheText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.parse(text));
        assertEquals("'" + text + "' is not a size (use e.g. 512K, 1M)", e.getMessage());
    }

    @Test
    void rejectsNull() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.parse(null));
        assertEquals("'null' is not a size (use e.g. 512K, 1M)", e.getMessage());
    }

    @Test
    void rejectsOverflowInsteadOfWrapping() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.parse("9999999T"));
        assertEquals("'9999999T' is too large for a size", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("99999999999999999999"));
        assertEquals(Long.MAX_VALUE, Sizes.parse(Long.toString(Long.MAX_VALUE)));
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "1000, 1000",
        "1024, 1K",
        "1572864, 1536K",
        "1048576, 1M",
        "268435456, 256M",
        "1073741824, 1G",
        "1099511627776, 1T",
    })
    void formatsWithTheLargestExactUnit(long bytes, String text) {
        assertEquals(text, Sizes.format(bytes));
    }

    @Test
    void formatRejectsNegative() {
        assertThrows(IllegalArgumentException.class, () -> Sizes.format(-1));
    }

    @Test
    void formatThenParseIsIdentity() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 10_000; i++) {
            long unit = new long[] {1, Sizes.K, Sizes.M, Sizes.G}[random.nextInt(4)];
            long bytes = random.nextLong(0, 1L << 20) * unit;
            assertEquals(bytes, Sizes.parse(Sizes.format(bytes)), () -> "bytes=" + bytes);
        }
    }
}
