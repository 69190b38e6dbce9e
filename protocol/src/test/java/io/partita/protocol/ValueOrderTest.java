package io.partita.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueOrderTest {

    private static void assertLess(Object a, Object b) {
        assertTrue(ValueOrder.compare(a, b) < 0, () -> BinValues.toDisplayString(a) + " < " + BinValues.toDisplayString(b));
        assertTrue(ValueOrder.compare(b, a) > 0, () -> BinValues.toDisplayString(b) + " > " + BinValues.toDisplayString(a));
    }

    private static Map<Object, Object> map(Object... kv) {
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void typesOrderNilBooleanIntegerStringListMapBytesDouble() {
        List<Object> ascending = Arrays.asList(null, false, true, Long.MIN_VALUE, 0L, Long.MAX_VALUE, "", "zzz",
                List.of(), List.of(Long.MAX_VALUE), Map.of(), Map.of("a", 1L), new byte[0], new byte[] {-1},
                Double.NEGATIVE_INFINITY, -1.5, 0.0, Double.POSITIVE_INFINITY);
        for (int i = 0; i < ascending.size(); i++) {
            for (int j = i + 1; j < ascending.size(); j++) {
                assertLess(ascending.get(i), ascending.get(j));
            }
        }
    }

    @Test
    void anyIntegerIsBelowAnyDouble() {
        assertLess(100L, 1.5);
        assertLess(Long.MAX_VALUE, Double.NEGATIVE_INFINITY);
        assertTrue(ValueOrder.compare(1L, 1.0) != 0);
    }

    @Test
    void integersAndAliasesCompareNumerically() {
        assertLess(-3L, 2L);
        assertEquals(0, ValueOrder.compare(5, 5L));
        assertEquals(0, ValueOrder.compare((short) 7, (byte) 7));
        assertEquals(0, ValueOrder.compare(1.5f, 1.5));
    }

    @Test
    void stringsCompareByUtf8BytesWithPrefixFirst() {
        assertLess("aa", "b");
        assertLess("a", "aa");
        assertLess("", "a");
        assertLess("Z", "a");
        // U+FFFF (EF BF BF) < U+1F600 (F0 9F 98 80) in UTF-8, although String.compareTo says the opposite.
        assertTrue("\uFFFF".compareTo("\uD83D\uDE00") > 0);
        assertLess("\uFFFF", "\uD83D\uDE00");
        assertEquals(0, ValueOrder.compare("h\u00e9", "h\u00e9"));
    }

    @Test
    void bytesCompareUnsignedWithPrefixFirst() {
        assertLess(new byte[] {0x7F}, new byte[] {(byte) 0x80});
        assertLess(new byte[] {1, 2}, new byte[] {1, 2, 0});
        assertEquals(0, ValueOrder.compare(new byte[] {1, 2}, new byte[] {1, 2}));
    }

    @Test
    void booleansFalseBeforeTrue() {
        assertLess(false, true);
        assertEquals(0, ValueOrder.compare(true, true));
    }

    @Test
    void listsCompareElementWiseThenByLength() {
        assertLess(List.of(1L, 2L), List.of(1L, 3L));
        assertLess(List.of(1L, 2L), List.of(1L, 2L, 1L));
        assertLess(List.of(1L, 5L), List.of(2L));
        assertLess(Arrays.asList(null, 9L), List.of(false));
        assertEquals(0, ValueOrder.compare(List.of(1, "x"), List.of(1L, "x")));
    }

    @Test
    void mapsCompareBySizeThenEntriesInKeyOrder() {
        assertLess(map("z", 9L), map("a", 1L, "b", 1L));
        assertLess(map("a", 2L), map("b", 1L));
        assertLess(map("a", 1L), map("a", 2L));
        assertLess(map("a", 1L, "b", 1L), map("a", 1L, "c", 0L));
        // Insertion order does not matter: Partita maps are equal regardless of it.
        assertEquals(0, ValueOrder.compare(map("a", 1L, "b", 2L), map("b", 2L, "a", 1L)));
        assertLess(map("b", 0L, "a", 1L), map("a", 2L, "b", 0L));
    }

    @Test
    void doublesUseATotalOrder() {
        assertLess(-0.0, 0.0);
        assertLess(Double.POSITIVE_INFINITY, Double.NaN);
        assertEquals(0, ValueOrder.compare(Double.NaN, Double.NaN));
        assertLess(-2.5, -1.0);
    }

    @Test
    void nullIsSmallestAndEqualToItself() {
        assertEquals(0, ValueOrder.compare(null, null));
        assertLess(null, false);
        assertEquals(0, ValueOrder.ORDER.compare(null, null));
    }

    @Test
    void compareIsZeroExactlyWhenDeepEqualAndIsAntisymmetricAndTransitive() {
        List<Object> values = new ArrayList<>(Arrays.asList(null, true, false, 0L, 1, -1L, 2.0, -0.0, 0.0, Double.NaN,
                "", "a", "ab", "\uD83D\uDE00", new byte[] {1}, new byte[] {1}, new byte[] {(byte) 200},
                List.of(), List.of(1L), List.of(1), List.of(1L, 2L), Arrays.asList((Object) null),
                map("a", 1L), map("a", 1), map("a", 1L, "b", List.of()), map("b", List.of(), "a", 1L),
                map(1L, "x"), map(new byte[] {1}, 1L)));
        for (Object a : values) {
            for (Object b : values) {
                int ab = ValueOrder.compare(a, b);
                assertEquals(BinValues.deepEquals(a, b), ab == 0,
                        () -> BinValues.toDisplayString(a) + " vs " + BinValues.toDisplayString(b));
                assertEquals(Integer.signum(ab), -Integer.signum(ValueOrder.compare(b, a)));
                for (Object c : values) {
                    if (ab <= 0 && ValueOrder.compare(b, c) <= 0) {
                        assertTrue(ValueOrder.compare(a, c) <= 0);
                    }
                }
            }
        }
    }

    @Test
    void sortsWithTheComparator() {
        List<Object> list = new ArrayList<>(Arrays.asList(1.5, "b", 3L, null, List.of(1L), true, "a", 2L));
        list.sort(ValueOrder.ORDER);
        assertEquals(Arrays.asList(null, true, 2L, 3L, "a", "b", List.of(1L), 1.5), list);
    }

    @Test
    void unsupportedTypeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ValueOrder.compare(new Object(), 1L));
        assertThrows(IllegalArgumentException.class, () -> ValueOrder.compare(List.of(1L), List.of(new Object())));
    }
}
