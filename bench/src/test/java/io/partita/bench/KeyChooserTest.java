package io.partita.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyChooserTest {

    private static long[] draw(Distribution d, long records, long seed, int n) {
        KeyChooser c = KeyChooser.of(d, records, new InsertSequence(records), new SplittableRandom(seed));
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = c.next();
        }
        return out;
    }

    private static long[] histogram(long[] draws, int records) {
        long[] hits = new long[records];
        for (long k : draws) {
            hits[(int) k]++;
        }
        return hits;
    }

    private static int hottest(long[] hits) {
        int best = 0;
        for (int i = 1; i < hits.length; i++) {
            best = hits[i] > hits[best] ? i : best;
        }
        return best;
    }

    @Test
    void everyDistributionStaysWithinTheRecords() {
        for (Distribution d : Distribution.values()) {
            for (long records : new long[] {1, 7, 1000, 1L << 40}) {
                for (long k : draw(d, records, 3, 20_000)) {
                    assertTrue(k >= 0 && k < records, d + ": " + k + " outside [0, " + records + ")");
                }
            }
        }
    }

    @Test
    void uniformCoversASmallKeySpaceEvenly() {
        for (long h : histogram(draw(Distribution.UNIFORM, 10, 11, 100_000), 10)) {
            assertTrue(h > 9_000 && h < 11_000, "counts per key " + h);
        }
    }

    @Test
    void zipfianIsSkewedAndScrambledAsYcsbs() {
        long[] hits = histogram(draw(Distribution.ZIPFIAN, 1000, 5, 200_000), 1000);
        // The most popular item has probability 1 / zeta(10^10, 0.99) = 3.8%; hashing may add a few colliding ones.
        int hot = hottest(hits);
        assertTrue(hits[hot] > 0.035 * 200_000 && hits[hot] < 0.06 * 200_000, "hottest " + hits[hot]);
        // It is the record YCSB's ScrambledZipfianGenerator makes hottest: item 0, hashed.
        assertEquals(Math.abs(ScrambledZipfianChooser.fnv64(0)) % 1000, hot);
        assertNotEquals(0, hot, "scrambled: the hot records are not the lowest indexes");
        long[] sorted = hits.clone();
        Arrays.sort(sorted);
        long top10 = 0;
        for (int i = 0; i < 10; i++) {
            top10 += sorted[999 - i];
        }
        // Ranks 1..10 hold 11% of a zipfian(0.99) over 10^10 items (hash collisions add a little); uniform: 1%.
        assertTrue(top10 > 0.10 * 200_000 && top10 < 0.16 * 200_000, "top 10 records: " + top10);
    }

    @Test
    void fnvIsFnv1a64OverTheLittleEndianBytes() {
        assertEquals(-6284781860667377211L, ScrambledZipfianChooser.fnv64(0)); // 8 zero bytes
    }

    @Test
    void zetaOfHugeCountsIsApproximatedToYcsbsConstant() {
        assertEquals(ScrambledZipfianChooser.ZETAN, ZipfianGenerator.zeta(ScrambledZipfianChooser.ITEM_COUNT, 0.99),
            1e-9);
        double exact = 0;
        for (long i = 1; i <= 3_000_000; i++) {
            exact += 1 / Math.pow(i, 0.99);
        }
        assertEquals(exact, ZipfianGenerator.zeta(3_000_000, 0.99), 1e-9);
    }

    @Test
    void unscrambledZipfianFollowsTheZipfLawOverRanks() {
        ZipfianGenerator z = new ZipfianGenerator(100, 0.99, ZipfianGenerator.zeta(100, 0.99),
            new SplittableRandom(9));
        long[] hits = new long[100];
        for (int i = 0; i < 200_000; i++) {
            hits[(int) z.next()]++;
        }
        double p0 = 1 / ZipfianGenerator.zeta(100, 0.99); // 19%
        assertEquals(p0, hits[0] / 200_000.0, 0.01);
        assertTrue(hits[0] > hits[1] && hits[1] > hits[5] && hits[5] > hits[50], Arrays.toString(hits));
    }

    @Test
    void latestFavoursTheNewestAcknowledgedRecordAndFollowsInserts() {
        InsertSequence inserts = new InsertSequence(1000);
        KeyChooser c = KeyChooser.of(Distribution.LATEST, 1000, inserts, new SplittableRandom(2));
        long[] before = new long[1010];
        for (int i = 0; i < 50_000; i++) {
            before[(int) c.next()]++;
        }
        assertEquals(999, hottest(before));
        assertEquals(0, before[1000], "not inserted yet");
        for (int i = 0; i < 10; i++) {
            inserts.completed(inserts.next());
        }
        long[] after = new long[1010];
        for (int i = 0; i < 50_000; i++) {
            after[(int) c.next()]++;
        }
        assertEquals(1009, hottest(after));
        assertTrue(after[1009] > after[1005] && after[1005] > after[990], "newest first");
    }

    @Test
    void sameSeedSameSequenceOtherSeedOtherSequence() {
        for (Distribution d : Distribution.values()) {
            long[] a = draw(d, 1_000_000, 42, 1000);
            assertArrayEquals(a, draw(d, 1_000_000, 42, 1000), d.toString());
            assertFalse(Arrays.equals(a, draw(d, 1_000_000, 43, 1000)), d.toString());
        }
    }

    @Test
    void refusesAnEmptyKeySpace() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> KeyChooser.of(Distribution.UNIFORM, 0, new InsertSequence(0), new SplittableRandom(1)));
        assertEquals("records must be >= 1, got 0", e.getMessage());
    }
}
