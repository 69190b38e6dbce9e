package io.partita.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.protocol.v1.Bin;
import io.partita.protocol.v1.MapEntry;
import io.partita.protocol.v1.MapValue;
import io.partita.protocol.v1.Value;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ValuesTest {

    private static Object roundTrip(Object v) {
        return Values.fromProto(Values.toProto(v));
    }

    @Test
    void scalars() {
        assertEquals(Value.KindCase.LONG_VALUE, Values.toProto(42L).getKindCase());
        assertEquals(42L, roundTrip(42L));
        assertEquals(-7.25d, roundTrip(-7.25d));
        assertEquals("héllo", roundTrip("héllo"));
        assertEquals(true, roundTrip(true));
        assertEquals(false, roundTrip(false));
        assertArrayEquals(new byte[] {1, 2, (byte) 0xFF}, (byte[]) roundTrip(new byte[] {1, 2, (byte) 0xFF}));
        assertEquals(Double.NaN, roundTrip(Double.NaN));
    }

    @Test
    void narrowNumbersAreNormalised() {
        assertEquals(Long.valueOf(5), roundTrip(5));
        assertEquals(Long.valueOf(-3), roundTrip((short) -3));
        assertEquals(Long.valueOf(9), roundTrip((byte) 9));
        assertEquals(Double.valueOf(1.5f), roundTrip(1.5f));
        assertEquals(Value.KindCase.DOUBLE_VALUE, Values.toProto(1.5f).getKindCase());
    }

    @Test
    void nullIsUnsetValue() {
        Value v = Values.toProto(null);
        assertEquals(Value.KindCase.KIND_NOT_SET, v.getKindCase());
        assertNull(Values.fromProto(v));
        assertNull(Values.fromProto(Value.getDefaultInstance()));
    }

    @Test
    void bytesAreCopied() {
        byte[] b = {1, 2, 3};
        Value v = Values.toProto(b);
        b[0] = 99;
        assertEquals(1, v.getBytesValue().byteAt(0));
    }

    @Test
    void listsKeepOrderAndNulls() {
        List<Object> in = Arrays.asList(1, null, "x", 2.5, true, new byte[] {7});
        Object out = roundTrip(in);
        assertInstanceOf(ArrayList.class, out);
        List<?> l = (List<?>) out;
        assertEquals(6, l.size());
        assertEquals(1L, l.get(0));
        assertNull(l.get(1));
        assertEquals("x", l.get(2));
        assertEquals(2.5, l.get(3));
        assertEquals(true, l.get(4));
        assertArrayEquals(new byte[] {7}, (byte[]) l.get(5));
    }

    @Test
    void mapsKeepInsertionOrder() {
        Map<Object, Object> in = new LinkedHashMap<>();
        in.put("z", 1);
        in.put("a", null);
        in.put(10, "ten");
        in.put(2.5, false);
        in.put(true, List.of());
        Object out = roundTrip(in);
        assertInstanceOf(LinkedHashMap.class, out);
        Map<?, ?> m = (Map<?, ?>) out;
        assertEquals(List.of("z", "a", 10L, 2.5, true), new ArrayList<>(m.keySet()));
        assertEquals(1L, m.get("z"));
        assertTrue(m.containsKey("a"));
        assertNull(m.get("a"));
        assertEquals("ten", m.get(10L));
        assertEquals(List.of(), m.get(true));
    }

    @Test
    void nesting() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("list", List.of(1, List.of(2, List.of(3))));
        inner.put("map", Map.of("k", Map.of("kk", "v")));
        List<Object> in = List.of(inner, List.of(), Map.of());
        Object out = roundTrip(in);
        List<Object> expected = new ArrayList<>();
        Map<Object, Object> expectedInner = new LinkedHashMap<>();
        expectedInner.put("list", List.of(1L, List.of(2L, List.of(3L))));
        expectedInner.put("map", Map.of("k", Map.of("kk", "v")));
        expected.add(expectedInner);
        expected.add(List.of());
        expected.add(Map.of());
        assertEquals(expected, out);
    }

    @Test
    void unsupportedTypeIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Values.toProto(new BigDecimal("1.5")));
        assertTrue(e.getMessage().contains("java.math.BigDecimal"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Values.toProto(List.of(1, 'c')));
        assertTrue(e.getMessage().contains("java.lang.Character"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Values.toProto(Map.of("k", new Object())));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    }

    @Test
    void badMapKeys() {
        Map<Object, Object> nullKey = new HashMap<>();
        nullKey.put(null, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Values.toProto(nullKey));
        assertTrue(e.getMessage().contains("null"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Values.toProto(Map.of(List.of(1), 1)));
        assertTrue(e.getMessage().contains("scalar"), e.getMessage());

        Map<Object, Object> dup = new LinkedHashMap<>();
        dup.put(1, "int");
        dup.put(1L, "long");
        e = assertThrows(IllegalArgumentException.class, () -> Values.toProto(dup));
        assertTrue(e.getMessage().contains("equal"), e.getMessage());

        Map<Object, Object> byteKeys = new LinkedHashMap<>();
        byteKeys.put(new byte[] {1}, "a");
        byteKeys.put(new byte[] {1}, "b");
        assertThrows(IllegalArgumentException.class, () -> Values.toProto(byteKeys));

        // A non-scalar key arriving from the wire is refused too.
        Value bad = Value.newBuilder().setMapValue(MapValue.newBuilder().addEntries(MapEntry.newBuilder()
            .setKey(Value.newBuilder().setListValue(Values.toProto(List.of()).getListValue()))
            .setValue(Values.toProto(1)))).build();
        assertThrows(IllegalArgumentException.class, () -> Values.fromProto(bad));
    }

    @Test
    void selfContainingListIsAnErrorNotAStackOverflow() {
        List<Object> l = new ArrayList<>();
        l.add(l);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Values.toProto(l));
        assertTrue(e.getMessage().contains("nested"), e.getMessage());
        // The limit itself is reachable.
        Object deep = 1;
        for (int i = 0; i < Limits.MAX_VALUE_DEPTH; i++) {
            deep = List.of(deep);
        }
        Values.toProto(deep);
        Object tooDeep = List.of(deep);
        assertThrows(IllegalArgumentException.class, () -> Values.toProto(tooDeep));
    }

    @Test
    void bins() {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("b", 1);
        in.put("a", "x");
        in.put("gone", null);
        in.put("m", new TreeMap<>(Map.of("k", 2)));
        List<Bin> bins = Values.toProtoBins(in);
        assertEquals(List.of("b", "a", "gone", "m"), bins.stream().map(Bin::getName).toList());
        assertEquals(Value.KindCase.KIND_NOT_SET, bins.get(2).getValue().getKindCase());

        Map<String, Object> out = Values.fromProtoBins(bins);
        assertInstanceOf(LinkedHashMap.class, out);
        assertEquals(List.of("b", "a", "gone", "m"), new ArrayList<>(out.keySet()));
        assertEquals(1L, out.get("b"));
        assertNull(out.get("gone"));
        assertEquals(Map.of("k", 2L), out.get("m"));
    }

    @Test
    void binErrorsNameTheBin() {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("fine", 1);
        in.put("bad", new StringBuilder("x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Values.toProtoBins(in));
        assertTrue(e.getMessage().contains("'bad'"), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.StringBuilder"), e.getMessage());

        Map<String, Object> nullName = new HashMap<>();
        nullName.put(null, 1);
        assertThrows(IllegalArgumentException.class, () -> Values.toProtoBins(nullName));
    }

    @Test
    void binNameLengthIsLeftToTheServer() {
        List<Bin> bins = Values.toProtoBins(Map.of("a-very-long-bin-name-over-15", 1));
        assertEquals(1, bins.size());
    }

    @Test
    void orderAttributesTravelBothWays() {
        Object list = roundTrip(new OrderedList(List.of(3, 1L, "a", 2)));
        assertInstanceOf(OrderedList.class, list);
        assertEquals(List.of(1L, 2L, 3L, "a"), list, "sorted in value order: integers before strings");
        assertTrue(Values.toProto(new OrderedList(List.of(1L))).getListValue().getOrdered());
        assertInstanceOf(ArrayList.class, roundTrip(List.of(2L, 1L)), "a plain list stays plain");

        // Natural String order (UTF-16) and value order (code points) differ here: U+FFFF < U+1F600 by code point.
        TreeMap<String, Long> natural = new TreeMap<>();
        natural.put("\uFFFF", 1L);
        natural.put("\uD83D\uDE00", 2L);
        assertEquals("\uD83D\uDE00", natural.firstKey(), "UTF-16 order puts the surrogate pair first");
        Value wire = Values.toProto(natural);
        assertTrue(wire.getMapValue().getKeyOrdered());
        Object map = Values.fromProto(wire);
        assertInstanceOf(java.util.SortedMap.class, map);
        assertEquals(List.of("\uFFFF", "\uD83D\uDE00"), new ArrayList<>(((Map<?, ?>) map).keySet()));
        assertTrue(BinValues.deepEquals(natural, map));

        Map<?, ?> bytesKeys = (Map<?, ?>) Values.fromProto(Values.toProto(
                new TreeMap<Object, Object>(ValueOrder.ORDER) {{ put(new byte[] {2}, 1L); put(new byte[] {1}, 2L); }}));
        assertEquals(2L, bytesKeys.get(new byte[] {1}), "byte[] keys of a key-ordered map are found by content");
    }

    @Test
    void aKeyOrderedMapWithADuplicateKeyIsRefused() {
        Value dup = Value.newBuilder().setMapValue(MapValue.newBuilder().setKeyOrdered(true)
                .addEntries(MapEntry.newBuilder().setKey(Values.toProto(1L)).setValue(Values.toProto(1L)))
                .addEntries(MapEntry.newBuilder().setKey(Values.toProto(1L)).setValue(Values.toProto(2L)))).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Values.fromProto(dup));
        assertTrue(e.getMessage().contains("duplicate key 1"), e.getMessage());
    }
}
