package io.partita.engine.operate;

import static io.partita.engine.operate.Longs.longs;
import static io.partita.protocol.OpCode.LIST_APPEND;
import static io.partita.protocol.OpCode.MAP_CLEAR;
import static io.partita.protocol.OpCode.MAP_GET_BY_INDEX;
import static io.partita.protocol.OpCode.MAP_GET_BY_INDEX_RANGE;
import static io.partita.protocol.OpCode.MAP_GET_BY_KEY;
import static io.partita.protocol.OpCode.MAP_GET_BY_KEY_LIST;
import static io.partita.protocol.OpCode.MAP_GET_BY_KEY_RANGE;
import static io.partita.protocol.OpCode.MAP_GET_BY_RANK;
import static io.partita.protocol.OpCode.MAP_GET_BY_RANK_RANGE;
import static io.partita.protocol.OpCode.MAP_GET_BY_VALUE;
import static io.partita.protocol.OpCode.MAP_INCREMENT;
import static io.partita.protocol.OpCode.MAP_PUT;
import static io.partita.protocol.OpCode.MAP_PUT_ITEMS;
import static io.partita.protocol.OpCode.MAP_REMOVE_BY_INDEX;
import static io.partita.protocol.OpCode.MAP_REMOVE_BY_INDEX_RANGE;
import static io.partita.protocol.OpCode.MAP_REMOVE_BY_KEY;
import static io.partita.protocol.OpCode.MAP_REMOVE_BY_KEY_LIST;
import static io.partita.protocol.OpCode.MAP_REMOVE_BY_KEY_RANGE;
import static io.partita.protocol.OpCode.MAP_REMOVE_BY_RANK;
import static io.partita.protocol.OpCode.MAP_REMOVE_BY_RANK_RANGE;
import static io.partita.protocol.OpCode.MAP_REMOVE_BY_VALUE;
import static io.partita.protocol.OpCode.MAP_SIZE;
import static io.partita.protocol.ReturnType.COUNT;
import static io.partita.protocol.ReturnType.EXISTS;
import static io.partita.protocol.ReturnType.INDEX;
import static io.partita.protocol.ReturnType.INVERTED;
import static io.partita.protocol.ReturnType.KEY;
import static io.partita.protocol.ReturnType.KEY_VALUE;
import static io.partita.protocol.ReturnType.NONE;
import static io.partita.protocol.ReturnType.RANK;
import static io.partita.protocol.ReturnType.REVERSE_INDEX;
import static io.partita.protocol.ReturnType.REVERSE_RANK;
import static io.partita.protocol.ReturnType.VALUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.engine.operate.MapOps.Applied;
import io.partita.protocol.BinValues;
import io.partita.protocol.Limits;
import io.partita.protocol.OpCode;
import io.partita.protocol.ResultCode;
import io.partita.protocol.ValueOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MapOpsTest {
    private static final long CREATE_ONLY = MapOps.CREATE_ONLY;
    private static final long UPDATE_ONLY = MapOps.UPDATE_ONLY;
    private static final long NO_FAIL = MapOps.NO_FAIL;
    private static final long PARTIAL = MapOps.PARTIAL;

    /**
     * Insertion order c, a, e, b, d. Key order (index): a0 b1 c2 d3 e4. Value order (rank): a=10 r0, e=20 r1, c=30 r2,
     * d=40 r3, b=50 r4.
     */
    private static final Map<Object, Object> M = map("c", 30L, "a", 10L, "e", 20L, "b", 50L, "d", 40L);

    /** Equal values: rank order by value, then key: c(0) r0, m(1) r1, x(1) r2, a(2) r3, b(2) r4. Keys a b c m x. */
    private static final Map<Object, Object> T = map("x", 1L, "a", 2L, "m", 1L, "b", 2L, "c", 0L);

    /** The map of the Java client's TestOperateMap.operateMapRank after its increments. */
    private static final Map<Object, Object> SCORES = map("Charlie", 55L, "Jim", 94L, "John", 81L, "Harry", 82L);

    /** An unmodifiable insertion-ordered map (as a stored bin value is), so that any write to an input fails. */
    private static Map<Object, Object> map(Object... kv) {
        LinkedHashMap<Object, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put(kv[i], kv[i + 1]);
        }
        return Collections.unmodifiableMap(out);
    }

    private static List<Object> list(Object... values) {
        return new ArrayList<>(Arrays.asList(values));
    }


    private static List<Object> keysOf(Map<?, ?> map) {
        return new ArrayList<>(map.keySet());
    }

    private static Applied run(OpCode code, Map<Object, Object> map, Object... args) {
        Map<Object, Object> before = map == null ? null : new LinkedHashMap<>(map);
        List<Object> orderBefore = map == null ? null : keysOf(map);
        try {
            Applied applied = MapOps.apply(Operation.of(code, "bin", args), map);
            if (map != null) {
                assertTrue(BinValues.deepEquals(before, map), "the input map must not change");
                assertEquals(orderBefore, keysOf(map), "the input map's order must not change");
            }
            return applied;
        } catch (OperateException e) {
            throw new AssertionError("unexpected " + e.code() + ": " + e.getMessage(), e);
        }
    }

    private static Object result(OpCode code, Map<Object, Object> map, Object... args) {
        return run(code, map, args).result();
    }

    private static ResultCode failure(OpCode code, Map<Object, Object> map, Object... args) {
        Map<Object, Object> before = map == null ? null : new LinkedHashMap<>(map);
        OperateException e = assertThrows(OperateException.class,
                () -> MapOps.apply(Operation.of(code, "bin", args), map));
        assertTrue(e.getMessage().startsWith(code + " on bin 'bin': "), e.getMessage());
        assertEquals(before, map);
        return e.code();
    }

    /** The stored map equals expected, in expected's order, and is immutable. */
    private static void assertStored(Map<Object, Object> expected, Applied applied) {
        assertTrue(BinValues.deepEquals(expected, applied.map()), () -> "stored " + applied.map());
        assertEquals(keysOf(expected).size(), applied.map().size());
        List<Object> expectedOrder = keysOf(expected);
        List<Object> actualOrder = keysOf(applied.map());
        for (int i = 0; i < expectedOrder.size(); i++) {
            assertTrue(BinValues.deepEquals(expectedOrder.get(i), actualOrder.get(i)), () -> "order " + actualOrder);
        }
        assertThrows(UnsupportedOperationException.class, () -> applied.map().put("new", 1L),
                "stored maps are immutable");
    }

    /** A KEY_VALUE result: a LinkedHashMap with exactly these entries in this order. */
    private static void assertEntries(Object result, Object... kv) {
        assertInstanceOf(LinkedHashMap.class, result);
        Map<?, ?> actual = (Map<?, ?>) result;
        Map<Object, Object> expected = map(kv);
        assertEquals(keysOf(expected), keysOf(actual));
        assertTrue(BinValues.deepEquals(expected, actual), () -> "entries " + actual);
    }

    // ---- put ------------------------------------------------------------------------------------------------------

    @Test
    void putAppendsANewKeyAndAnswersTheNewSize() {
        Applied a = run(MAP_PUT, M, "f", 60L, 0L);
        assertEquals(6L, a.result());
        assertStored(map("c", 30L, "a", 10L, "e", 20L, "b", 50L, "d", 40L, "f", 60L), a);
    }

    @Test
    void putOfAPresentKeyKeepsItsPlace() {
        Applied a = run(MAP_PUT, M, "a", "ten", 0L);
        assertEquals(5L, a.result());
        assertStored(map("c", 30L, "a", "ten", "e", 20L, "b", 50L, "d", 40L), a);
    }

    @Test
    void putOnAnAbsentBinCreatesTheMap() {
        Applied a = run(MAP_PUT, null, 7, 8, 0L);
        assertEquals(1L, a.result());
        assertStored(map(7L, 8L), a);
        assertInstanceOf(Long.class, a.map().keySet().iterator().next(), "keys are canonical");
    }

    @Test
    void putStoresNullAndNestedValues() {
        assertStored(map("k", null), run(MAP_PUT, null, "k", null, 0L));
        Applied nested = run(MAP_PUT, map(), "k", List.of(1, Map.of("x", 2.5f)), 0L);
        assertStored(map("k", List.of(1L, Map.of("x", 2.5))), nested);
    }

    @Test
    void putFindsByteKeysByContentAndTellsIntegersFromDoubles() {
        Map<Object, Object> m = map(new byte[] {1, 2}, "old", 1L, "one");
        Applied a = run(MAP_PUT, m, new byte[] {1, 2}, "new", 0L);
        assertEquals(2L, a.result());
        assertStored(map(new byte[] {1, 2}, "new", 1L, "one"), a);
        Applied d = run(MAP_PUT, m, 1.0, "double", 0L);
        assertEquals(3L, d.result(), "1.0 is another key than 1");
    }

    @Test
    void putCreateOnly() {
        assertEquals(ResultCode.ELEMENT_EXISTS, failure(MAP_PUT, M, "a", 1L, CREATE_ONLY));
        Applied noop = run(MAP_PUT, M, "a", 1L, CREATE_ONLY | NO_FAIL);
        assertSame(M, noop.map());
        assertEquals(5L, noop.result());
        Applied created = run(MAP_PUT, M, "z", 1L, CREATE_ONLY);
        assertEquals(6L, created.result());
    }

    @Test
    void putUpdateOnly() {
        assertEquals(ResultCode.ELEMENT_NOT_FOUND, failure(MAP_PUT, M, "z", 1L, UPDATE_ONLY));
        assertEquals(ResultCode.ELEMENT_NOT_FOUND, failure(MAP_PUT, null, "z", 1L, UPDATE_ONLY));
        // PARTIAL needs NO_FAIL to mean anything (the server's do_partial acts only with no_fail).
        assertEquals(ResultCode.ELEMENT_NOT_FOUND, failure(MAP_PUT, M, "z", 1L, UPDATE_ONLY | PARTIAL));
        Applied noop = run(MAP_PUT, M, "z", 1L, UPDATE_ONLY | NO_FAIL);
        assertSame(M, noop.map());
        assertEquals(5L, noop.result());
        Applied updated = run(MAP_PUT, M, "b", 5L, UPDATE_ONLY);
        assertEquals(5L, updated.result());
        assertEquals(5L, updated.map().get("b"));
    }

    @Test
    void aRefusedPutOnAnAbsentBinStillCreatesAnEmptyMap() {
        Applied a = run(MAP_PUT, null, "z", 1L, UPDATE_ONLY | NO_FAIL);
        assertEquals(0L, a.result());
        assertStored(map(), a);
    }

    @Test
    void putChecksItsArguments() {
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_PUT, M, "k", 1L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_PUT, M, "k", 1L, 0L, 0L, 0L)); // flags, order, one more
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_PUT, M, null, 1L, 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_PUT, M, List.of(1L), 1L, 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_PUT, M, Map.of(), 1L, 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_PUT, M, new Object(), 1L, 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_PUT, M, "k", new Object(), 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_PUT, M, "\uD800", 1L, 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_PUT, M, "k", 1L, "0"));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_PUT, M, "k", 1L, null));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_PUT, M, "k", 1L, 16L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_PUT, M, "k", 1L, -1L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_PUT, null, "k", 1L, 1.0));
    }

    @Test
    void putRefusesAValueNestedTooDeep() {
        Object deep = 1L;
        for (int i = 0; i < Limits.MAX_VALUE_DEPTH; i++) {
            deep = List.of(deep);
        }
        // The bin's map is one level, so a value may hold MAX_VALUE_DEPTH - 1 levels.
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_PUT, M, "k", deep, 0L));
        assertEquals(6L, result(MAP_PUT, M, "k", ((List<?>) deep).get(0), 0L));
    }

    // ---- put items ------------------------------------------------------------------------------------------------

    @Test
    void putItemsUpdatesInPlaceAndAppendsNewKeysInItemOrder() {
        Map<Object, Object> items = map("z", 1L, "a", 11L, "y", 2L);
        Applied a = run(MAP_PUT_ITEMS, M, items, 0L);
        assertEquals(7L, a.result());
        assertStored(map("c", 30L, "a", 11L, "e", 20L, "b", 50L, "d", 40L, "z", 1L, "y", 2L), a);
    }

    @Test
    void putItemsOnAnAbsentBinAndEmptyItems() {
        Applied created = run(MAP_PUT_ITEMS, null, map(1, "x", 2, "y"), 0L);
        assertEquals(2L, created.result());
        assertStored(map(1L, "x", 2L, "y"), created);
        Applied onAbsent = run(MAP_PUT_ITEMS, null, map(), 0L);
        assertEquals(0L, onAbsent.result());
        assertStored(map(), onAbsent);
        Applied onMap = run(MAP_PUT_ITEMS, M, map(), 0L);
        assertSame(M, onMap.map());
        assertEquals(5L, onMap.result());
    }

    @Test
    void putItemsFlagsAsInTheJavaClientsPartialTest() {
        Map<Object, Object> m = map(0L, 17L, 4L, 2L, 5L, 15L, 9L, 10L);
        Map<Object, Object> source = map(3L, 3L, 5L, 15L);
        assertEquals(ResultCode.ELEMENT_EXISTS, failure(MAP_PUT_ITEMS, m, source, CREATE_ONLY));
        assertEquals(ResultCode.ELEMENT_EXISTS, failure(MAP_PUT_ITEMS, m, source, CREATE_ONLY | PARTIAL));
        Applied partial = run(MAP_PUT_ITEMS, m, source, CREATE_ONLY | PARTIAL | NO_FAIL);
        assertEquals(5L, partial.result());
        assertStored(map(0L, 17L, 4L, 2L, 5L, 15L, 9L, 10L, 3L, 3L), partial);
        Applied noop = run(MAP_PUT_ITEMS, m, source, CREATE_ONLY | NO_FAIL);
        assertEquals(4L, noop.result());
        assertSame(m, noop.map());
    }

    @Test
    void putItemsUpdateOnly() {
        Map<Object, Object> items = map("a", 1L, "q", 2L, "b", 3L);
        assertEquals(ResultCode.ELEMENT_NOT_FOUND, failure(MAP_PUT_ITEMS, M, items, UPDATE_ONLY));
        assertSame(M, run(MAP_PUT_ITEMS, M, items, UPDATE_ONLY | NO_FAIL).map());
        Applied partial = run(MAP_PUT_ITEMS, M, items, UPDATE_ONLY | NO_FAIL | PARTIAL);
        assertEquals(5L, partial.result());
        assertStored(map("c", 30L, "a", 1L, "e", 20L, "b", 3L, "d", 40L), partial);
        // Every item refused: nothing changes.
        assertSame(M, run(MAP_PUT_ITEMS, M, map("q", 1L), UPDATE_ONLY | NO_FAIL | PARTIAL).map());
        assertStored(map(), run(MAP_PUT_ITEMS, null, map("q", 1L), UPDATE_ONLY | NO_FAIL | PARTIAL));
    }

    @Test
    void putItemsChecksItsArguments() {
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_PUT_ITEMS, M, List.of(1L), 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_PUT_ITEMS, M, null, 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_PUT_ITEMS, M, map()));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_PUT_ITEMS, M, map(), 32L));
        // 1 (Integer) and 1L are the same key once canonical.
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_PUT_ITEMS, M, map(1, "a", 1L, "b"), 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_PUT_ITEMS, M, map(List.of(1L), "a"), 0L));
    }

    // ---- increment ------------------------------------------------------------------------------------------------

    @Test
    void incrementAddsToAPresentValueInPlace() {
        Applied a = run(MAP_INCREMENT, M, "a", 5L, 0L);
        assertEquals(15L, a.result());
        assertStored(map("c", 30L, "a", 15L, "e", 20L, "b", 50L, "d", 40L), a);
        assertEquals(-5L, result(MAP_INCREMENT, M, "a", -15, 0L));
    }

    @Test
    void incrementKeepsTheStoredType() {
        Map<Object, Object> m = map("i", 10L, "d", 1.5);
        assertEquals(12L, result(MAP_INCREMENT, m, "i", 2.9, 0L), "a double delta is truncated for an integer");
        assertEquals(8L, result(MAP_INCREMENT, m, "i", -2.9, 0L), "toward zero");
        assertEquals(3.5, result(MAP_INCREMENT, m, "d", 2L, 0L));
        assertEquals(1.75, result(MAP_INCREMENT, m, "d", 0.25f, 0L));
        assertEquals(Long.MIN_VALUE, result(MAP_INCREMENT, map("i", Long.MAX_VALUE), "i", 1L, 0L), "wraps");
    }

    @Test
    void incrementOfAMissingKeyOrBinCreatesItWithTheDelta() {
        Applied a = run(MAP_INCREMENT, M, "z", 3, 0L);
        assertEquals(3L, a.result());
        assertStored(map("c", 30L, "a", 10L, "e", 20L, "b", 50L, "d", 40L, "z", 3L), a);
        Applied d = run(MAP_INCREMENT, null, "z", 2.5, 0L);
        assertEquals(2.5, d.result());
        assertStored(map("z", 2.5), d);
    }

    @Test
    void incrementFindsByteKeysByContent() {
        Applied a = run(MAP_INCREMENT, map(new byte[] {9}, 1L), new byte[] {9}, 1L, 0L);
        assertEquals(2L, a.result());
        assertEquals(1, a.map().size());
    }

    @Test
    void incrementAcceptsButDoesNotApplyWriteFlags() {
        // Aerospike's map_increment creates or updates whatever the policy's flags say.
        assertEquals(1L, result(MAP_INCREMENT, M, "z", 1L, UPDATE_ONLY));
        assertEquals(11L, result(MAP_INCREMENT, M, "a", 1L, CREATE_ONLY));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_INCREMENT, M, "a", 1L, 64L));
    }

    @Test
    void incrementOfANonNumericValueIsAParameterError() {
        Map<Object, Object> m = map("s", "text", "n", null, "l", List.of(1L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_INCREMENT, m, "s", 1L, 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_INCREMENT, m, "n", 1L, 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_INCREMENT, m, "l", 1.0, 0L));
    }

    @Test
    void incrementChecksItsArguments() {
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_INCREMENT, M, "a", "1", 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_INCREMENT, M, "a", null, 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_INCREMENT, M, "a", 1L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_INCREMENT, M, List.of(), 1L, 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_INCREMENT, null, null, 1L, 0L));
    }

    // ---- clear and size -------------------------------------------------------------------------------------------

    @Test
    void clearEmptiesTheMapAndLeavesAnAbsentBinAbsent() {
        Applied a = run(MAP_CLEAR, M);
        assertNull(a.result());
        assertStored(map(), a);
        Applied absent = run(MAP_CLEAR, null);
        assertNull(absent.map());
        assertNull(absent.result());
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_CLEAR, M, 1L));
    }

    @Test
    void sizeAnswersTheEntryCount() {
        Applied a = run(MAP_SIZE, M);
        assertEquals(5L, a.result());
        assertSame(M, a.map());
        assertEquals(0L, result(MAP_SIZE, map()));
        assertNull(result(MAP_SIZE, null));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_SIZE, M, 0L));
    }

    // ---- by key ---------------------------------------------------------------------------------------------------

    @Test
    void getByKeyEveryReturnType() {
        // "b": insertion position 3, index 1 (reverse 3), value 50, rank 4 (reverse 0).
        assertNull(result(MAP_GET_BY_KEY, M, "b", NONE));
        assertEquals(1L, result(MAP_GET_BY_KEY, M, "b", INDEX));
        assertEquals(3L, result(MAP_GET_BY_KEY, M, "b", REVERSE_INDEX));
        assertEquals(4L, result(MAP_GET_BY_KEY, M, "b", RANK));
        assertEquals(0L, result(MAP_GET_BY_KEY, M, "b", REVERSE_RANK));
        assertEquals(1L, result(MAP_GET_BY_KEY, M, "b", COUNT));
        assertEquals("b", result(MAP_GET_BY_KEY, M, "b", KEY));
        assertEquals(50L, result(MAP_GET_BY_KEY, M, "b", VALUE));
        assertEntries(result(MAP_GET_BY_KEY, M, "b", KEY_VALUE), "b", 50L);
        assertEquals(true, result(MAP_GET_BY_KEY, M, "b", EXISTS));
        assertSame(M, run(MAP_GET_BY_KEY, M, "b", VALUE).map());
    }

    @Test
    void getByKeyOfAMissingKey() {
        assertNull(result(MAP_GET_BY_KEY, M, "zz", NONE));
        assertEquals(-1L, result(MAP_GET_BY_KEY, M, "zz", INDEX));
        assertEquals(-1L, result(MAP_GET_BY_KEY, M, "zz", REVERSE_INDEX));
        assertEquals(-1L, result(MAP_GET_BY_KEY, M, "zz", RANK));
        assertEquals(-1L, result(MAP_GET_BY_KEY, M, "zz", REVERSE_RANK));
        assertEquals(0L, result(MAP_GET_BY_KEY, M, "zz", COUNT));
        assertNull(result(MAP_GET_BY_KEY, M, "zz", KEY));
        assertNull(result(MAP_GET_BY_KEY, M, "zz", VALUE));
        assertEntries(result(MAP_GET_BY_KEY, M, "zz", KEY_VALUE));
        assertEquals(false, result(MAP_GET_BY_KEY, M, "zz", EXISTS));
        assertNull(result(MAP_GET_BY_KEY, map(), "zz", VALUE));
    }

    @Test
    void getByKeyMatchesByContentAndCanonicalType() {
        Map<Object, Object> m = map(new byte[] {1, 2, 3}, "bytes", 7L, "seven", 7.0, "double", true, "yes");
        assertEquals("bytes", result(MAP_GET_BY_KEY, m, new byte[] {1, 2, 3}, VALUE));
        assertEquals("seven", result(MAP_GET_BY_KEY, m, 7, VALUE));
        assertEquals("double", result(MAP_GET_BY_KEY, m, 7.0f, VALUE));
        assertEquals("yes", result(MAP_GET_BY_KEY, m, true, VALUE));
        assertNull(result(MAP_GET_BY_KEY, m, new byte[] {1, 2}, VALUE));
        // Key order: true (boolean) < 7 (integer) < bytes < 7.0 (double).
        assertEquals(2L, result(MAP_GET_BY_KEY, m, new byte[] {1, 2, 3}, INDEX));
        assertEquals(0L, result(MAP_GET_BY_KEY, m, true, INDEX));
    }

    @Test
    void getByKeyChecksItsArguments() {
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(MAP_GET_BY_KEY, M, "a", VALUE | INVERTED));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_GET_BY_KEY, M, null, VALUE));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_GET_BY_KEY, M, List.of("a"), VALUE));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_GET_BY_KEY, M, "a"));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_GET_BY_KEY, M, "a", "VALUE"));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_GET_BY_KEY, M, "a", 9L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_GET_BY_KEY, M, "a", 16L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_GET_BY_KEY, M, "a", 0x20000L | VALUE));
        // Arguments are checked even when the bin is absent.
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_GET_BY_KEY, null, "a", 100L));
    }

    @Test
    void removeByKeyAsInTheJavaClientsRemoveTest() {
        Map<Object, Object> m = map("Charlie", 55L, "Jim", 98L, "John", 76L, "Harry", 82L, "Sally", 79L,
                "Lenny", 84L, "Abe", 88L);
        Applied missing = run(MAP_REMOVE_BY_KEY, m, "NOTFOUND", VALUE);
        assertNull(missing.result());
        assertSame(m, missing.map());
        Applied jim = run(MAP_REMOVE_BY_KEY, m, "Jim", VALUE);
        assertEquals(98L, jim.result());
        assertStored(map("Charlie", 55L, "John", 76L, "Harry", 82L, "Sally", 79L, "Lenny", 84L, "Abe", 88L), jim);
        Applied list = run(MAP_REMOVE_BY_KEY_LIST, jim.map(), List.of("Sally", "UNKNOWN", "Lenny"), COUNT);
        assertEquals(2L, list.result());
        Applied value = run(MAP_REMOVE_BY_VALUE, list.map(), 55L, KEY);
        assertEquals(list("Charlie"), value.result());
        assertEquals(3L, result(MAP_SIZE, value.map()));
    }

    @Test
    void removeByKeyRemovesTheLastEntryToAnEmptyMap() {
        Applied a = run(MAP_REMOVE_BY_KEY, map(new byte[] {4}, 1L), new byte[] {4}, KEY_VALUE);
        assertStored(map(), a);
        assertEquals(1, ((Map<?, ?>) a.result()).size());
    }

    // ---- by key list ----------------------------------------------------------------------------------------------

    @Test
    void getByKeyListListsEntriesInKeyOrderAndIndexesInListOrder() {
        List<Object> keys = List.of("e", "a", "zz");
        assertEquals(list("a", "e"), result(MAP_GET_BY_KEY_LIST, M, keys, KEY));
        assertEquals(longs(10, 20), result(MAP_GET_BY_KEY_LIST, M, keys, VALUE));
        assertEntries(result(MAP_GET_BY_KEY_LIST, M, keys, KEY_VALUE), "a", 10L, "e", 20L);
        assertEquals(2L, result(MAP_GET_BY_KEY_LIST, M, keys, COUNT));
        assertEquals(true, result(MAP_GET_BY_KEY_LIST, M, keys, EXISTS));
        assertNull(result(MAP_GET_BY_KEY_LIST, M, keys, NONE));
        assertEquals(longs(4, 0), result(MAP_GET_BY_KEY_LIST, M, keys, INDEX));
        assertEquals(longs(0, 4), result(MAP_GET_BY_KEY_LIST, M, keys, REVERSE_INDEX));
        assertEquals(false, result(MAP_GET_BY_KEY_LIST, M, List.of("q"), EXISTS));
    }

    @Test
    void getByKeyListInverted() {
        List<Object> keys = List.of("e", "a", "zz");
        assertEquals(list("b", "c", "d"), result(MAP_GET_BY_KEY_LIST, M, keys, KEY | INVERTED));
        assertEquals(3L, result(MAP_GET_BY_KEY_LIST, M, keys, COUNT | INVERTED));
        assertEquals(longs(1, 2, 3), result(MAP_GET_BY_KEY_LIST, M, keys, INDEX | INVERTED));
        assertEquals(longs(3, 2, 1), result(MAP_GET_BY_KEY_LIST, M, keys, REVERSE_INDEX | INVERTED));
        assertEquals(false, result(MAP_GET_BY_KEY_LIST, M, List.of("a", "b", "c", "d", "e"), EXISTS | INVERTED));
    }

    @Test
    void getByKeyListCountsARepeatedKeyOnce() {
        assertEquals(1L, result(MAP_GET_BY_KEY_LIST, M, List.of("a", "a"), COUNT));
        assertEquals(longs(0), result(MAP_GET_BY_KEY_LIST, M, List.of("a", "a"), INDEX));
        assertEquals(list(new byte[] {1}).size(),
                ((List<?>) result(MAP_GET_BY_KEY_LIST, map(new byte[] {1}, 1L),
                        List.of(new byte[] {1}, new byte[] {1}), KEY)).size());
    }

    @Test
    void getByKeyListWithNoKeys() {
        assertEquals(list(), result(MAP_GET_BY_KEY_LIST, M, List.of(), VALUE));
        assertEquals(0L, result(MAP_GET_BY_KEY_LIST, M, List.of(), COUNT));
        assertEquals(list(), result(MAP_GET_BY_KEY_LIST, M, List.of(), INDEX));
        assertEntries(result(MAP_GET_BY_KEY_LIST, M, List.of(), KEY_VALUE));
        // Everything but nothing: the whole map, in key order.
        assertEquals(longs(10, 50, 30, 40, 20), result(MAP_GET_BY_KEY_LIST, M, List.of(), VALUE | INVERTED));
    }

    @Test
    void keyListsRefuseRankResults() {
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(MAP_GET_BY_KEY_LIST, M, List.of("a"), RANK));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(MAP_REMOVE_BY_KEY_LIST, M, List.of(), REVERSE_RANK));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_GET_BY_KEY_LIST, M, "a", VALUE));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_GET_BY_KEY_LIST, M, list("a", null), VALUE));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_GET_BY_KEY_LIST, M, List.of(List.of()), VALUE));
    }

    @Test
    void removeByKeyList() {
        Applied a = run(MAP_REMOVE_BY_KEY_LIST, M, List.of("e", "a"), KEY_VALUE);
        assertEntries(a.result(), "a", 10L, "e", 20L);
        assertStored(map("c", 30L, "b", 50L, "d", 40L), a);
        Applied inverted = run(MAP_REMOVE_BY_KEY_LIST, M, List.of("e", "a"), NONE | INVERTED);
        assertNull(inverted.result());
        assertStored(map("a", 10L, "e", 20L), inverted);
        assertSame(M, run(MAP_REMOVE_BY_KEY_LIST, M, List.of("q"), COUNT).map());
    }

    // ---- by key range ---------------------------------------------------------------------------------------------

    @Test
    void getByKeyRangeEndIsExclusive() {
        // ["b", "d"): b (index 1, rank 4) and c (index 2, rank 2).
        assertEquals(list("b", "c"), result(MAP_GET_BY_KEY_RANGE, M, "b", "d", KEY));
        assertEquals(longs(50, 30), result(MAP_GET_BY_KEY_RANGE, M, "b", "d", VALUE));
        assertEntries(result(MAP_GET_BY_KEY_RANGE, M, "b", "d", KEY_VALUE), "b", 50L, "c", 30L);
        assertEquals(2L, result(MAP_GET_BY_KEY_RANGE, M, "b", "d", COUNT));
        assertEquals(true, result(MAP_GET_BY_KEY_RANGE, M, "b", "d", EXISTS));
        assertEquals(longs(1, 2), result(MAP_GET_BY_KEY_RANGE, M, "b", "d", INDEX));
        assertEquals(longs(2, 3), result(MAP_GET_BY_KEY_RANGE, M, "b", "d", REVERSE_INDEX));
        assertEquals(longs(4, 2), result(MAP_GET_BY_KEY_RANGE, M, "b", "d", RANK));
        assertEquals(longs(0, 2), result(MAP_GET_BY_KEY_RANGE, M, "b", "d", REVERSE_RANK));
        assertEquals(list("b", "c"), result(MAP_GET_BY_KEY_RANGE, M, "aa", "cc", KEY));
    }

    @Test
    void getByKeyRangeOpenEnds() {
        assertEquals(list("a", "b"), result(MAP_GET_BY_KEY_RANGE, M, null, "c", KEY));
        assertEquals(list("c", "d", "e"), result(MAP_GET_BY_KEY_RANGE, M, "c", null, KEY));
        assertEquals(list("a", "b", "c", "d", "e"), result(MAP_GET_BY_KEY_RANGE, M, null, null, KEY));
        // The whole map answers 0..n-1 for RANK (packed_map_get_remove_all), not each entry's rank.
        assertEquals(longs(0, 1, 2, 3, 4), result(MAP_GET_BY_KEY_RANGE, M, null, null, RANK));
        assertEquals(longs(0, 1, 2, 3, 4), result(MAP_GET_BY_KEY_RANGE, M, null, null, REVERSE_INDEX));
    }

    @Test
    void getByKeyRangeSelectingNothing() {
        assertEquals(list(), result(MAP_GET_BY_KEY_RANGE, M, "d", "b", KEY));
        assertEquals(list(), result(MAP_GET_BY_KEY_RANGE, M, "x", null, INDEX));
        assertEquals(0L, result(MAP_GET_BY_KEY_RANGE, M, "ba", "bb", COUNT));
        assertEntries(result(MAP_GET_BY_KEY_RANGE, M, "ba", "bb", KEY_VALUE));
        assertEquals(list(), result(MAP_GET_BY_KEY_RANGE, map(), null, null, VALUE));
    }

    @Test
    void getByKeyRangeAcrossKeyTypes() {
        Map<Object, Object> m = map("a", 1L, 5L, 2L, new byte[] {0}, 3L, 2.5, 4L, false, 5L);
        // Key order: false < 5 < "a" < bytes < 2.5.
        assertEquals(longs(5, 2), result(MAP_GET_BY_KEY_RANGE, m, null, "a", VALUE));
        assertEquals(longs(1, 3), result(MAP_GET_BY_KEY_RANGE, m, "a", 0.0, VALUE));
        assertEquals(longs(2), result(MAP_GET_BY_KEY_RANGE, m, 0, 10, VALUE));
    }

    @Test
    void getByKeyRangeInverted() {
        // A window in the middle: the rest in key order; INDEX numbers each segment ascending.
        assertEquals(list("a", "d", "e"), result(MAP_GET_BY_KEY_RANGE, M, "b", "d", KEY | INVERTED));
        assertEquals(longs(0, 3, 4), result(MAP_GET_BY_KEY_RANGE, M, "b", "d", INDEX | INVERTED));
        assertEquals(longs(4, 0, 1), result(MAP_GET_BY_KEY_RANGE, M, "b", "d", REVERSE_INDEX | INVERTED));
        assertEquals(longs(0, 3, 1), result(MAP_GET_BY_KEY_RANGE, M, "b", "d", RANK | INVERTED));
        assertEquals(3L, result(MAP_GET_BY_KEY_RANGE, M, "b", "d", COUNT | INVERTED));
        // A window at an end: the plain window of the rest.
        assertEquals(longs(0, 1, 2), result(MAP_GET_BY_KEY_RANGE, M, null, "c", REVERSE_INDEX | INVERTED));
        assertEquals(list("c", "d", "e"), result(MAP_GET_BY_KEY_RANGE, M, null, "c", KEY | INVERTED));
        assertEquals(list(), result(MAP_GET_BY_KEY_RANGE, M, null, null, KEY | INVERTED));
        assertEquals(false, result(MAP_GET_BY_KEY_RANGE, M, null, null, EXISTS | INVERTED));
        assertEquals(5L, result(MAP_GET_BY_KEY_RANGE, M, "d", "b", COUNT | INVERTED));
    }

    @Test
    void removeByKeyRange() {
        Map<Object, Object> m = map("Charlie", 55L, "Jim", 98L, "John", 76L, "Harry", 82L, "Sally", 79L,
                "Lenny", 84L, "Abe", 88L);
        Applied a = run(MAP_REMOVE_BY_KEY_RANGE, m, "J", "K", COUNT);
        assertEquals(2L, a.result());
        assertStored(map("Charlie", 55L, "Harry", 82L, "Sally", 79L, "Lenny", 84L, "Abe", 88L), a);
        Applied inverted = run(MAP_REMOVE_BY_KEY_RANGE, M, "b", "d", VALUE | INVERTED);
        assertEquals(longs(10, 40, 20), inverted.result());
        assertStored(map("c", 30L, "b", 50L), inverted);
        assertSame(M, run(MAP_REMOVE_BY_KEY_RANGE, M, "x", null, COUNT).map());
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_REMOVE_BY_KEY_RANGE, M, "b", "d"));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_REMOVE_BY_KEY_RANGE, M, new Object(), "d", COUNT));
    }

    // ---- by index -------------------------------------------------------------------------------------------------

    @Test
    void getByIndexFollowsKeyOrder() {
        assertEquals("a", result(MAP_GET_BY_INDEX, M, 0, KEY));
        assertEquals("e", result(MAP_GET_BY_INDEX, M, -1, KEY));
        assertEquals(40L, result(MAP_GET_BY_INDEX, M, -2, VALUE));
        assertEquals(1L, result(MAP_GET_BY_INDEX, M, 1, INDEX));
        assertEquals(3L, result(MAP_GET_BY_INDEX, M, 1, REVERSE_INDEX));
        assertEquals(4L, result(MAP_GET_BY_INDEX, M, 1, RANK));
        assertEquals(0L, result(MAP_GET_BY_INDEX, M, 1, REVERSE_RANK));
        assertEquals(1L, result(MAP_GET_BY_INDEX, M, 1, COUNT));
        assertEquals(true, result(MAP_GET_BY_INDEX, M, 1, EXISTS));
        assertNull(result(MAP_GET_BY_INDEX, M, 1, NONE));
        assertEntries(result(MAP_GET_BY_INDEX, M, 1, KEY_VALUE), "b", 50L);
        assertEquals(0L, result(MAP_GET_BY_INDEX, map("k", 1L), 0, REVERSE_INDEX));
    }

    @Test
    void getByIndexOutOfBoundsIsNotApplicable() {
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(MAP_GET_BY_INDEX, M, 5, VALUE));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(MAP_GET_BY_INDEX, M, -6, VALUE));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(MAP_GET_BY_INDEX, map(), 0, VALUE));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(MAP_REMOVE_BY_INDEX, M, Long.MAX_VALUE, VALUE));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(MAP_GET_BY_INDEX, M, 0, VALUE | INVERTED));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_GET_BY_INDEX, M, 0.0, VALUE));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_GET_BY_INDEX, M, "0", VALUE));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_GET_BY_INDEX, M, 0, 1L, VALUE));
    }

    @Test
    void getByIndexRange() {
        assertEquals(list("b", "c"), result(MAP_GET_BY_INDEX_RANGE, M, 1, 2, KEY));
        assertEntries(result(MAP_GET_BY_INDEX_RANGE, M, 1, 2, KEY_VALUE), "b", 50L, "c", 30L);
        assertEquals(longs(1, 2), result(MAP_GET_BY_INDEX_RANGE, M, 1, 2, INDEX));
        assertEquals(longs(2, 3), result(MAP_GET_BY_INDEX_RANGE, M, 1, 2, REVERSE_INDEX));
        assertEquals(longs(4, 2), result(MAP_GET_BY_INDEX_RANGE, M, 1, 2, RANK));
        assertEquals(longs(0, 2), result(MAP_GET_BY_INDEX_RANGE, M, 1, 2, REVERSE_RANK));
        assertEquals(list("d", "e"), result(MAP_GET_BY_INDEX_RANGE, M, 3, KEY), "no count: to the end");
        assertEquals(list("d", "e"), result(MAP_GET_BY_INDEX_RANGE, M, -2, KEY));
        assertEquals(list("d", "e"), result(MAP_GET_BY_INDEX_RANGE, M, 3, 100, KEY), "a count past the end");
        assertEquals(list("a"), result(MAP_GET_BY_INDEX_RANGE, M, -7, 3, KEY), "only the part inside the map");
        assertEquals(list(), result(MAP_GET_BY_INDEX_RANGE, M, -9, 3, KEY));
        assertEquals(list(), result(MAP_GET_BY_INDEX_RANGE, M, 5, 1, KEY));
        assertEquals(list(), result(MAP_GET_BY_INDEX_RANGE, M, 1, 0, INDEX));
        assertEquals(0L, result(MAP_GET_BY_INDEX_RANGE, M, 10, COUNT));
        assertInstanceOf(ArrayList.class, result(MAP_GET_BY_INDEX_RANGE, M, 0, VALUE));
    }

    @Test
    void getByIndexRangeInverted() {
        assertEquals(list("a", "d", "e"), result(MAP_GET_BY_INDEX_RANGE, M, 1, 2, KEY | INVERTED));
        assertEquals(longs(0, 3, 4), result(MAP_GET_BY_INDEX_RANGE, M, 1, 2, INDEX | INVERTED));
        assertEquals(longs(0, 3, 1), result(MAP_GET_BY_INDEX_RANGE, M, 1, 2, RANK | INVERTED));
        assertEquals(longs(4, 1, 3), result(MAP_GET_BY_INDEX_RANGE, M, 1, 2, REVERSE_RANK | INVERTED));
        assertEquals(list("c", "d", "e"), result(MAP_GET_BY_INDEX_RANGE, M, 0, 2, KEY | INVERTED));
        assertEquals(list("a", "b", "c"), result(MAP_GET_BY_INDEX_RANGE, M, 3, 10, KEY | INVERTED));
        assertEquals(list(), result(MAP_GET_BY_INDEX_RANGE, M, 0, 5, KEY | INVERTED));
        assertEquals(5L, result(MAP_GET_BY_INDEX_RANGE, M, 1, 0, COUNT | INVERTED));
        assertEquals(5L, result(MAP_GET_BY_INDEX_RANGE, M, 9, COUNT | INVERTED));
    }

    @Test
    void getByIndexRangeChecksItsArguments() {
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_GET_BY_INDEX_RANGE, M, 0, -1, KEY));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_GET_BY_INDEX_RANGE, M, 0, "1", KEY));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_GET_BY_INDEX_RANGE, M, 0));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_GET_BY_INDEX_RANGE, M, 0, 1, KEY, 1));
    }

    @Test
    void removeByIndexAndIndexRange() {
        Applied one = run(MAP_REMOVE_BY_INDEX, M, -1, KEY_VALUE);
        assertEntries(one.result(), "e", 20L);
        assertStored(map("c", 30L, "a", 10L, "b", 50L, "d", 40L), one);
        Applied range = run(MAP_REMOVE_BY_INDEX_RANGE, M, 0, 2, COUNT);
        assertEquals(2L, range.result());
        assertStored(map("c", 30L, "e", 20L, "d", 40L), range);
        Applied inverted = run(MAP_REMOVE_BY_INDEX_RANGE, M, 1, 2, KEY | INVERTED);
        assertEquals(list("a", "d", "e"), inverted.result());
        assertStored(map("c", 30L, "b", 50L), inverted);
        Applied all = run(MAP_REMOVE_BY_INDEX_RANGE, M, 0, NONE);
        assertStored(map(), all);
        assertSame(M, run(MAP_REMOVE_BY_INDEX_RANGE, M, 5, COUNT).map());
    }

    // ---- by rank --------------------------------------------------------------------------------------------------

    @Test
    void getByRankFollowsValueOrder() {
        assertEquals("a", result(MAP_GET_BY_RANK, M, 0, KEY));
        assertEquals("b", result(MAP_GET_BY_RANK, M, -1, KEY));
        assertEquals(20L, result(MAP_GET_BY_RANK, M, 1, VALUE));
        assertEquals(4L, result(MAP_GET_BY_RANK, M, 1, INDEX));
        assertEquals(0L, result(MAP_GET_BY_RANK, M, 1, REVERSE_INDEX));
        assertEquals(1L, result(MAP_GET_BY_RANK, M, 1, RANK));
        assertEquals(3L, result(MAP_GET_BY_RANK, M, 1, REVERSE_RANK));
        assertEntries(result(MAP_GET_BY_RANK, M, -2, KEY_VALUE), "d", 40L);
        assertEquals(1L, result(MAP_GET_BY_RANK, M, 0, COUNT));
        assertEquals(true, result(MAP_GET_BY_RANK, M, 0, EXISTS));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(MAP_GET_BY_RANK, M, 5, KEY));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(MAP_GET_BY_RANK, M, -6, KEY));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(MAP_GET_BY_RANK, map(), 0, KEY));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(MAP_GET_BY_RANK, M, 0, KEY | INVERTED));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_GET_BY_RANK, M, null, KEY));
    }

    @Test
    void equalValuesAreRankedByKey() {
        assertEquals("m", result(MAP_GET_BY_RANK, T, 1, KEY));
        assertEquals("x", result(MAP_GET_BY_RANK, T, 2, KEY));
        assertEquals(2L, result(MAP_GET_BY_KEY, T, "x", RANK));
        assertEquals(3L, result(MAP_GET_BY_KEY, T, "a", RANK));
        assertEquals(list("m", "x", "a"), result(MAP_GET_BY_RANK_RANGE, T, 1, 3, KEY));
    }

    @Test
    void rankExamplesOfTheJavaClientsTest() {
        assertEquals(list("Harry", "Jim"), result(MAP_GET_BY_RANK_RANGE, SCORES, -2, 2, KEY));
        assertEntries(result(MAP_GET_BY_RANK_RANGE, SCORES, 0, 2, KEY_VALUE), "Charlie", 55L, "John", 81L);
        assertEquals(55L, result(MAP_GET_BY_RANK, SCORES, 0, VALUE));
        assertEquals("Harry", result(MAP_GET_BY_RANK, SCORES, 2, KEY));
        assertEquals(list(), result(MAP_GET_BY_VALUE, SCORES, 77L, KEY));
        assertEquals(longs(1), result(MAP_GET_BY_VALUE, SCORES, 81L, RANK));
        assertEquals(0L, result(MAP_GET_BY_KEY, SCORES, "Charlie", RANK));
        assertEquals(3L, result(MAP_GET_BY_KEY, SCORES, "Charlie", REVERSE_RANK));
    }

    @Test
    void getByRankRangeListsInRankOrder() {
        // Ranks 1..3: e (20), c (30), d (40).
        assertEquals(list("e", "c", "d"), result(MAP_GET_BY_RANK_RANGE, M, 1, 3, KEY));
        assertEquals(longs(20, 30, 40), result(MAP_GET_BY_RANK_RANGE, M, 1, 3, VALUE));
        assertEntries(result(MAP_GET_BY_RANK_RANGE, M, 1, 3, KEY_VALUE), "e", 20L, "c", 30L, "d", 40L);
        assertEquals(longs(4, 2, 3), result(MAP_GET_BY_RANK_RANGE, M, 1, 3, INDEX));
        assertEquals(longs(0, 2, 1), result(MAP_GET_BY_RANK_RANGE, M, 1, 3, REVERSE_INDEX));
        assertEquals(longs(1, 2, 3), result(MAP_GET_BY_RANK_RANGE, M, 1, 3, RANK));
        assertEquals(longs(1, 2, 3), result(MAP_GET_BY_RANK_RANGE, M, 1, 3, REVERSE_RANK));
        assertEquals(3L, result(MAP_GET_BY_RANK_RANGE, M, 1, 3, COUNT));
        assertEquals(list("d", "b"), result(MAP_GET_BY_RANK_RANGE, M, -2, KEY), "no count: to the end");
        assertEquals(list("a", "e"), result(MAP_GET_BY_RANK_RANGE, M, -7, 4, KEY));
        assertEquals(list(), result(MAP_GET_BY_RANK_RANGE, M, 5, KEY));
        assertEquals(list(), result(MAP_GET_BY_RANK_RANGE, M, 0, 0, RANK));
        assertEquals(false, result(MAP_GET_BY_RANK_RANGE, M, 0, 0, EXISTS));
    }

    @Test
    void getByRankRangeInverted() {
        // A window in the middle: the rest in key order (a, b); RANK numbers each segment ascending.
        assertEquals(list("a", "b"), result(MAP_GET_BY_RANK_RANGE, M, 1, 3, KEY | INVERTED));
        assertEquals(longs(0, 1), result(MAP_GET_BY_RANK_RANGE, M, 1, 3, INDEX | INVERTED));
        assertEquals(longs(4, 3), result(MAP_GET_BY_RANK_RANGE, M, 1, 3, REVERSE_INDEX | INVERTED));
        assertEquals(longs(0, 4), result(MAP_GET_BY_RANK_RANGE, M, 1, 3, RANK | INVERTED));
        assertEquals(longs(4, 0), result(MAP_GET_BY_RANK_RANGE, M, 1, 3, REVERSE_RANK | INVERTED));
        assertEquals(2L, result(MAP_GET_BY_RANK_RANGE, M, 1, 3, COUNT | INVERTED));
        assertEquals(true, result(MAP_GET_BY_RANK_RANGE, M, 1, 3, EXISTS | INVERTED));
        // A window at an end: the plain rank window of the rest, in rank order.
        assertEquals(list("c", "d", "b"), result(MAP_GET_BY_RANK_RANGE, M, 0, 2, KEY | INVERTED));
        assertEquals(list("a", "e", "c"), result(MAP_GET_BY_RANK_RANGE, M, -2, KEY | INVERTED));
        assertEquals(list("a", "e", "c", "d", "b"), result(MAP_GET_BY_RANK_RANGE, M, 9, KEY | INVERTED));
        assertEquals(list(), result(MAP_GET_BY_RANK_RANGE, M, 0, KEY | INVERTED));
    }

    @Test
    void removeByRankAndRankRange() {
        Applied one = run(MAP_REMOVE_BY_RANK, M, -1, KEY);
        assertEquals("b", one.result());
        assertStored(map("c", 30L, "a", 10L, "e", 20L, "d", 40L), one);
        Applied range = run(MAP_REMOVE_BY_RANK_RANGE, M, 0, 2, VALUE);
        assertEquals(longs(10, 20), range.result());
        assertStored(map("c", 30L, "b", 50L, "d", 40L), range);
        Applied inverted = run(MAP_REMOVE_BY_RANK_RANGE, M, 1, 3, COUNT | INVERTED);
        assertEquals(2L, inverted.result());
        assertStored(map("c", 30L, "e", 20L, "d", 40L), inverted);
        assertSame(M, run(MAP_REMOVE_BY_RANK_RANGE, M, 5, COUNT).map());
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(MAP_REMOVE_BY_RANK, M, 5, KEY));
    }

    // ---- by value -------------------------------------------------------------------------------------------------

    @Test
    void getByValueSelectsEveryEqualValueInKeyOrder() {
        // Value 1: m (index 3, rank 1) and x (index 4, rank 2).
        assertEquals(list("m", "x"), result(MAP_GET_BY_VALUE, T, 1L, KEY));
        assertEquals(longs(1, 1), result(MAP_GET_BY_VALUE, T, 1, VALUE));
        assertEntries(result(MAP_GET_BY_VALUE, T, 1L, KEY_VALUE), "m", 1L, "x", 1L);
        assertEquals(2L, result(MAP_GET_BY_VALUE, T, 1L, COUNT));
        assertEquals(true, result(MAP_GET_BY_VALUE, T, 1L, EXISTS));
        assertEquals(longs(3, 4), result(MAP_GET_BY_VALUE, T, 1L, INDEX));
        assertEquals(longs(1, 0), result(MAP_GET_BY_VALUE, T, 1L, REVERSE_INDEX));
        assertEquals(longs(1, 2), result(MAP_GET_BY_VALUE, T, 1L, RANK));
        assertEquals(longs(2, 3), result(MAP_GET_BY_VALUE, T, 1L, REVERSE_RANK));
        assertEquals(longs(3, 4), result(MAP_GET_BY_VALUE, T, 2L, RANK));
        assertNull(result(MAP_GET_BY_VALUE, T, 1L, NONE));
    }

    @Test
    void getByValueOfAnAbsentValue() {
        assertEquals(list(), result(MAP_GET_BY_VALUE, T, 9L, KEY));
        assertEquals(list(), result(MAP_GET_BY_VALUE, T, 9L, RANK));
        assertEquals(list(), result(MAP_GET_BY_VALUE, T, 9L, INDEX));
        assertEquals(0L, result(MAP_GET_BY_VALUE, T, 9L, COUNT));
        assertEquals(false, result(MAP_GET_BY_VALUE, T, 9L, EXISTS));
        assertEntries(result(MAP_GET_BY_VALUE, T, 9L, KEY_VALUE));
        assertEquals(list(), result(MAP_GET_BY_VALUE, T, 1.0, KEY), "1.0 is not 1");
        assertEquals(list(), result(MAP_GET_BY_VALUE, map(), 1L, KEY | INVERTED));
    }

    @Test
    void getByValueInverted() {
        assertEquals(list("a", "b", "c"), result(MAP_GET_BY_VALUE, T, 1L, KEY | INVERTED));
        assertEquals(longs(0, 1, 2), result(MAP_GET_BY_VALUE, T, 1L, INDEX | INVERTED));
        assertEquals(longs(0, 3, 4), result(MAP_GET_BY_VALUE, T, 1L, RANK | INVERTED));
        assertEquals(3L, result(MAP_GET_BY_VALUE, T, 1L, COUNT | INVERTED));
        assertEquals(true, result(MAP_GET_BY_VALUE, T, 1L, EXISTS | INVERTED));
        // Every entry but none: the whole map, RANK 0..n-1.
        assertEquals(list("a", "b", "c", "m", "x"), result(MAP_GET_BY_VALUE, T, 9L, KEY | INVERTED));
        assertEquals(longs(0, 1, 2, 3, 4), result(MAP_GET_BY_VALUE, T, 9L, RANK | INVERTED));
    }

    @Test
    void getByValueMatchesNullAndContainersByContent() {
        Map<Object, Object> m = map("n", null, "l", List.of(1L, 2L), "b", new byte[] {5}, "m", Map.of("k", 1L));
        assertEquals(list("n"), result(MAP_GET_BY_VALUE, m, null, KEY));
        assertEquals(list("l"), result(MAP_GET_BY_VALUE, m, List.of(1, 2), KEY));
        assertEquals(list("b"), result(MAP_GET_BY_VALUE, m, new byte[] {5}, KEY));
        assertEquals(list("m"), result(MAP_GET_BY_VALUE, m, Map.of("k", 1), KEY));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_GET_BY_VALUE, m, new Object(), KEY));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_GET_BY_VALUE, m, 1L));
    }

    @Test
    void removeByValue() {
        Applied a = run(MAP_REMOVE_BY_VALUE, T, 2L, KEY_VALUE);
        assertEntries(a.result(), "a", 2L, "b", 2L);
        assertStored(map("x", 1L, "m", 1L, "c", 0L), a);
        Applied inverted = run(MAP_REMOVE_BY_VALUE, T, 2L, COUNT | INVERTED);
        assertEquals(3L, inverted.result());
        assertStored(map("a", 2L, "b", 2L), inverted);
        assertSame(T, run(MAP_REMOVE_BY_VALUE, T, 7L, COUNT).map());
        assertStored(map(), run(MAP_REMOVE_BY_VALUE, T, 7L, NONE | INVERTED));
    }

    // ---- absent bin, unknown operations ---------------------------------------------------------------------------

    @Test
    void operationsOnAnAbsentBin() {
        Object[][] reads = {
                {MAP_GET_BY_KEY, new Object[] {"a", VALUE}},
                {MAP_GET_BY_KEY_LIST, new Object[] {List.of("a"), RANK}},
                {MAP_GET_BY_KEY_RANGE, new Object[] {null, null, COUNT}},
                {MAP_GET_BY_INDEX, new Object[] {0, VALUE | INVERTED}},
                {MAP_GET_BY_INDEX_RANGE, new Object[] {0, COUNT}},
                {MAP_GET_BY_RANK, new Object[] {7, VALUE}},
                {MAP_GET_BY_RANK_RANGE, new Object[] {0, 1, COUNT}},
                {MAP_GET_BY_VALUE, new Object[] {1L, EXISTS}},
                {MAP_REMOVE_BY_KEY, new Object[] {"a", VALUE}},
                {MAP_REMOVE_BY_KEY_LIST, new Object[] {List.of("a"), COUNT}},
                {MAP_REMOVE_BY_KEY_RANGE, new Object[] {null, null, COUNT}},
                {MAP_REMOVE_BY_INDEX, new Object[] {0, VALUE}},
                {MAP_REMOVE_BY_INDEX_RANGE, new Object[] {0, COUNT}},
                {MAP_REMOVE_BY_RANK, new Object[] {0, VALUE}},
                {MAP_REMOVE_BY_RANK_RANGE, new Object[] {0, COUNT}},
                {MAP_REMOVE_BY_VALUE, new Object[] {1L, COUNT}},
                {MAP_SIZE, new Object[] {}},
                {MAP_CLEAR, new Object[] {}},
        };
        for (Object[] r : reads) {
            Applied a = run((OpCode) r[0], null, (Object[]) r[1]);
            assertNull(a.map(), () -> r[0] + " keeps the bin absent");
            assertNull(a.result(), () -> r[0] + " answers null");
        }
    }

    @Test
    void aNonMapOperationIsAParameterError() {
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_APPEND, M, 1L, 0L));
    }

    @Test
    void resultsAreFreshCollectionsOfTheDocumentedTypes() {
        Object values = result(MAP_GET_BY_KEY_RANGE, M, null, null, VALUE);
        assertInstanceOf(ArrayList.class, values);
        ((List<Object>) values).add("mutable");
        Object entries = result(MAP_GET_BY_INDEX, M, 0, KEY_VALUE);
        assertInstanceOf(LinkedHashMap.class, entries);
        assertInstanceOf(Long.class, result(MAP_GET_BY_KEY, M, "a", INDEX));
        assertInstanceOf(Boolean.class, result(MAP_GET_BY_KEY, M, "a", EXISTS));
        assertFalse(((Map<?, ?>) entries).isEmpty());
        assertEquals(5L, result(MAP_SIZE, M));
    }

    // ---- key-ordered maps ---------------------------------------------------------------------------------------

    private static Map<Object, Object> keyOrdered(Map<Object, Object> entries) {
        TreeMap<Object, Object> sorted = new TreeMap<>(ValueOrder.ORDER);
        sorted.putAll(entries);
        return Collections.unmodifiableSortedMap(sorted);
    }

    @Test
    void aKeyOrderedMapStoresItsEntriesInKeyOrder() {
        Map<Object, Object> k = keyOrdered(map("c", 3L, "a", 1L));
        Applied put = run(MAP_PUT, k, "b", 2L, 0L);
        assertInstanceOf(SortedMap.class, put.map());
        assertStored(map("a", 1L, "b", 2L, "c", 3L), put);
        assertEquals(3L, put.result());
        assertStored(map("a", 1L, "b", 2L, "c", 3L, "d", 4L),
                run(MAP_PUT_ITEMS, k, map("d", 4L, "b", 2L), 0L));
        Applied inc = run(MAP_INCREMENT, k, "b", 5L, 0L);
        assertStored(map("a", 1L, "b", 5L, "c", 3L), inc);
        assertInstanceOf(SortedMap.class, run(MAP_REMOVE_BY_KEY, k, "a", NONE).map());
        Applied cleared = run(MAP_CLEAR, k);
        assertInstanceOf(SortedMap.class, cleared.map(), "clear keeps the map's order");
        assertTrue(cleared.map().isEmpty());
    }

    @Test
    void anAbsentBinBecomesAMapOfTheOrderItsOperationNames() {
        Applied ordered = run(MAP_PUT, null, "z", 1L, 0L, MapOps.KEY_ORDERED);
        assertInstanceOf(SortedMap.class, ordered.map());
        assertStored(map("a", 2L, "z", 1L), run(MAP_PUT, ordered.map(), "a", 2L, 0L));
        assertInstanceOf(SortedMap.class, run(MAP_PUT_ITEMS, null, map("b", 1L), 0L, 1L).map());
        assertInstanceOf(SortedMap.class, run(MAP_INCREMENT, null, "b", 1L, 0L, 1L).map());
        Applied unordered = run(MAP_PUT_ITEMS, null, map("z", 1L, "a", 2L), 0L, MapOps.UNORDERED);
        assertFalse(unordered.map() instanceof SortedMap);
        assertStored(map("z", 1L, "a", 2L), unordered);
        // An existing map keeps its own order whatever the operation names.
        Applied kept = run(MAP_PUT, M, "f", 60L, 0L, MapOps.KEY_ORDERED);
        assertFalse(kept.map() instanceof SortedMap);
        assertEquals(List.of("c", "a", "e", "b", "d", "f"), keysOf(kept.map()));
    }

    @Test
    void setOrderSortsKeepsOrCreates() {
        Applied sorted = run(OpCode.MAP_SET_ORDER, M, MapOps.KEY_ORDERED);
        assertInstanceOf(SortedMap.class, sorted.map());
        assertStored(map("a", 10L, "b", 50L, "c", 30L, "d", 40L, "e", 20L), sorted);
        assertNull(sorted.result());
        Applied back = run(OpCode.MAP_SET_ORDER, sorted.map(), MapOps.UNORDERED);
        assertFalse(back.map() instanceof SortedMap);
        assertStored(map("a", 10L, "b", 50L, "c", 30L, "d", 40L, "e", 20L), back);
        assertEquals(List.of("a", "b", "c", "d", "e", "f"), keysOf(run(MAP_PUT, back.map(), "f", 1L, 0L).map()),
                "an unordered map appends new keys again");
        assertSame(M, run(OpCode.MAP_SET_ORDER, M, MapOps.UNORDERED).map(), "the same order changes nothing");
        Applied created = run(OpCode.MAP_SET_ORDER, null, MapOps.KEY_ORDERED);
        assertInstanceOf(SortedMap.class, created.map());
        assertTrue(created.map().isEmpty());
        assertFalse(run(OpCode.MAP_SET_ORDER, null, MapOps.UNORDERED).map() instanceof SortedMap);
    }

    @Test
    void onlyUnorderedAndKeyOrderedAreAccepted() {
        assertEquals(ResultCode.PARAMETER_ERROR, failure(OpCode.MAP_SET_ORDER, M, 3L), "KEY_VALUE_ORDERED");
        assertEquals(ResultCode.PARAMETER_ERROR, failure(OpCode.MAP_SET_ORDER, M, 2L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_PUT, null, "k", 1L, 0L, 3L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_PUT, M, "k", 1L, 0L, "ordered"));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(MAP_PUT, M, "k", 1L, 0L, 1L, 1L), "too many arguments");
    }

    @Test
    void aKeyOrderedMapAnswersExactlyAsAnUnorderedOne() {
        Map<Object, Object> k = keyOrdered(T);
        Object[][] reads = {
                {MAP_GET_BY_INDEX_RANGE, 1L, 3L, KEY_VALUE}, {MAP_GET_BY_RANK_RANGE, 0L, 4L, KEY},
                {MAP_GET_BY_VALUE, 2L, INDEX}, {MAP_GET_BY_KEY_RANGE, "b", "n", RANK},
                {MAP_GET_BY_KEY_LIST, list("x", "a"), VALUE}, {MAP_GET_BY_RANK, -1L, KEY_VALUE},
                {MAP_REMOVE_BY_INDEX_RANGE, 1L, 2L, VALUE | INVERTED}, {MAP_REMOVE_BY_VALUE, 1L, REVERSE_INDEX}};
        for (Object[] read : reads) {
            OpCode code = (OpCode) read[0];
            Object[] args = Arrays.copyOfRange(read, 1, read.length);
            Applied unordered = run(code, T, args);
            Applied ordered = run(code, k, args);
            assertTrue(BinValues.deepEquals(unordered.result(), ordered.result()), code + " " + Arrays.toString(args));
            if (code.isWrite()) {
                assertInstanceOf(SortedMap.class, ordered.map());
                assertTrue(BinValues.deepEquals(unordered.map(), ordered.map()), code.toString());
            }
        }
    }
}
