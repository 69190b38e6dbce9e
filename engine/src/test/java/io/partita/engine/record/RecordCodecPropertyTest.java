package io.partita.engine.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.partita.protocol.BinValues;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Round-trip properties over seeded random records; a failure names the seed and case to replay. */
class RecordCodecPropertyTest {
    private static final long[] SEEDS = {1L, 2L, 42L, 0xC0FFEEL, 20240601L};
    private static final int CASES_PER_SEED = 1_200;

    @Test
    void recordsRoundTripAndEncodeDeterministically() {
        int cases = 0;
        int ordered = 0;
        for (long seed : SEEDS) {
            RandomRecords gen = new RandomRecords(seed);
            for (int i = 0; i < CASES_PER_SEED; i++) {
                StoredRecord record = gen.record();
                String where = "seed " + seed + ", case " + i + ": " + record;
                try {
                    byte[] encoded = RecordCodec.encode(record);
                    assertArrayEquals(encoded, RecordCodec.encode(record), () -> "encode not deterministic, " + where);
                    boolean holdsOrdered = RandomRecords.holdsOrdered(record.bins());
                    assertEquals(holdsOrdered ? 3 : 2, encoded[0], () -> "format version, " + where);
                    ordered += holdsOrdered ? 1 : 0;
                    StoredRecord decoded = RecordCodec.decode(encoded);
                    assertEquals(record, decoded, () -> "round trip changed the record, " + where);
                    assertEquals(record.hashCode(), decoded.hashCode(), () -> "hashCode differs, " + where);
                    assertEquals(record.bins().keySet().stream().toList(), decoded.bins().keySet().stream().toList(),
                            () -> "bin order changed, " + where);
                    // equality ignores the order attribute; equal bytes (tags 0x09/0x0A) show it survived
                    assertArrayEquals(encoded, RecordCodec.encode(decoded), () -> "re-encoding differs, " + where);
                } catch (RuntimeException e) {
                    fail("unexpected exception, " + where, e);
                }
                cases++;
            }
        }
        assertTrue(cases >= 5_000, "ran " + cases + " cases");
        assertTrue(ordered > cases / 10 && ordered < cases * 9 / 10, ordered + " of " + cases
                + " records hold ordered containers: both record versions must be well covered");
    }

    @Test
    void binMapsWithNullValuesRoundTrip() {
        for (long seed : SEEDS) {
            RandomRecords gen = new RandomRecords(seed ^ 0x5EED);
            for (int i = 0; i < 400; i++) {
                Map<String, Object> bins = gen.bins(true);
                String where = "seed " + (seed ^ 0x5EED) + ", case " + i + ": " + BinValues.toDisplayString(bins);
                byte[] encoded = BinCodec.encodeBins(bins);
                Map<String, Object> decoded = BinCodec.decodeBins(encoded);
                assertTrue(BinValues.deepEquals(bins, decoded), () -> "round trip changed the bins, " + where
                        + " -> " + BinValues.toDisplayString(decoded));
                assertEquals(bins.keySet().stream().toList(), decoded.keySet().stream().toList(), where);
                assertArrayEquals(encoded, BinCodec.encodeBins(decoded), () -> "re-encoding differs, " + where);
            }
        }
    }
}
