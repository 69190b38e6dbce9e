package io.partita.engine.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins format version 1 byte for byte. If this test fails, the on-disk format changed: existing data would no longer
 * decode. Do not update the expected bytes; add a new format version instead.
 */
class RecordCodecGoldenTest {
    private static final String GOLDEN_V1 = String.join("",
            "01", "ac02", "d00f", "02",          // version 1, generation 300, voidTime 1000, lastUpdate 1
            "06",                                 // 6 bins
            "016e", "03", "03",                   // "n" = LONG -2 (zig-zag 3)
            "0164", "04", "3ff8000000000000",     // "d" = DOUBLE 1.5
            "0173", "05", "03", "68c3a9",         // "s" = STRING "hé"
            "0162", "06", "02", "00ff",           // "b" = BYTES {00, ff}
            "016c", "07", "03", "02", "00", "01", // "l" = LIST [true, null, false]
            "016d", "08", "01", "05016b", "030e"  // "m" = MAP {"k": 7}
    );

    static StoredRecord goldenRecord() {
        Map<String, Object> bins = new LinkedHashMap<>();
        bins.put("n", -2L);
        bins.put("d", 1.5);
        bins.put("s", "hé");
        bins.put("b", new byte[] {0x00, (byte) 0xFF});
        bins.put("l", Arrays.asList(true, null, false));
        bins.put("m", Map.of("k", 7L));
        return new StoredRecord(300, 1000L, 1L, bins);
    }

    @Test
    void encodesVersion1Exactly() {
        assertEquals(GOLDEN_V1, HexFormat.of().formatHex(RecordCodec.encode(goldenRecord())));
    }

    @Test
    void decodesVersion1Bytes() {
        assertEquals(goldenRecord(), RecordCodec.decode(HexFormat.of().parseHex(GOLDEN_V1)));
    }
}
