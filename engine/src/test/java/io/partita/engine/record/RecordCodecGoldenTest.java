package io.partita.engine.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins format versions 1 (read only) and 2 (written) byte for byte. If this test fails, the on-disk format changed:
 * existing data would no longer decode. Do not update the expected bytes; add a new format version instead.
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

    /** The same record in format version 2, in set "demo". */
    private static final String GOLDEN_V2 = String.join("",
            "02", "ac02", "d00f", "02",          // version 2, generation 300, voidTime 1000, lastUpdate 1
            "04", "64656d6f",                     // set "demo"
            GOLDEN_V1.substring(12)               // the bins, exactly as in version 1
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
    void decodesVersion1BytesWithNoSet() {
        StoredRecord decoded = RecordCodec.decode(HexFormat.of().parseHex(GOLDEN_V1));
        assertEquals(goldenRecord(), decoded);
        assertEquals("", decoded.set());
        assertEquals("", RecordCodec.set(HexFormat.of().parseHex(GOLDEN_V1)));
        assertEquals(1000L, RecordCodec.voidTimeMs(HexFormat.of().parseHex(GOLDEN_V1)));
    }

    @Test
    void encodesVersion2Exactly() {
        assertEquals(GOLDEN_V2, HexFormat.of().formatHex(RecordCodec.encode(goldenRecord().withSet("demo"))));
    }

    @Test
    void decodesVersion2Bytes() {
        StoredRecord decoded = RecordCodec.decode(HexFormat.of().parseHex(GOLDEN_V2));
        assertEquals(goldenRecord().withSet("demo"), decoded);
        assertEquals("demo", RecordCodec.set(HexFormat.of().parseHex(GOLDEN_V2)));
        assertEquals(1000L, RecordCodec.voidTimeMs(HexFormat.of().parseHex(GOLDEN_V2)));
    }

    @Test
    void aVersion1RecordReEncodesAsVersion2WithNoSet() {
        byte[] reEncoded = RecordCodec.encode(RecordCodec.decode(HexFormat.of().parseHex(GOLDEN_V1)));
        assertEquals("02ac02d00f0200" + GOLDEN_V1.substring(12), HexFormat.of().formatHex(reEncoded));
    }
}
