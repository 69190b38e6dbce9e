package io.partita.engine.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.protocol.BinValues;
import io.partita.protocol.Limits;
import io.partita.protocol.OrderedList;
import io.partita.protocol.ValueOrder;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** BinCodec tags 0x09 (ORDERED LIST) and 0x0A (KEY-ORDERED MAP), and the record format version they select. */
class RecordCodecOrderedValuesTest {

    private static String valueHex(Object value) {
        return HexFormat.of().formatHex(BinCodec.encodeValue(value, "x"));
    }

    private static Object valueRoundTrip(Object value) {
        byte[] encoded = BinCodec.encodeValue(value, "x");
        return BinCodec.decodeValue(encoded, 0, encoded.length);
    }

    private static int recordVersion(Object binValue) {
        return RecordCodec.encode(new StoredRecord(1, 0, 0, Map.of("x", binValue)))[0];
    }

    /** Deep equality plus the same kind (plain or ordered) of every list and map. */
    private static void assertSameKinds(Object expected, Object actual) {
        assertTrue(BinValues.deepEquals(expected, actual),
                () -> BinValues.toDisplayString(expected) + " vs " + BinValues.toDisplayString(actual));
        if (expected instanceof List<?> e) {
            assertEquals(e instanceof OrderedList, actual instanceof OrderedList, BinValues.toDisplayString(e));
            List<?> a = (List<?>) actual;
            for (int i = 0; i < e.size(); i++) {
                assertSameKinds(e.get(i), a.get(i));
            }
        } else if (expected instanceof Map<?, ?> e) {
            assertEquals(e instanceof SortedMap, actual instanceof SortedMap, BinValues.toDisplayString(e));
            Map<BinValues.DeepKey, Object> a = new LinkedHashMap<>();
            ((Map<?, ?>) actual).forEach((k, v) -> a.put(new BinValues.DeepKey(k), v));
            e.forEach((k, v) -> assertSameKinds(v, a.get(new BinValues.DeepKey(k))));
        }
    }

    @Test
    void orderedListIsWrittenInValueOrderWithTag09() {
        OrderedList list = new OrderedList(Arrays.asList(2.5, 1L, "b", 1, true, new byte[] {1}, List.of(),
                Map.of(), null));
        // null < true < 1 = 1 < "b" < [] < {} < bytes < 2.5; Integer 1 is written as LONG
        assertEquals("09" + "09" + "00" + "02" + "0302" + "0302" + "050162" + "0700" + "0800" + "060101"
                + "044004000000000000", valueHex(list));
        Object decoded = valueRoundTrip(list);
        assertSameKinds(list, decoded);
        assertEquals(List.of(1L, 1L), valueRoundTrip(new OrderedList(List.of(1, 1L))));
        assertSame(OrderedList.empty(), valueRoundTrip(OrderedList.empty()));
        assertEquals("0900", valueHex(OrderedList.empty()));
        // the tag is the only difference from a plain list
        assertEquals("07" + valueHex(new OrderedList(List.of(2L, 1L))).substring(2), valueHex(List.of(1L, 2L)));
    }

    @Test
    void anySortedMapIsWrittenInValueOrderOfItsKeys() {
        // Natural (UTF-16) order puts U+1F600 (d83d de00) before U+FFFF; ValueOrder (code points, UTF-8 bytes) after.
        TreeMap<String, Long> natural = new TreeMap<>();
        natural.put("\uD83D\uDE00", 2L);
        natural.put("\uFFFF", 1L);
        assertEquals(List.of("\uD83D\uDE00", "\uFFFF"), List.copyOf(natural.keySet()));
        String expected = "0a" + "02" + "0503efbfbf" + "0302" + "0504f09f9880" + "0304";
        assertEquals(expected, valueHex(natural));

        SortedMap<?, ?> decoded = assertInstanceOf(TreeMap.class, valueRoundTrip(natural));
        assertSame(ValueOrder.ORDER, decoded.comparator());
        assertEquals(natural, decoded);
        assertEquals(List.of("\uFFFF", "\uD83D\uDE00"), List.copyOf(decoded.keySet()));

        // canonical: the same entries give the same bytes whatever the map's comparator
        TreeMap<Object, Object> reversed = new TreeMap<>(ValueOrder.ORDER.reversed());
        reversed.putAll(natural);
        assertEquals(expected, valueHex(reversed));
        TreeMap<Object, Object> valueOrdered = new TreeMap<>(ValueOrder.ORDER);
        valueOrdered.putAll(natural);
        assertEquals(expected, valueHex(valueOrdered));
        assertEquals(expected, valueHex(BinValues.canonicalize(natural)));
        // and a plain map in that order differs only by its tag
        Map<Object, Object> plain = new LinkedHashMap<>(valueOrdered);
        assertEquals("08" + expected.substring(2), valueHex(plain));
    }

    @Test
    void keyOrderedMapsTakeTheKeysOfMaps() {
        TreeMap<Object, Object> mixed = new TreeMap<>(ValueOrder.ORDER.reversed());
        mixed.put(2.5, "d");
        mixed.put(new byte[] {7}, "bytes");
        mixed.put("s", null);
        mixed.put(3, "i");  // written as LONG 3
        mixed.put(false, List.of());
        assertEquals("0a05" + "01" + "0700" + "0306" + "050169" + "050173" + "00" + "060107" + "05056279746573"
                + "044004000000000000" + "050164", valueHex(mixed));
        assertSameKinds(mixed, valueRoundTrip(mixed));

        // keys that collide after Integer -> Long, in a map whose comparator tells them apart
        TreeMap<Object, Object> intAndLong = new TreeMap<>(Comparator.comparing(Object::toString)
                .thenComparing(k -> k.getClass().getName()));
        intAndLong.put(1, "int");
        intAndLong.put(1L, "long");
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> BinCodec.encodeBins(Map.of("m", intAndLong)));
        assertTrue(dup.getMessage().contains("Duplicate map key 1 in bin 'm'"), dup.getMessage());

