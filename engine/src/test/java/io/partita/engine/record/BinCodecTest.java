package io.partita.engine.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.protocol.BinValues;
import io.partita.protocol.Limits;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BinCodecTest {

    private static Map<String, Object> roundTrip(Map<String, ?> bins) {
        return BinCodec.decodeBins(BinCodec.encodeBins(bins));
    }

    private static IllegalArgumentException rejected(Map<String, ?> bins) {
        return assertThrows(IllegalArgumentException.class, () -> BinCodec.encodeBins(bins));
    }

    @Test
    void nullBinValuesRoundTrip() {
        Map<String, Object> bins = new LinkedHashMap<>();
        bins.put("gone", null);
        bins.put("kept", 5L);
        bins.put("also-gone", null);
        Map<String, Object> decoded = roundTrip(bins);
        assertEquals(List.of("gone", "kept", "also-gone"), new ArrayList<>(decoded.keySet()));
        assertTrue(decoded.containsKey("gone"));
        assertNull(decoded.get("gone"));
        assertEquals(5L, decoded.get("kept"));
        assertArrayEquals(new byte[] {3, 4, 'g', 'o', 'n', 'e', 0}, Arrays.copyOf(BinCodec.encodeBins(bins), 7));
    }

    @Test
    void smallIntegralAndFloatTypesDecodeAsLongAndDouble() {
        Map<String, Object> bins = new LinkedHashMap<>();
        bins.put("i", Integer.MIN_VALUE);
        bins.put("s", (short) -7);
        bins.put("b", (byte) 100);
        bins.put("f", 1.25f);
        bins.put("fnan", Float.NaN);
        bins.put("nested", List.of(3, Map.of(4, 2.5f)));
        Map<String, Object> d = roundTrip(bins);
        assertEquals(Long.valueOf(Integer.MIN_VALUE), d.get("i"));
        assertEquals(Long.valueOf(-7), d.get("s"));
        assertEquals(Long.valueOf(100), d.get("b"));
        assertEquals(Double.valueOf(1.25), d.get("f"));
        assertEquals(Double.valueOf(Double.NaN), d.get("fnan"));
        List<?> nested = (List<?>) d.get("nested");
        assertEquals(Long.valueOf(3), nested.get(0));
        assertEquals(Map.of(4L, 2.5), nested.get(1));
        // Integer and Long encode identically
        assertArrayEquals(BinCodec.encodeBins(Map.of("x", 42L)), BinCodec.encodeBins(Map.of("x", 42)));
    }

    @Test
    void decodersReturnCanonicalMutableContainers() {
        Map<String, Object> d = roundTrip(Map.of("l", List.of(1L), "m", Map.of("k", 1L), "b", new byte[] {1}));
        assertEquals(ArrayList.class, d.get("l").getClass());
        assertEquals(LinkedHashMap.class, d.get("m").getClass());
        assertEquals(LinkedHashMap.class, d.getClass());
        assertArrayEquals(new byte[] {1}, (byte[]) d.get("b"));
    }

    @Test
    void mapOrderIsKept() {
        Map<Object, Object> m = new LinkedHashMap<>();
        for (long k = 20; k > 0; k--) {
            m.put(k, "v" + k);
        }
        Map<?, ?> decoded = (Map<?, ?>) roundTrip(Map.of("m", m)).get("m");
        assertEquals(new ArrayList<>(m.keySet()), new ArrayList<>(decoded.keySet()));
    }

    @Test
    void unsupportedTypesAreNamedWithTheirBin() {
        IllegalArgumentException top = rejected(Map.of("when", new Date()));
        assertTrue(top.getMessage().contains("java.util.Date"), top.getMessage());
        assertTrue(top.getMessage().contains("bin 'when'"), top.getMessage());

        IllegalArgumentException nested = rejected(Map.of("deep", List.of(1L, Map.of("k", new StringBuilder()))));
        assertTrue(nested.getMessage().contains("java.lang.StringBuilder"), nested.getMessage());
        assertTrue(nested.getMessage().contains("bin 'deep'"), nested.getMessage());

        IllegalArgumentException ints = rejected(Map.of("arr", new int[] {1}));
        assertTrue(ints.getMessage().contains("[I"), ints.getMessage());

        IllegalArgumentException listKey = rejected(Map.of("m", Map.of(List.of(1L), 1L)));
        assertTrue(listKey.getMessage().contains("map key type") && listKey.getMessage().contains("bin 'm'"),
                listKey.getMessage());

        Map<Object, Object> nullKey = new HashMap<>();
        nullKey.put(null, 1L);
        assertTrue(rejected(Map.of("m", nullKey)).getMessage().contains("Null map key in bin 'm'"));
    }

    @Test
    void keysThatCollideAfterNormalisationAreRejected() {
        Map<Object, Object> intAndLong = new LinkedHashMap<>();
        intAndLong.put(1, "a");
        intAndLong.put(1L, "b");
        assertTrue(rejected(Map.of("m", intAndLong)).getMessage().contains("Duplicate map key 1"));

        Map<Object, Object> sameBytes = new LinkedHashMap<>();
        sameBytes.put(new byte[] {7}, "a");
        sameBytes.put(new byte[] {7}, "b");
        rejected(Map.of("m", sameBytes));

        Map<Object, Object> distinct = new LinkedHashMap<>();
        distinct.put(1L, "long");
        distinct.put(1.0, "double");
        distinct.put(0.0, "zero");
        distinct.put(-0.0, "negative zero");
        assertEquals(4, ((Map<?, ?>) roundTrip(Map.of("m", distinct)).get("m")).size());
    }

    @Test
    void binNamesMustBeOneTo255BytesOfUtf8() {
        assertEquals(1, roundTrip(Map.of("x".repeat(255), 1L)).size());
        assertEquals(1, roundTrip(Map.of("é".repeat(127), 1L)).size()); // 254 bytes
        assertTrue(rejected(Map.of("x".repeat(256), 1L)).getMessage().contains("256 bytes"));
        assertTrue(rejected(Map.of("é".repeat(128), 1L)).getMessage().contains("256 bytes"));
        rejected(Map.of("", 1L));
        Map<String, Object> nullName = new HashMap<>();
        nullName.put(null, 1L);
        rejected(nullName);
    }

    @Test
    void unpairedSurrogatesAreRejectedInsteadOfSilentlyReplaced() {
        assertTrue(rejected(Map.of("s", "a\uD800b")).getMessage().contains("unpaired surrogate"));
        rejected(Map.of("s", List.of("\uDC00")));
        rejected(Map.of("bad\uD83D", 1L));
        assertEquals("\uD83D\uDE00", roundTrip(Map.of("s", "\uD83D\uDE00")).get("s"));
    }

    @Test
    void nestingIsCappedAtMaxValueDepthLevels() {
        Object vMax = List.of();
        for (int i = 1; i < Limits.MAX_VALUE_DEPTH; i++) {
            vMax = i % 2 == 0 ? List.of(vMax) : Map.of("k", vMax);
        }
        assertTrue(BinValues.deepEquals(vMax, roundTrip(Map.of("x", vMax)).get("x")));
        Object vMaxPlus1 = List.of(vMax);
        assertTrue(rejected(Map.of("x", vMaxPlus1)).getMessage().contains("deeper than " + Limits.MAX_VALUE_DEPTH));
        Object mapWrapped = Map.of("k", vMax);
        rejected(Map.of("x", mapWrapped));
    }

    @Test
    void readsFromAByteBufferAndLeavesTheRest() {
        byte[] section = BinCodec.encodeBins(Map.of("a", 1L, "b", "two"));
        ByteBuffer buf = ByteBuffer.allocateDirect(section.length + 5).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(new byte[] {9, 9});
        buf.put(section);
        buf.put(new byte[] {7, 7, 7});
        buf.flip();
        buf.position(2);
        Map<String, Object> bins = BinCodec.readBins(buf);
        assertEquals(Map.of("a", 1L, "b", "two"), bins);
        assertEquals(2 + section.length, buf.position());

        ByteBuffer truncated = ByteBuffer.wrap(section, 0, section.length - 1);
        CorruptRecordException e = assertThrows(CorruptRecordException.class, () -> BinCodec.readBins(truncated));
        assertEquals(0, truncated.position(), "position unchanged on failure");
        assertTrue(e.offset() < section.length);
    }

    @Test
    void oneThousandByteStringFitsInUnder1030Bytes() {
        byte[] encoded = RecordCodec.encode(new StoredRecord(1, 1_700_000_000_000L, 1_700_000_000_000L,
                Map.of("payload", "x".repeat(1000))));
        assertTrue(encoded.length < 1030, "encoded " + encoded.length + " bytes");
    }

    @Test
    void varintsUseTheFewestBytes() {
        // 1 tag + value bytes, after count(1) + name length(1) + name(1)
        assertEquals(3 + 1 + 1, BinCodec.encodeBins(Map.of("x", -64L)).length);
        assertEquals(3 + 1 + 2, BinCodec.encodeBins(Map.of("x", 64L)).length);
        assertEquals(3 + 1 + 10, BinCodec.encodeBins(Map.of("x", Long.MIN_VALUE)).length);
        assertEquals(3 + 1 + 8, BinCodec.encodeBins(Map.of("x", 0.0)).length);
        assertEquals(3 + 1, BinCodec.encodeBins(Map.of("x", true)).length);
    }
}
