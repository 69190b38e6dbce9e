package io.partita.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyChooserTest {

    private static long[] draw(KeyChooser c, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = c.next();
        }
        return out;
    }

    @Test
    void staysWithinTheKeySpace() {
        for (long space : new long[] {1, 7, 1000, 1L << 40}) {
            for (long k : draw(KeyChooser.seeded(space, 3), 20_000)) {
                assertTrue(k >= 0 && k < space, k + " outside [0, " + space + ")");
            }
        }
    }

    @Test
    void coversASmallKeySpaceRoughlyUniformly() {
        long[] hits = new long[10];
        for (long k : draw(KeyChooser.seeded(10, 11), 100_000)) {
            hits[(int) k]++;
        }
        for (long h : hits) {
            assertTrue(h > 9_000 && h < 11_000, "counts per key " + Arrays.toString(hits));
        }
    }

    @Test
    void sameSeedSameSequenceOtherSeedOtherSequence() {
        long[] a = draw(KeyChooser.seeded(1_000_000, 42), 1000);
        assertArrayEquals(a, draw(KeyChooser.seeded(1_000_000, 42), 1000));
        assertArrayEquals(a, draw(new KeyChooser(1_000_000, new SplittableRandom(42)), 1000));
        assertFalse(Arrays.equals(a, draw(KeyChooser.seeded(1_000_000, 43), 1000)));
    }

    @Test
    void refusesAnEmptyKeySpace() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyChooser.seeded(0, 1));
        assertEquals("key space must be >= 1, got 0", e.getMessage());
    }
}
