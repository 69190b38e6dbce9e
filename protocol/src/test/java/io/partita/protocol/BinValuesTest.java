package io.partita.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BinValuesTest {

    private static void assertDeepEqual(Object a, Object b) {
        assertTrue(BinValues.deepEquals(a, b), () -> BinValues.toDisplayString(a) + " vs " + BinValues.toDisplayString(b));
        assertTrue(BinValues.deepEquals(b, a));
        assertEquals(BinValues.deepHashCode(a), BinValues.deepHashCode(b));
    }

    private static void assertNotDeepEqual(Object a, Object b) {
        assertFalse(BinValues.deepEquals(a, b), () -> BinValues.toDisplayString(a) + " vs " + BinValues.toDisplayString(b));
        assertFalse(BinValues.deepEquals(b, a));
    }

    @Test
    void comparesByContent() {
        assertDeepEqual(new byte[] {1, 2}, new byte[] {1, 2});
        assertNotDeepEqual(new byte[] {1, 2}, new byte[] {2, 1});
        assertDeepEqual(List.of(new byte[] {1}, "s"), new ArrayList<>(List.of(new byte[] {1}, "s")));
        assertNotDeepEqual(List.of(1L, 2L), List.of(2L, 1L));
        assertDeepEqual(Arrays.asList(null, 1L), Arrays.asList(null, 1L));
        assertNotDeepEqual(Arrays.asList((Object) null), List.of());
        assertDeepEqual(null, null);
        assertNotDeepEqual(null, 0L);
    }

    @Test
    void numbersCompareByValueWithinTheirKind() {
        assertDeepEqual(5, 5L);
        assertDeepEqual((short) 5, (byte) 5);
        assertDeepEqual(0.5f, 0.5);
        assertDeepEqual(Double.NaN, Float.NaN);
        assertNotDeepEqual(0.0, -0.0);
        assertNotDeepEqual(1L, 1.0);
        assertNotDeepEqual(true, 1L);
    }

    @Test
    void mapsIgnoreOrderAndCompareByteArrayKeysByContent() {
        Map<Object, Object> a = new LinkedHashMap<>();
        Map<Object, Object> b = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            a.put(new byte[] {(byte) i}, List.of(new byte[] {(byte) i}));
            b.put(new byte[] {(byte) (19 - i)}, List.of(new byte[] {(byte) (19 - i)}));
        }
        assertDeepEqual(a, b);
        b.put(new byte[] {0}, List.of(new byte[] {42}));   // new array object: a second key in b
        assertNotDeepEqual(a, b);
        assertDeepEqual(Map.of(1, "x"), Map.of(1L, "x"));
        assertNotDeepEqual(Map.of("k", 1L), Map.of("k", 2L));
        assertNotDeepEqual(Map.of("k", 1L), Map.of("j", 1L));
        Map<Object, Object> nullValue = new LinkedHashMap<>();
        nullValue.put("k", null);
        assertNotDeepEqual(nullValue, Map.of("j", 1L));
    }

    @Test
    void hashCodeMatchesTheJdkForCanonicalValuesWithoutArrays() {
        Object v = List.of(1L, "s", 2.5, true, Map.of("k", List.of(3L)));
        assertEquals(v.hashCode(), BinValues.deepHashCode(v));
    }

    @Test
    void displayStringIsReadableAndBounded() {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put("k", Arrays.asList(1L, null, 2.0, new byte[] {0x0F, (byte) 0xF0}, "q\"\n"));
        assertEquals("{\"k\"=[1, null, 2.0, bytes[2]{0ff0}, \"q\\\"\\u000a\"]}", BinValues.toDisplayString(m));
        String longString = BinValues.toDisplayString("x".repeat(10_000));
        assertTrue(longString.length() < 300 && longString.endsWith("(10000 chars)"), longString);
        String bytes = BinValues.toDisplayString(new byte[1000]);
        assertTrue(bytes.length() < 200 && bytes.startsWith("bytes[1000]{"), bytes);
    }

    @Test
    void canonicalizeConvertsCopiesAndFreezes() {
        byte[] raw = {1};
        Object c = BinValues.canonicalize(List.of(1, 2.5f, raw));
        raw[0] = 2;
        List<?> list = (List<?>) c;
        assertEquals(Long.valueOf(1), list.get(0));
        assertEquals(Double.valueOf(2.5), list.get(1));
        assertTrue(Arrays.equals(new byte[] {1}, (byte[]) list.get(2)), "byte[] must be copied");
        assertThrows(UnsupportedOperationException.class, () -> ((List<Object>) list).add(1L));
    }

    @Test
    void canonicalizeAcceptsExactlyMaxValueDepthLevels() {
        Object deepest = List.of();
        for (int i = 1; i < Limits.MAX_VALUE_DEPTH; i++) {
            deepest = i % 2 == 0 ? List.of(deepest) : Map.of("k", deepest);
        }
        assertDeepEqual(deepest, BinValues.canonicalize(deepest));
        Object tooDeep = List.of(deepest);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BinValues.canonicalize(tooDeep, "bin 'x'"));
        assertTrue(e.getMessage().contains("deeper than " + Limits.MAX_VALUE_DEPTH)
                && e.getMessage().endsWith("in bin 'x'"), e.getMessage());
    }

    @Test
    void binsDisplayWithPlainNames() {
        Map<String, Object> bins = new LinkedHashMap<>();
        bins.put("n", 1L);
        bins.put("s", "x");
        assertEquals("{n=1, s=\"x\"}", BinValues.binsToDisplayString(bins));
    }

    @Test
    void canonicalizeKeepsTheOrderAttributes() {
        TreeMap<String, Integer> natural = new TreeMap<>(Comparator.reverseOrder());
        natural.put("a", 1);
        natural.put("b", 2);
        Object map = BinValues.canonicalize(natural);
        assertInstanceOf(SortedMap.class, map);
        assertEquals(List.of("a", "b"),
                new ArrayList<>(((Map<?, ?>) map).keySet()), "re-sorted by value order");
        assertEquals(2L, ((Map<?, ?>) map).get("b"), "values converted");
        assertThrows(UnsupportedOperationException.class,
                () -> castMap(map).put("c", 3L));

        Object list = BinValues.canonicalize(new OrderedList(List.of(2, 1.5, 1)));
        assertInstanceOf(OrderedList.class, list);
        assertEquals(List.of(1L, 2L, 1.5), list,
                "integers before doubles, Integer converted to Long");
        assertTrue(BinValues.deepEquals(list, List.of(1L, 2L, 1.5)),
                "the order attribute is not part of equality");
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> castMap(Object map) {
        return (Map<Object, Object>) map;
    }
}