        // ValueOrder can compare lists and null, so such keys fit in the map but not in the encoding
        TreeMap<Object, Object> listKey = new TreeMap<>(ValueOrder.ORDER);
        listKey.put(List.of(1L), 1L);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> BinCodec.encodeBins(Map.of("m", listKey)));
        assertTrue(bad.getMessage().contains("Unsupported map key type") && bad.getMessage().contains("bin 'm'"),
                bad.getMessage());
        TreeMap<Object, Object> nullKey = new TreeMap<>(ValueOrder.ORDER.reversed());
        nullKey.put(null, 1L);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BinCodec.encodeBins(Map.of("m", nullKey)))
                .getMessage().contains("Null map key in bin 'm'"));
    }

    @Test
    void anUnsortedOrderedListIsRefusedRatherThanWrittenUnreadable() {
        OrderedList unsorted = OrderedList.ofSorted(new Object[] {2L, 1L});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BinCodec.encodeBins(Map.of("l", unsorted)));
        assertTrue(e.getMessage().contains("out of value order (1 after 2) in bin 'l'"), e.getMessage());
        // an unsupported element gets the usual message, not one from the comparison
        OrderedList withDate = OrderedList.ofSorted(new Object[] {1L, new Date()});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BinCodec.encodeBins(Map.of("l", withDate)))
                .getMessage().contains("Unsupported bin value type java.util.Date in bin 'l'"));
    }

    @Test
    void orderedAndPlainContainersNestInEachOther() {
        TreeMap<Object, Object> keyOrdered = new TreeMap<>(ValueOrder.ORDER);
        keyOrdered.put("plain", Map.of("k", List.of(1L, new OrderedList(List.of(3L, 2L)))));
        keyOrdered.put("list", List.of(true));
        Map<Object, Object> plainMap = new LinkedHashMap<>();
        plainMap.put("ko", keyOrdered);
        plainMap.put(7L, OrderedList.empty());
        Object value = List.of(new OrderedList(List.of(List.of(2L), List.of(1L), plainMap)), plainMap);

        Object mutable = valueRoundTrip(value);
        assertSameKinds(value, mutable);
        StoredRecord stored = RecordCodec.decode(RecordCodec.encode(new StoredRecord(1, 0, 0, Map.of("v", value))));
        assertSameKinds(value, stored.bin("v"));
        assertEquals(valueHex(value), valueHex(mutable));
        assertEquals(valueHex(value), valueHex(stored.bin("v")));
    }

    @Test
    void decodedContainersAreMutableFromThePublicDecodersAndReadOnlyInRecords() {
        TreeMap<Object, Object> m = new TreeMap<>(ValueOrder.ORDER);
        m.put(1L, 1L);
        Map<String, Object> bins = Map.of("l", new OrderedList(List.of(1L)), "m", m);
        Map<String, Object> decoded = BinCodec.decodeBins(BinCodec.encodeBins(bins));
        assertEquals(OrderedList.class, decoded.get("l").getClass());  // read-only by nature
        TreeMap<?, ?> tree = assertInstanceOf(TreeMap.class, decoded.get("m"));
        assertSame(ValueOrder.ORDER, tree.comparator());

        StoredRecord stored = RecordCodec.decode(RecordCodec.encode(new StoredRecord(1, 0, 0, bins)));
        assertEquals(OrderedList.class, stored.bin("l").getClass());
        @SuppressWarnings("unchecked")
        SortedMap<Object, Object> sorted = assertInstanceOf(SortedMap.class, stored.bin("m"));
        assertSame(ValueOrder.ORDER, sorted.comparator());
        assertThrows(UnsupportedOperationException.class, () -> sorted.put(2L, 2L));
        assertFalse(sorted instanceof TreeMap, "wrapped unmodifiable");
    }

    @Test
    void orderedContainersCountAsNestingLevels() {
        Object vMax = OrderedList.empty();
        for (int i = 1; i < Limits.MAX_VALUE_DEPTH; i++) {
            TreeMap<Object, Object> m = new TreeMap<>(ValueOrder.ORDER);
            m.put("k", vMax);
            vMax = i % 2 == 0 ? new OrderedList(List.of(vMax)) : m;
        }
        assertSameKinds(vMax, valueRoundTrip(vMax));
        Object vMaxPlus1 = new OrderedList(List.of(vMax));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BinCodec.encodeValue(vMaxPlus1, "x"))
                .getMessage().contains("deeper than " + Limits.MAX_VALUE_DEPTH));
    }

    @Test
    void recordsUseVersion3ExactlyWhenTheyHoldAnOrderedContainer() {
        assertEquals(2, recordVersion(List.of(Map.of("k", List.of(1L)))));
        assertEquals(3, recordVersion(OrderedList.empty()));
        assertEquals(3, recordVersion(new TreeMap<>()));
        // deep inside plain containers, as a map value or as a list element
        assertEquals(3, recordVersion(List.of(Map.of("k", List.of(1L, new OrderedList(List.of(1L)))))));
        assertEquals(3, recordVersion(Map.of("k", List.of(List.of(new TreeMap<>(Map.of(1L, 1L)))))));
        // bins before and after the ordered one do not reset the flag
        Map<String, Object> bins = new LinkedHashMap<>();
        bins.put("a", 1L);
        bins.put("o", OrderedList.empty());
        bins.put("z", List.of());
        assertEquals(3, RecordCodec.encode(new StoredRecord(1, 0, 0, bins))[0]);
    }
}
