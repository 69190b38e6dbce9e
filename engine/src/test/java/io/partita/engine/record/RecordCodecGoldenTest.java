package io.partita.engine.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.partita.protocol.OrderedList;
import io.partita.protocol.ValueOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Pins format versions 1 (read only), 2 and 3 (written) byte for byte. If this test fails, the on-disk format changed:
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

    /**
     * A record with ordered containers, in set "demo": format version 3. With plain containers in their place the
     * same bytes with tags 07/08 are version 2, as any release before version 3 wrote them.
     */
    private static final String GOLDEN_V3 = orderedGolden("03", "09", "0a");
    private static final String GOLDEN_V3_AS_PLAIN_V2 = orderedGolden("02", "07", "08");

    private static String orderedGolden(String version, String listTag, String mapTag) {
        return String.join("",
                version, "ac02", "d00f", "02",          // generation 300, voidTime 1000, lastUpdate 1
                "04", "64656d6f",                        // set "demo"
                "03",                                    // 3 bins
                "016f", listTag, "03", "0302", "0306", "050161",   // "o" = ORDERED LIST [1, 3, "a"]
                "016b", mapTag, "03", "030a", "02",                // "k" = KEY-ORDERED MAP {5: true,
                "050161", "0302", "050162", "0304",                //   "a": 1, "b": 2}
                "016e", "07", "01", listTag, "02", "0302", "0304"  // "n" = LIST [ORDERED LIST [1, 2]]
        );
    }

    /** The bins of GOLDEN_V3, given out of order: the encoder sorts them. */
    static StoredRecord orderedGoldenRecord(boolean ordered) {
        Map<String, Object> bins = new LinkedHashMap<>();
        List<Object> o = List.of("a", 3L, 1L);
        bins.put("o", ordered ? new OrderedList(o) : List.of(1L, 3L, "a"));
        Map<Object, Object> k = ordered ? new TreeMap<>(ValueOrder.ORDER) : new LinkedHashMap<>();
        k.put(5L, true);
        k.put("a", 1L);
        k.put("b", 2L);
        bins.put("k", k);
        bins.put("n", List.of(ordered ? new OrderedList(List.of(2L, 1L)) : List.of(1L, 2L)));
        return new StoredRecord("demo", 300, 1000L, 1L, bins);
    }

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

    @Test
    void encodesVersion3ExactlyWhenTheRecordHoldsOrderedContainers() {
        assertEquals(GOLDEN_V3, HexFormat.of().formatHex(RecordCodec.encode(orderedGoldenRecord(true))));
    }

    @Test
    void theSameRecordWithPlainContainersStaysVersion2() {
        assertEquals(GOLDEN_V3_AS_PLAIN_V2, HexFormat.of().formatHex(RecordCodec.encode(orderedGoldenRecord(false))));
        StoredRecord decoded = RecordCodec.decode(HexFormat.of().parseHex(GOLDEN_V3_AS_PLAIN_V2));
        assertFalse(decoded.bin("o") instanceof OrderedList);
        assertFalse(decoded.bin("k") instanceof SortedMap);
        assertFalse(((List<?>) decoded.bin("n")).get(0) instanceof OrderedList);
        assertEquals(List.of(5L, "a", "b"), List.copyOf(((Map<?, ?>) decoded.bin("k")).keySet()));
    }

    @Test
    void decodesVersion3Bytes() {
        byte[] data = HexFormat.of().parseHex(GOLDEN_V3);
        StoredRecord decoded = RecordCodec.decode(data);
        // the order attribute is not part of equality: both records are equal, only their kinds differ
        assertEquals(orderedGoldenRecord(true), decoded);
        assertEquals(orderedGoldenRecord(false), decoded);
        assertEquals("demo", decoded.set());
        assertEquals(new RecordCodec.Header("demo", 300, 1000L, 1L), RecordCodec.header(data));

        OrderedList o = assertInstanceOf(OrderedList.class, decoded.bin("o"));
        assertEquals(List.of(1L, 3L, "a"), o);
        SortedMap<?, ?> k = assertInstanceOf(SortedMap.class, decoded.bin("k"));
        assertSame(ValueOrder.ORDER, k.comparator());
        assertEquals(List.of(5L, "a", "b"), List.copyOf(k.keySet()));
        assertEquals(List.of(true, 1L, 2L), List.copyOf(k.values()));
        List<?> n = assertInstanceOf(List.class, decoded.bin("n"));
        assertEquals(List.of(1L, 2L), assertInstanceOf(OrderedList.class, n.get(0)));

        assertEquals(GOLDEN_V3, HexFormat.of().formatHex(RecordCodec.encode(decoded)));
    }
}
