package io.partita.engine.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoredRecordTest {

    private static StoredRecord rec(Map<String, ?> bins) {
        return new StoredRecord(2, 0, 10, bins);
    }

    @Test
    void equalityIsDeepIncludingNestedByteArrays() {
        StoredRecord a = rec(Map.of("b", new byte[] {1, 2}, "l", List.of(Map.of(new byte[] {3}, List.of(new byte[] {4})))));
        StoredRecord b = rec(Map.of("b", new byte[] {1, 2}, "l", List.of(Map.of(new byte[] {3}, List.of(new byte[] {4})))));
        StoredRecord c = rec(Map.of("b", new byte[] {1, 2}, "l", List.of(Map.of(new byte[] {3}, List.of(new byte[] {5})))));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, c);
        assertNotEquals(a, new StoredRecord(3, 0, 10, a.bins()));
        assertNotEquals(a, new StoredRecord(2, 1, 10, a.bins()));
        assertNotEquals(a, new StoredRecord(2, 0, 11, a.bins()));
    }

    @Test
    void binOrderIsKeptButDoesNotAffectEquality() {
        Map<String, Object> ab = new LinkedHashMap<>();
        ab.put("a", 1L);
        ab.put("b", 2L);
        Map<String, Object> ba = new LinkedHashMap<>();
        ba.put("b", 2L);
        ba.put("a", 1L);
        assertEquals(List.of("b", "a"), new ArrayList<>(rec(ba).bins().keySet()));
        assertEquals(rec(ab), rec(ba));
        assertEquals(rec(ab).hashCode(), rec(ba).hashCode());
    }

    @Test
    void doublesCompareByBits() {
        assertEquals(rec(Map.of("d", Double.NaN)), rec(Map.of("d", Double.NaN)));
        assertNotEquals(rec(Map.of("d", 0.0)), rec(Map.of("d", -0.0)));
        assertNotEquals(rec(Map.of("d", 1.0)), rec(Map.of("d", 1L)));
    }

    @Test
    void isExpiredHonoursNeverExpiresAndTheBoundary() {
        assertFalse(new StoredRecord(1, 0, 0, Map.of()).isExpired(Long.MAX_VALUE));
        StoredRecord r = new StoredRecord(1, 1000, 0, Map.of());
        assertFalse(r.isExpired(999));
        assertTrue(r.isExpired(1000));
        assertTrue(r.isExpired(1001));
    }

    @Test
    void isImmutableAndCopiesItsInput() {
        byte[] bytes = {1};
        List<Object> list = new ArrayList<>(List.of(1L));
        Map<String, Object> bins = new HashMap<>(Map.of("b", bytes, "l", list));
        StoredRecord r = rec(bins);
        bytes[0] = 9;
        list.add(2L);
        bins.put("new", 1L);
        assertEquals(rec(Map.of("b", new byte[] {1}, "l", List.of(1L))), r);
        assertThrows(UnsupportedOperationException.class, () -> r.bins().put("x", 1L));
        assertThrows(UnsupportedOperationException.class, () -> ((List<Object>) r.bin("l")).add(3L));
        StoredRecord decoded = RecordCodec.decode(RecordCodec.encode(
                rec(Map.of("l", List.of(1L), "m", Map.of("k", List.of(2L))))));
        assertThrows(UnsupportedOperationException.class, () -> ((List<Object>) decoded.bin("l")).add(3L));
        Map<Object, Object> m = (Map<Object, Object>) decoded.bin("m");
        assertThrows(UnsupportedOperationException.class, () -> m.put("z", 1L));
        assertThrows(UnsupportedOperationException.class, () -> ((List<Object>) m.get("k")).clear());
    }

    @Test
    void valuesAreNormalisedToCanonicalTypes() {
        StoredRecord r = rec(Map.of("i", 7, "f", 0.5f, "l", List.of((short) 1, Map.of((byte) 2, 3))));
        assertEquals(7L, r.bin("i"));
        assertEquals(0.5, r.bin("f"));
        assertEquals(List.of(1L, Map.of(2L, 3L)), r.bin("l"));
        assertEquals(rec(Map.of("i", 7L, "f", 0.5, "l", List.of(1L, Map.of(2L, 3L)))), r);
    }

    @Test
    void rejectsNullValuesBadNamesAndUnsupportedTypes() {
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("x", null);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> rec(withNull)).getMessage().contains("'x'"));
        assertThrows(IllegalArgumentException.class, () -> rec(Map.of("", 1L)));
        assertThrows(IllegalArgumentException.class, () -> rec(Map.of("n".repeat(256), 1L)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rec(Map.of("o", new Object())));
        assertTrue(e.getMessage().contains("java.lang.Object") && e.getMessage().contains("bin 'o'"), e.getMessage());
    }

    @Test
    void toStringShowsHeaderAndBins() {
        String s = new StoredRecord(-1, 5, 6, Map.of("name", "v", "raw", new byte[] {(byte) 0xAB})).toString();
        assertTrue(s.contains("generation=4294967295"), s);
        assertTrue(s.contains("voidTimeMs=5") && s.contains("lastUpdateMs=6"), s);
        assertTrue(s.contains("name=\"v\"") && s.contains("raw=bytes[1]{ab}"), s);
    }
}
