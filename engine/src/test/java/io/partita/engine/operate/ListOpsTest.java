package io.partita.engine.operate;

import io.partita.protocol.ReturnType;
import io.partita.protocol.OpCode;
import static io.partita.engine.operate.Longs.longs;
import static io.partita.protocol.OpCode.LIST_APPEND;
import static io.partita.protocol.OpCode.LIST_APPEND_ITEMS;
import static io.partita.protocol.OpCode.LIST_CLEAR;
import static io.partita.protocol.OpCode.LIST_GET_BY_INDEX;
import static io.partita.protocol.OpCode.LIST_GET_BY_INDEX_RANGE;
import static io.partita.protocol.OpCode.LIST_GET_BY_RANK;
import static io.partita.protocol.OpCode.LIST_GET_BY_RANK_RANGE;
import static io.partita.protocol.OpCode.LIST_GET_BY_VALUE;
import static io.partita.protocol.OpCode.LIST_GET_BY_VALUE_LIST;
import static io.partita.protocol.OpCode.LIST_INCREMENT;
import static io.partita.protocol.OpCode.LIST_INSERT;
import static io.partita.protocol.OpCode.LIST_INSERT_ITEMS;
import static io.partita.protocol.OpCode.LIST_POP;
import static io.partita.protocol.OpCode.LIST_POP_RANGE;
import static io.partita.protocol.OpCode.LIST_REMOVE_BY_INDEX;
import static io.partita.protocol.OpCode.LIST_REMOVE_BY_INDEX_RANGE;
import static io.partita.protocol.OpCode.LIST_REMOVE_BY_RANK;
import static io.partita.protocol.OpCode.LIST_REMOVE_BY_RANK_RANGE;
import static io.partita.protocol.OpCode.LIST_REMOVE_BY_VALUE;
import static io.partita.protocol.OpCode.LIST_REMOVE_BY_VALUE_LIST;
import static io.partita.protocol.OpCode.LIST_SET;
import static io.partita.protocol.OpCode.LIST_SIZE;
import static io.partita.protocol.OpCode.LIST_SORT;
import static io.partita.protocol.OpCode.LIST_TRIM;
import static io.partita.protocol.ReturnType.COUNT;
import static io.partita.protocol.ReturnType.EXISTS;
import static io.partita.protocol.ReturnType.INDEX;
import static io.partita.protocol.ReturnType.INVERTED;
import static io.partita.protocol.ReturnType.NONE;
import static io.partita.protocol.ReturnType.RANK;
import static io.partita.protocol.ReturnType.REVERSE_INDEX;
import static io.partita.protocol.ReturnType.REVERSE_RANK;
import static io.partita.protocol.ReturnType.VALUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.engine.operate.ListOps.Applied;
import io.partita.protocol.Limits;
import io.partita.protocol.ResultCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListOpsTest {
    private static final long ADD_UNIQUE = ListOps.ADD_UNIQUE;
    private static final long BOUNDED = ListOps.INSERT_BOUNDED;
    private static final long NO_FAIL = ListOps.NO_FAIL;
    private static final long PARTIAL = ListOps.PARTIAL;

    /**
     * The list of the Aerospike Python client's list tests. Index 0..5; reverse index 5..0; rank 2, 1, 0, 3, 4, 5;
     * reverse rank 3, 4, 5, 2, 1, 0.
     */
    private static final List<Object> B = list(7L, 6L, 5L, 8L, 9L, 10L);

    /** An unmodifiable list (as a stored bin value is), so that any write to an input fails the test. */
    private static List<Object> list(Object... values) {
        return Collections.unmodifiableList(new ArrayList<>(Arrays.asList(values)));
    }


    private static Applied run(OpCode code, List<Object> list, Object... args) {
        List<Object> before = list == null ? null : new ArrayList<>(list);
        try {
            Applied applied = ListOps.apply(Operation.of(code, "bin", args), list);
            assertEquals(before, list, "the input list must not change");
            return applied;
        } catch (OperateException e) {
            throw new AssertionError("unexpected " + e.code() + ": " + e.getMessage(), e);
        }
    }

    private static Object result(OpCode code, List<Object> list, Object... args) {
        return run(code, list, args).result();
    }

    private static ResultCode failure(OpCode code, List<Object> list, Object... args) {
        List<Object> before = list == null ? null : new ArrayList<>(list);
        OperateException e = assertThrows(OperateException.class,
                () -> ListOps.apply(Operation.of(code, "bin", args), list));
        assertTrue(e.getMessage().startsWith(code + " on bin 'bin': "), e.getMessage());
        assertEquals(before, list);
        return e.code();
    }

    private static void assertStored(List<Object> expected, Applied applied) {
        assertEquals(expected, applied.list());
        assertThrows(UnsupportedOperationException.class, () -> applied.list().add(1L), "stored lists are immutable");
    }

    // ---- append ---------------------------------------------------------------------------------------------------

    @Test
    void appendAddsAtTheEndAndAnswersTheNewSize() {
        Applied a = run(LIST_APPEND, B, 11L, 0L);
        assertEquals(7L, a.result());
        assertStored(list(7L, 6L, 5L, 8L, 9L, 10L, 11L), a);
    }

    @Test
    void appendToAnAbsentBinCreatesTheList() {
        Applied a = run(LIST_APPEND, null, "x", 0L);
        assertEquals(1L, a.result());
        assertStored(list("x"), a);
    }

    @Test
    void appendStoresCanonicalValuesAndAcceptsNull() {
        Applied a = run(LIST_APPEND, list(), 3, 0);
        assertInstanceOf(Long.class, a.list().get(0));
        assertEquals(list(3L), a.list());
        assertEquals(list((Object) null), run(LIST_APPEND, list(), null, 0L).list());
        Applied nested = run(LIST_APPEND, list(), List.of(1, Map.of("k", 2.5f)), 0L);
        assertEquals(list(List.of(1L, Map.of("k", 2.5))), nested.list());
        assertInstanceOf(Double.class, ((Map<?, ?>) ((List<?>) nested.list().get(0)).get(1)).get("k"));
    }

    @Test
    void appendUniqueRefusesAPresentValueUnlessNoFail() {
        assertEquals(ResultCode.ELEMENT_EXISTS, failure(LIST_APPEND, B, 7L, ADD_UNIQUE));
        Applied noop = run(LIST_APPEND, B, 7, ADD_UNIQUE | NO_FAIL);
        assertSame(B, noop.list());
        assertEquals(6L, noop.result());
        assertEquals(7L, result(LIST_APPEND, B, 11L, ADD_UNIQUE));
        // Integer and Double are different values: 7.0 is not 7.
        assertEquals(7L, result(LIST_APPEND, B, 7.0, ADD_UNIQUE));
    }

    @Test
    void appendItemsAppendsEveryItem() {
        Applied a = run(LIST_APPEND_ITEMS, list(1L), List.of(2L, "b"), 0L);
        assertEquals(3L, a.result());
        assertStored(list(1L, 2L, "b"), a);
    }

    @Test
    void appendItemsEmptyIsANoOpThatStillCreatesTheBin() {
        Applied onAbsent = run(LIST_APPEND_ITEMS, null, List.of(), 0L);
        assertEquals(0L, onAbsent.result());
        assertStored(list(), onAbsent);
        Applied onList = run(LIST_APPEND_ITEMS, B, List.of(), 0L);
        assertSame(B, onList.list());
        assertEquals(6L, onList.result());
    }

    @Test
    void appendItemsUniqueFlagCombinations() {
        List<Object> items = List.of(11L, 7L);
        assertEquals(ResultCode.ELEMENT_EXISTS, failure(LIST_APPEND_ITEMS, B, items, ADD_UNIQUE));
        // PARTIAL needs NO_FAIL to mean anything (the server's DO_PARTIAL is both bits).
        assertEquals(ResultCode.ELEMENT_EXISTS, failure(LIST_APPEND_ITEMS, B, items, ADD_UNIQUE | PARTIAL));
        Applied noop = run(LIST_APPEND_ITEMS, B, items, ADD_UNIQUE | NO_FAIL);
        assertSame(B, noop.list());
        assertEquals(6L, noop.result());
        Applied partial = run(LIST_APPEND_ITEMS, B, items, ADD_UNIQUE | NO_FAIL | PARTIAL);
        assertEquals(7L, partial.result());
        assertStored(list(7L, 6L, 5L, 8L, 9L, 10L, 11L), partial);
        Applied allPresent = run(LIST_APPEND_ITEMS, B, List.of(5L, 6L), ADD_UNIQUE | NO_FAIL | PARTIAL);
        assertSame(B, allPresent.list());
        assertEquals(6L, allPresent.result());
    }

    @Test
    void appendItemsUniqueWithRepeatedNewItems() {
        List<Object> items = List.of(11L, 12L, 11L);
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_APPEND_ITEMS, B, items, ADD_UNIQUE));
        assertSame(B, run(LIST_APPEND_ITEMS, B, items, ADD_UNIQUE | NO_FAIL).list());
        assertEquals(list(7L, 6L, 5L, 8L, 9L, 10L, 11L, 12L),
                run(LIST_APPEND_ITEMS, B, items, ADD_UNIQUE | NO_FAIL | PARTIAL).list());
        // Without ADD_UNIQUE repeats are fine.
        assertEquals(9L, result(LIST_APPEND_ITEMS, B, items, 0L));
    }

    @Test
    void appendChecksItsArguments() {
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_APPEND, B, 1L));
        // A third argument is the optional create order (OrderedListOpsTest); a fourth is one too many.
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_APPEND, B, 1L, 0L, 0L, 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_APPEND, B, 1L, "0"));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_APPEND, B, 1L, null));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_APPEND, B, 1L, 16L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_APPEND, B, 1L, -1L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_APPEND, B, new Object(), 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_APPEND, B, "\uD800", 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_APPEND_ITEMS, B, 1L, 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_APPEND_ITEMS, B, null, 0L));
    }

    @Test
    void appendRefusesAValueTooDeepForTheBin() {
        Object nested = 1L;
        for (int i = 0; i < Limits.MAX_VALUE_DEPTH - 1; i++) {
            nested = List.of(nested);
        }
        // The bin's list is one level, so an element may hold MAX_VALUE_DEPTH - 1 levels.
        assertEquals(1L, result(LIST_APPEND, list(), nested, 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_APPEND, list(), List.of(nested), 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_APPEND_ITEMS, list(), List.of(List.of(nested)), 0L));
    }

    // ---- insert ---------------------------------------------------------------------------------------------------

    @Test
    void insertAtAnIndexShiftsTheRest() {
        Applied a = run(LIST_INSERT, B, 1L, 99L, 0L);
        assertEquals(7L, a.result());
        assertStored(list(7L, 99L, 6L, 5L, 8L, 9L, 10L), a);
        assertEquals(list(99L, 7L, 6L, 5L, 8L, 9L, 10L), run(LIST_INSERT, B, 0, 99L, 0L).list());
        assertEquals(list(7L, 6L, 5L, 8L, 9L, 10L, 99L), run(LIST_INSERT, B, 6L, 99L, 0L).list());
    }

    @Test
    void insertAtANegativeIndexCountsFromTheBack() {
        // -1 is the last element: the new value goes before it.
        assertEquals(list(7L, 6L, 5L, 8L, 9L, 99L, 10L), run(LIST_INSERT, B, -1L, 99L, 0L).list());
        assertEquals(list(99L, 7L, 6L, 5L, 8L, 9L, 10L), run(LIST_INSERT, B, -6L, 99L, 0L).list());
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_INSERT, B, -7L, 99L, 0L));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_INSERT, null, -1L, 99L, 0L));
    }

    @Test
    void insertBeyondTheEndPadsWithNulls() {
        Applied a = run(LIST_INSERT, B, 8L, 99L, 0L);
        assertEquals(9L, a.result());
        assertStored(list(7L, 6L, 5L, 8L, 9L, 10L, null, null, 99L), a);
        Applied absent = run(LIST_INSERT, null, 2L, "x", 0L);
        assertEquals(3L, absent.result());
        assertStored(list(null, null, "x"), absent);
    }

    @Test
    void insertBoundedRefusesAnIndexBeyondTheEnd() {
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_INSERT, B, 7L, 99L, BOUNDED));
        Applied noop = run(LIST_INSERT, B, 7L, 99L, BOUNDED | NO_FAIL);
        assertSame(B, noop.list());
        assertEquals(6L, noop.result());
        // The end itself is in bounds.
        assertEquals(7L, result(LIST_INSERT, B, 6L, 99L, BOUNDED));
        // A no-op on an absent bin still leaves an empty list, as the server does.
        Applied absent = run(LIST_INSERT, null, 1L, 99L, BOUNDED | NO_FAIL);
        assertStored(list(), absent);
        assertEquals(0L, absent.result());
    }

    @Test
    void insertLimitsPaddingAndIndex() {
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_INSERT, B, 6L + ListOps.MAX_PADDING + 1, 1L, 0L));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_INSERT, B, 1L << 31, 1L, 0L));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_INSERT, B, Long.MIN_VALUE, 1L, 0L));
    }

    @Test
    void insertUniqueRefusesAPresentValue() {
        assertEquals(ResultCode.ELEMENT_EXISTS, failure(LIST_INSERT, B, 0L, 9L, ADD_UNIQUE));
        assertSame(B, run(LIST_INSERT, B, 0L, 9L, ADD_UNIQUE | NO_FAIL).list());
    }

    @Test
    void insertItemsInsertsInOrder() {
        Applied a = run(LIST_INSERT_ITEMS, B, 1L, List.of("a", "b"), 0L);
        assertEquals(8L, a.result());
        assertStored(list(7L, "a", "b", 6L, 5L, 8L, 9L, 10L), a);
        assertEquals(list(7L, 6L, 5L, 8L, 9L, "a", "b", 10L), run(LIST_INSERT_ITEMS, B, -1L, List.of("a", "b"), 0L).list());
        Applied partial = run(LIST_INSERT_ITEMS, B, 0L, List.of(5L, 1L, 1L, 2L), ADD_UNIQUE | NO_FAIL | PARTIAL);
        assertEquals(list(1L, 2L, 7L, 6L, 5L, 8L, 9L, 10L), partial.list());
    }

    @Test
    void insertItemsEmptyIsANoOpEvenAtABadIndex() {
        Applied a = run(LIST_INSERT_ITEMS, B, -100L, List.of(), 0L);
        assertSame(B, a.list());
        assertEquals(6L, a.result());
    }

    @Test
    void insertChecksItsArguments() {
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_INSERT, B, 1.0, 99L, 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_INSERT, B, "1", 99L, 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_INSERT, B, null, 99L, 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_INSERT, B, 1L, 99L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_INSERT_ITEMS, B, 1L, "ab", 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_INSERT_ITEMS, B, 1L, List.of(new Object()), 0L));
    }

    // ---- set ------------------------------------------------------------------------------------------------------

    @Test
    void setReplacesAnElementAndAnswersNull() {
        Applied a = run(LIST_SET, B, 0L, 70L, 0L);
        assertNull(a.result());
        assertStored(list(70L, 6L, 5L, 8L, 9L, 10L), a);
        assertEquals(list(7L, 6L, 5L, 8L, 9L, "last"), run(LIST_SET, B, -1L, "last", 0L).list());
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_SET, B, -7L, 1L, 0L));
    }

    @Test
    void setBeyondTheEndPadsUnlessBounded() {
        Applied a = run(LIST_SET, B, 7L, 1L, 0L);
        assertNull(a.result());
        assertStored(list(7L, 6L, 5L, 8L, 9L, 10L, null, 1L), a);
        assertEquals(list(7L, 6L, 5L, 8L, 9L, 10L, 1L), run(LIST_SET, B, 6L, 1L, BOUNDED).list());
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_SET, B, 7L, 1L, BOUNDED));
        assertSame(B, run(LIST_SET, B, 7L, 1L, BOUNDED | NO_FAIL).list());
        assertStored(list("x"), run(LIST_SET, null, 0L, "x", 0L));
    }

    @Test
    void setUniqueAllowsTheValueOnlyAtTheSameIndex() {
        assertEquals(ResultCode.ELEMENT_EXISTS, failure(LIST_SET, B, 0L, 6L, ADD_UNIQUE));
        assertEquals(B, run(LIST_SET, B, 1L, 6L, ADD_UNIQUE).list());
        Applied noop = run(LIST_SET, B, 0L, 6L, ADD_UNIQUE | NO_FAIL);
        assertSame(B, noop.list());
        assertNull(noop.result());
        assertEquals(ResultCode.ELEMENT_EXISTS, failure(LIST_SET, B, 9L, 6L, ADD_UNIQUE));
    }

    // ---- increment ------------------------------------------------------------------------------------------------

    @Test
    void incrementAddsAndAnswersTheNewValue() {
        Applied a = run(LIST_INCREMENT, B, 0L, 5L, 0L);
        assertEquals(12L, a.result());
        assertStored(list(12L, 6L, 5L, 8L, 9L, 10L), a);
        assertEquals(8L, result(LIST_INCREMENT, B, -1L, -2, 0L));
    }

    @Test
    void incrementKeepsTheElementsType() {
        // An integer element takes a double delta truncated toward zero (cdt_calc_delta_add).
        Applied a = run(LIST_INCREMENT, B, -1L, 2.9, 0L);
        assertEquals(12L, a.result());
        assertEquals(12L, a.list().get(5));
        assertEquals(9L, result(LIST_INCREMENT, B, -1L, -1.9, 0L));
        Applied d = run(LIST_INCREMENT, list(1.5), 0L, 2L, 0L);
        assertEquals(3.5, d.result());
        assertEquals(list(3.5), d.list());
        assertEquals(1.75, result(LIST_INCREMENT, list(1.5), 0L, 0.25, 0L));
    }

    @Test
    void incrementOverflowWrapsAround() {
        assertEquals(Long.MIN_VALUE, result(LIST_INCREMENT, list(Long.MAX_VALUE), 0L, 1L, 0L));
    }

    @Test
    void incrementBeyondTheEndStoresTheDelta() {
        Applied a = run(LIST_INCREMENT, B, 7L, 3L, 0L);
        assertEquals(3L, a.result());
        assertStored(list(7L, 6L, 5L, 8L, 9L, 10L, null, 3L), a);
        Applied absent = run(LIST_INCREMENT, null, 0L, 2.5, 0L);
        assertEquals(2.5, absent.result());
        assertStored(list(2.5), absent);
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_INCREMENT, B, 7L, 3L, BOUNDED));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_INCREMENT, B, -7L, 3L, 0L));
    }

    @Test
    void incrementOfANonNumericElementIsAParameterError() {
        // The server refuses with AS_ERR_PARAMETER (cdt_calc_delta_add), a null element included.
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_INCREMENT, list("a"), 0L, 1L, 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_INCREMENT, list((Object) null), 0L, 1L, 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_INCREMENT, list(List.of(1L)), 0L, 1L, 0L));
    }

    @Test
    void incrementChecksItsDelta() {
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_INCREMENT, B, 0L, "1", 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_INCREMENT, B, 0L, null, 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_INCREMENT, B, 0L, 1L));
    }

    @Test
    void incrementUniqueChecksTheNewValue() {
        List<Object> l = list(1L, 2L);
        assertEquals(ResultCode.ELEMENT_EXISTS, failure(LIST_INCREMENT, l, 0L, 1L, ADD_UNIQUE));
        Applied noop = run(LIST_INCREMENT, l, 0L, 1L, ADD_UNIQUE | NO_FAIL);
        assertSame(l, noop.list());
        assertEquals(2L, noop.result());
        assertEquals(list(3L, 2L), run(LIST_INCREMENT, l, 0L, 2L, ADD_UNIQUE).list());
    }

    // ---- size, clear, sort ----------------------------------------------------------------------------------------

    @Test
    void sizeAnswersTheSizeOrNullForAnAbsentBin() {
        Applied a = run(LIST_SIZE, B);
        assertEquals(6L, a.result());
        assertSame(B, a.list());
        assertEquals(0L, result(LIST_SIZE, list()));
        Applied absent = run(LIST_SIZE, null);
        assertNull(absent.list());
        assertNull(absent.result());
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_SIZE, B, 1L));
    }

    @Test
    void clearEmptiesTheListButKeepsTheBin() {
        Applied a = run(LIST_CLEAR, B);
        assertNull(a.result());
        assertStored(list(), a);
        Applied absent = run(LIST_CLEAR, null);
        assertNull(absent.list());
        assertNull(absent.result());
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_CLEAR, B, 0L));
    }

    @Test
    void sortOrdersByValueAcrossTypes() {
        List<Object> mixed = list(3L, "a", 1.5, null, true, 2L, 3L, List.of(1L), new byte[] {1});
        Applied a = run(LIST_SORT, mixed, 0L);
        assertNull(a.result());
        assertEquals(9, a.list().size());
        assertEquals(list(null, true, 2L, 3L, 3L, "a", List.of(1L)), a.list().subList(0, 7));
        assertTrue(a.list().get(7) instanceof byte[]);
        assertEquals(1.5, a.list().get(8));
        assertThrows(UnsupportedOperationException.class, () -> a.list().add(1L));
    }

    @Test
    void sortFlags() {
        List<Object> l = list(3L, 1L, 2L, 3L, 1L);
        assertEquals(list(3L, 3L, 2L, 1L, 1L), run(LIST_SORT, l, ListOps.SORT_DESCENDING).list());
        assertEquals(list(1L, 2L, 3L), run(LIST_SORT, l, ListOps.SORT_DROP_DUPLICATES).list());
        assertEquals(list(3L, 2L, 1L),
                run(LIST_SORT, l, ListOps.SORT_DESCENDING | ListOps.SORT_DROP_DUPLICATES).list());
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_SORT, l, 4L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_SORT, l));
        assertEquals(list(), run(LIST_SORT, list(), 0L).list());
    }

    @Test
    void sortOfAnAbsentBinIsABinTypeError() {
        // As the server answers (AS_CDT_OP_LIST_SORT on a bin that is not live: AS_ERR_INCOMPATIBLE_TYPE).
        assertEquals(ResultCode.BIN_TYPE_ERROR, failure(LIST_SORT, null, 0L));
    }

    // ---- pop, trim ------------------------------------------------------------------------------------------------

    @Test
    void popRemovesAndAnswersOneElement() {
        Applied a = run(LIST_POP, B, 0L);
        assertEquals(7L, a.result());
        assertStored(list(6L, 5L, 8L, 9L, 10L), a);
        assertEquals(10L, result(LIST_POP, B, -1L));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_POP, B, 6L));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_POP, B, -7L));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_POP, list(), 0L));
        Applied absent = run(LIST_POP, null, 0L);
        assertNull(absent.list());
        assertNull(absent.result());
    }

    @Test
    void popRangeRemovesAndAnswersAList() {
        Applied a = run(LIST_POP_RANGE, B, 1L, 2L);
        assertEquals(list(6L, 5L), a.result());
        assertStored(list(7L, 8L, 9L, 10L), a);
        assertEquals(list(9L, 10L), result(LIST_POP_RANGE, B, 4L));
        assertEquals(list(9L, 10L), result(LIST_POP_RANGE, B, -2L, 5L));
        // A window starting before the front keeps its part inside the list.
        assertEquals(list(7L), result(LIST_POP_RANGE, B, -8L, 3L));
        assertEquals(list(), result(LIST_POP_RANGE, B, -10L, 3L));
        Applied outside = run(LIST_POP_RANGE, B, 10L, 2L);
        assertEquals(list(), outside.result());
        assertSame(B, outside.list());
        assertNull(run(LIST_POP_RANGE, null, 0L).list());
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_POP_RANGE, B, 0L, -1L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_POP_RANGE, B));
    }

    @Test
    void trimKeepsTheRangeAndAnswersHowManyWentAway() {
        Applied a = run(LIST_TRIM, B, 1L, 3L);
        assertEquals(3L, a.result());
        assertStored(list(6L, 5L, 8L), a);
        Applied all = run(LIST_TRIM, B, 0L, 6L);
        assertEquals(0L, all.result());
        assertSame(B, all.list());
        assertEquals(list(9L, 10L), run(LIST_TRIM, B, -2L, 10L).list());
        assertEquals(4L, result(LIST_TRIM, B, -2L, 10L));
    }

    @Test
    void trimOutsideTheListRemovesEverything() {
        Applied a = run(LIST_TRIM, B, 10L, 2L);
        assertEquals(6L, a.result());
        assertStored(list(), a);
        assertEquals(6L, result(LIST_TRIM, B, 0L, 0L));
        Applied absent = run(LIST_TRIM, null, 0L, 1L);
        assertNull(absent.list());
        assertNull(absent.result());
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_TRIM, B, 0L));
    }

    // ---- get/remove by index --------------------------------------------------------------------------------------

    @Test
    void getByIndexEachReturnType() {
        assertEquals(5L, result(LIST_GET_BY_INDEX, B, 2L, VALUE));
        assertEquals(2L, result(LIST_GET_BY_INDEX, B, 2L, INDEX));
        assertEquals(3L, result(LIST_GET_BY_INDEX, B, 2L, REVERSE_INDEX));
        assertEquals(0L, result(LIST_GET_BY_INDEX, B, 2L, RANK));
        assertEquals(5L, result(LIST_GET_BY_INDEX, B, 2L, REVERSE_RANK));
        assertEquals(1L, result(LIST_GET_BY_INDEX, B, 2L, COUNT));
        assertEquals(true, result(LIST_GET_BY_INDEX, B, 2L, EXISTS));
        assertNull(result(LIST_GET_BY_INDEX, B, 2L, NONE));
        assertEquals(9L, result(LIST_GET_BY_INDEX, B, -2L, VALUE));
        assertSame(B, run(LIST_GET_BY_INDEX, B, 0L, VALUE).list());
        assertNull(result(LIST_GET_BY_INDEX, list(1L, null), 1L, VALUE));
    }

    @Test
    void getByIndexOutOfBoundsOrInvertedIsNotApplicable() {
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_GET_BY_INDEX, B, 6L, VALUE));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_GET_BY_INDEX, B, -7L, VALUE));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_GET_BY_INDEX, list(), 0L, VALUE));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_GET_BY_INDEX, B, 0L, VALUE | INVERTED));
    }

    @Test
    void singleRankOfAnElementWithEqualsIsTheNumberOfSmallerElements() {
        // packed_list_builder_add_ranks_by_range: equal elements share the lowest rank.
        List<Object> l = list(5L, 5L, 1L);
        assertEquals(1L, result(LIST_GET_BY_INDEX, l, 1L, RANK));
        assertEquals(1L, result(LIST_GET_BY_INDEX, l, 0L, RANK));
        assertEquals(1L, result(LIST_GET_BY_INDEX, l, 1L, REVERSE_RANK));
        assertEquals(2L, result(LIST_GET_BY_INDEX, l, 2L, REVERSE_RANK));
    }

    @Test
    void returnTypeIsChecked() {
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_GET_BY_INDEX, B, 0L, 6L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_GET_BY_INDEX, B, 0L, 99L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_GET_BY_INDEX, B, 0L, -1L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_GET_BY_INDEX, B, 0L, 0x20000L | VALUE));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_GET_BY_INDEX, B, 0L, "VALUE"));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_GET_BY_INDEX, B, 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_GET_BY_INDEX, B, null, VALUE));
        assertEquals(5L, result(LIST_GET_BY_INDEX, B, 2, (int) VALUE));
    }

    @Test
    void getByIndexRangeEachReturnType() {
        assertEquals(list(6L, 5L, 8L), result(LIST_GET_BY_INDEX_RANGE, B, 1L, 3L, VALUE));
        assertEquals(longs(1, 2, 3), result(LIST_GET_BY_INDEX_RANGE, B, 1L, 3L, INDEX));
        // Reverse indexes of a range ascend, as the server builds them (cdt_container_builder_add_int_range).
        assertEquals(longs(2, 3, 4), result(LIST_GET_BY_INDEX_RANGE, B, 1L, 3L, REVERSE_INDEX));
        assertEquals(longs(1, 0, 3), result(LIST_GET_BY_INDEX_RANGE, B, 1L, 3L, RANK));
        assertEquals(longs(4, 5, 2), result(LIST_GET_BY_INDEX_RANGE, B, 1L, 3L, REVERSE_RANK));
        assertEquals(3L, result(LIST_GET_BY_INDEX_RANGE, B, 1L, 3L, COUNT));
        assertEquals(true, result(LIST_GET_BY_INDEX_RANGE, B, 1L, 3L, EXISTS));
        assertNull(result(LIST_GET_BY_INDEX_RANGE, B, 1L, 3L, NONE));
        assertSame(B, run(LIST_GET_BY_INDEX_RANGE, B, 1L, 3L, VALUE).list());
    }

    @Test
    void getByIndexRangeInverted() {
        assertEquals(list(7L, 9L, 10L), result(LIST_GET_BY_INDEX_RANGE, B, 1L, 3L, VALUE | INVERTED));
        assertEquals(longs(0, 4, 5), result(LIST_GET_BY_INDEX_RANGE, B, 1L, 3L, INDEX | INVERTED));
        assertEquals(longs(5, 0, 1), result(LIST_GET_BY_INDEX_RANGE, B, 1L, 3L, REVERSE_INDEX | INVERTED));
        assertEquals(longs(2, 4, 5), result(LIST_GET_BY_INDEX_RANGE, B, 1L, 3L, RANK | INVERTED));
        assertEquals(3L, result(LIST_GET_BY_INDEX_RANGE, B, 1L, 3L, COUNT | INVERTED));
        assertEquals(list(8L, 9L, 10L), result(LIST_GET_BY_INDEX_RANGE, B, 0L, 3L, VALUE | INVERTED));
        assertEquals(longs(0, 1, 2), result(LIST_GET_BY_INDEX_RANGE, B, 0L, 3L, REVERSE_INDEX | INVERTED));
        // Nothing selected, so inverted is everything.
        assertEquals(B, result(LIST_GET_BY_INDEX_RANGE, B, 10L, 2L, VALUE | INVERTED));
        assertEquals(false, result(LIST_GET_BY_INDEX_RANGE, B, 0L, 100L, EXISTS | INVERTED));
    }

    @Test
    void getByIndexRangeClipsToTheList() {
        assertEquals(list(5L, 8L, 9L, 10L), result(LIST_GET_BY_INDEX_RANGE, B, 2L, VALUE));
        assertEquals(list(9L), result(LIST_GET_BY_INDEX_RANGE, B, -2L, 1L, VALUE));
        assertEquals(B, result(LIST_GET_BY_INDEX_RANGE, B, 0L, 100L, VALUE));
        assertEquals(list(7L), result(LIST_GET_BY_INDEX_RANGE, B, -10L, 5L, VALUE));
        assertEquals(list(), result(LIST_GET_BY_INDEX_RANGE, B, 6L, 2L, VALUE));
        assertEquals(list(), result(LIST_GET_BY_INDEX_RANGE, B, 10L, 2L, INDEX));
        assertEquals(list(), result(LIST_GET_BY_INDEX_RANGE, B, 10L, 2L, RANK));
        assertEquals(0L, result(LIST_GET_BY_INDEX_RANGE, B, 10L, 2L, COUNT));
        assertEquals(false, result(LIST_GET_BY_INDEX_RANGE, B, 10L, 2L, EXISTS));
        assertEquals(list(), result(LIST_GET_BY_INDEX_RANGE, B, 1L, 0L, VALUE));
        // The window [MIN_VALUE + 6, MIN_VALUE + 6 + MAX_VALUE) ends at index 5.
        assertEquals(list(7L, 6L, 5L, 8L, 9L), result(LIST_GET_BY_INDEX_RANGE, B, Long.MIN_VALUE, Long.MAX_VALUE, VALUE));
        assertEquals(list(), result(LIST_GET_BY_INDEX_RANGE, list(), -1L, VALUE));
    }

    @Test
    void rankResultsOfAWholeListAreZeroToN() {
        List<Object> l = list(5L, 5L, 1L);
        assertEquals(longs(0, 1, 2), result(LIST_GET_BY_INDEX_RANGE, l, 0L, 3L, RANK));
        assertEquals(longs(1, 1), result(LIST_GET_BY_INDEX_RANGE, l, 0L, 2L, RANK));
    }

    @Test
    void getByIndexRangeChecksItsArguments() {
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_GET_BY_INDEX_RANGE, B, 0L, -1L, VALUE));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_GET_BY_INDEX_RANGE, B, 0L, "2", VALUE));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_GET_BY_INDEX_RANGE, B, 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_GET_BY_INDEX_RANGE, B, 0L, 1L, 2L, VALUE));
    }

    @Test
    void removeByIndex() {
        Applied a = run(LIST_REMOVE_BY_INDEX, B, 2L, VALUE);
        assertEquals(5L, a.result());
        assertStored(list(7L, 6L, 8L, 9L, 10L), a);
        Applied none = run(LIST_REMOVE_BY_INDEX, B, -1L, NONE);
        assertNull(none.result());
        assertEquals(list(7L, 6L, 5L, 8L, 9L), none.list());
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_REMOVE_BY_INDEX, B, 6L, VALUE));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_REMOVE_BY_INDEX, B, 0L, VALUE | INVERTED));
        Applied last = run(LIST_REMOVE_BY_INDEX, list("x"), 0L, VALUE);
        assertStored(list(), last);
    }

    @Test
    void removeByIndexRange() {
        Applied a = run(LIST_REMOVE_BY_INDEX_RANGE, B, 2L, 2L, VALUE);
        assertEquals(list(5L, 8L), a.result());
        assertStored(list(7L, 6L, 9L, 10L), a);
        Applied inverted = run(LIST_REMOVE_BY_INDEX_RANGE, B, 2L, 2L, VALUE | INVERTED);
        assertEquals(list(7L, 6L, 9L, 10L), inverted.result());
        assertStored(list(5L, 8L), inverted);
        Applied all = run(LIST_REMOVE_BY_INDEX_RANGE, B, 0L, COUNT);
        assertEquals(6L, all.result());
        assertStored(list(), all);
        Applied nothing = run(LIST_REMOVE_BY_INDEX_RANGE, B, 7L, 1L, COUNT);
        assertEquals(0L, nothing.result());
        assertSame(B, nothing.list());
    }

    // ---- get/remove by value --------------------------------------------------------------------------------------

    @Test
    void getByValueEachReturnType() {
        List<Object> dup = list(0L, 1L, 0L, 2L, 0L);
        assertEquals(longs(0, 2, 4), result(LIST_GET_BY_VALUE, dup, 0L, INDEX));
        assertEquals(longs(4, 2, 0), result(LIST_GET_BY_VALUE, dup, 0L, REVERSE_INDEX));
        assertEquals(longs(0, 1, 2), result(LIST_GET_BY_VALUE, dup, 0L, RANK));
        assertEquals(longs(2, 3, 4), result(LIST_GET_BY_VALUE, dup, 0L, REVERSE_RANK));
        assertEquals(list(0L, 0L, 0L), result(LIST_GET_BY_VALUE, dup, 0L, VALUE));
        assertEquals(3L, result(LIST_GET_BY_VALUE, dup, 0, COUNT));
        assertEquals(true, result(LIST_GET_BY_VALUE, dup, 0L, EXISTS));
        assertNull(result(LIST_GET_BY_VALUE, dup, 0L, NONE));
        assertEquals(longs(3), result(LIST_GET_BY_VALUE, dup, 1L, RANK));
    }

    @Test
    void getByValueInverted() {
        assertEquals(list(6L, 5L, 8L, 9L, 10L), result(LIST_GET_BY_VALUE, B, 7L, VALUE | INVERTED));
        List<Object> dup = list(0L, 1L, 0L, 2L, 0L);
        assertEquals(longs(0, 1, 2, 4), result(LIST_GET_BY_VALUE, dup, 1L, RANK | INVERTED));
        // Per segment ascending, segments in rank order (result_data_set_index_rank_count).
        assertEquals(longs(2, 3, 4, 0), result(LIST_GET_BY_VALUE, dup, 1L, REVERSE_RANK | INVERTED));
        assertEquals(longs(4, 2, 1, 0), result(LIST_GET_BY_VALUE, dup, 1L, REVERSE_INDEX | INVERTED));
        assertEquals(4L, result(LIST_GET_BY_VALUE, dup, 1L, COUNT | INVERTED));
        assertEquals(false, result(LIST_GET_BY_VALUE, list(1L, 1L), 1L, EXISTS | INVERTED));
    }

    @Test
    void getByValueMatchesByTypeAndContent() {
        assertEquals(0L, result(LIST_GET_BY_VALUE, B, 7.0, COUNT));
        assertEquals(0L, result(LIST_GET_BY_VALUE, B, "7", COUNT));
        List<Object> nested = list(List.of(1L, "a"), Map.of("k", new byte[] {1}), new byte[] {1}, null);
        assertEquals(longs(0), result(LIST_GET_BY_VALUE, nested, List.of(1, "a"), INDEX));
        assertEquals(longs(1), result(LIST_GET_BY_VALUE, nested, Map.of("k", new byte[] {1}), INDEX));
        assertEquals(longs(2), result(LIST_GET_BY_VALUE, nested, new byte[] {1}, INDEX));
        assertEquals(longs(3), result(LIST_GET_BY_VALUE, nested, null, INDEX));
        assertEquals(list(), result(LIST_GET_BY_VALUE, B, 99L, VALUE));
        assertEquals(list(), result(LIST_GET_BY_VALUE, B, 99L, RANK));
        assertEquals(false, result(LIST_GET_BY_VALUE, B, 99L, EXISTS));
    }

    @Test
    void removeByValue() {
        Applied a = run(LIST_REMOVE_BY_VALUE, list(0L, 1L, 0L, 2L, 0L), 0L, INDEX);
        assertEquals(longs(0, 2, 4), a.result());
        assertStored(list(1L, 2L), a);
        Applied inverted = run(LIST_REMOVE_BY_VALUE, B, 7L, VALUE | INVERTED);
        assertEquals(list(6L, 5L, 8L, 9L, 10L), inverted.result());
        assertStored(list(7L), inverted);
        Applied none = run(LIST_REMOVE_BY_VALUE, B, 99L, COUNT);
        assertEquals(0L, none.result());
        assertSame(B, none.list());
        assertStored(list(), run(LIST_REMOVE_BY_VALUE, list(3L, 3L), 3L, NONE));
    }

    @Test
    void getByValueList() {
        assertEquals(longs(0, 2, 4), result(LIST_GET_BY_VALUE_LIST, B, List.of(7L, 5L, 9L), INDEX));
        assertEquals(longs(5, 3, 1), result(LIST_GET_BY_VALUE_LIST, B, List.of(7L, 5L, 9L), REVERSE_INDEX));
        assertEquals(list(7L, 5L, 9L), result(LIST_GET_BY_VALUE_LIST, B, List.of(9L, 5L, 7L), VALUE));
        assertEquals(list(6L, 8L, 10L), result(LIST_GET_BY_VALUE_LIST, B, List.of(7L, 5L, 9L), VALUE | INVERTED));
        assertEquals(3L, result(LIST_GET_BY_VALUE_LIST, B, List.of(7L, 5L, 9L, 99L), COUNT));
        assertEquals(true, result(LIST_GET_BY_VALUE_LIST, B, List.of(99L, 10), EXISTS));
        assertNull(result(LIST_GET_BY_VALUE_LIST, B, List.of(7L), NONE));
        // A repeated value counts once.
        assertEquals(1L, result(LIST_GET_BY_VALUE_LIST, B, List.of(7L, 7L), COUNT));
        assertEquals(longs(2), result(LIST_GET_BY_VALUE_LIST, B, List.of(7L, 7L), RANK));
    }

    @Test
    void getByValueListRanks() {
        // Grouped by value in the order the values are given.
        assertEquals(longs(4, 0, 2), result(LIST_GET_BY_VALUE_LIST, B, List.of(9L, 5L, 7L), RANK));
        assertEquals(longs(1, 5, 3), result(LIST_GET_BY_VALUE_LIST, B, List.of(9L, 5L, 7L), REVERSE_RANK));
        assertEquals(longs(1, 3, 5), result(LIST_GET_BY_VALUE_LIST, B, List.of(9L, 5L, 7L), RANK | INVERTED));
        List<Object> dup = list(3L, 1L, 3L, 2L);
        assertEquals(longs(2, 3, 1), result(LIST_GET_BY_VALUE_LIST, dup, List.of(3L, 2L), RANK));
        assertEquals(longs(1, 0, 2), result(LIST_GET_BY_VALUE_LIST, dup, List.of(3L, 2L), REVERSE_RANK));
    }

    @Test
    void getByValueListEmpty() {
        assertEquals(0L, result(LIST_GET_BY_VALUE_LIST, B, List.of(), COUNT));
        assertEquals(list(), result(LIST_GET_BY_VALUE_LIST, B, List.of(), VALUE));
        assertEquals(6L, result(LIST_GET_BY_VALUE_LIST, B, List.of(), COUNT | INVERTED));
        // "Everything but nothing" is the index range 0..end on the server, whose reverse indexes ascend.
        assertEquals(longs(0, 1, 2, 3, 4, 5), result(LIST_GET_BY_VALUE_LIST, B, List.of(), REVERSE_INDEX | INVERTED));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_GET_BY_VALUE_LIST, B, 7L, COUNT));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_GET_BY_VALUE_LIST, B, null, COUNT));
    }

    @Test
    void removeByValueList() {
        Applied a = run(LIST_REMOVE_BY_VALUE_LIST, B, List.of(7L, 5L, 9L), INDEX);
        assertEquals(longs(0, 2, 4), a.result());
        assertStored(list(6L, 8L, 10L), a);
        Applied inverted = run(LIST_REMOVE_BY_VALUE_LIST, B, List.of(7L, 5L, 9L), VALUE | INVERTED);
        assertEquals(list(6L, 8L, 10L), inverted.result());
        assertStored(list(7L, 5L, 9L), inverted);
        Applied everything = run(LIST_REMOVE_BY_VALUE_LIST, B, List.of(), COUNT | INVERTED);
        assertEquals(6L, everything.result());
        assertStored(list(), everything);
    }

    // ---- get/remove by rank ---------------------------------------------------------------------------------------

    @Test
    void getByRankEachReturnType() {
        assertEquals(5L, result(LIST_GET_BY_RANK, B, 0L, VALUE));
        assertEquals(10L, result(LIST_GET_BY_RANK, B, -1L, VALUE));
        assertEquals(2L, result(LIST_GET_BY_RANK, B, 0L, INDEX));
        assertEquals(3L, result(LIST_GET_BY_RANK, B, 0L, REVERSE_INDEX));
        assertEquals(0L, result(LIST_GET_BY_RANK, B, 0L, RANK));
        assertEquals(5L, result(LIST_GET_BY_RANK, B, 0L, REVERSE_RANK));
        assertEquals(1L, result(LIST_GET_BY_RANK, B, 0L, COUNT));
        assertEquals(true, result(LIST_GET_BY_RANK, B, 0L, EXISTS));
        assertNull(result(LIST_GET_BY_RANK, B, 0L, NONE));
        assertEquals(4L, result(LIST_GET_BY_RANK, B, -2L, RANK));
    }

    @Test
    void getByRankOutOfBoundsOrInvertedIsNotApplicable() {
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_GET_BY_RANK, B, 6L, VALUE));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_GET_BY_RANK, B, -7L, VALUE));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_GET_BY_RANK, B, 0L, VALUE | INVERTED));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_GET_BY_RANK, list(), 0L, VALUE));
    }

    @Test
    void equalElementsAreRankedByIndex() {
        List<Object> l = list(5L, 1L, 5L);
        assertEquals(0L, result(LIST_GET_BY_RANK, l, 1L, INDEX));
        assertEquals(2L, result(LIST_GET_BY_RANK, l, 2L, INDEX));
        assertEquals(list(5L, 1L), run(LIST_REMOVE_BY_RANK, l, -1L, NONE).list());
        assertEquals(list(1L, 5L), run(LIST_REMOVE_BY_RANK, l, 1L, NONE).list());
    }

    @Test
    void getByRankRangeEachReturnType() {
        // Values of a range nearer the smallest come largest first, as the server's heap hands them back.
        assertEquals(list(7L, 6L, 5L), result(LIST_GET_BY_RANK_RANGE, B, 0L, 3L, VALUE));
        assertEquals(list(7L, 8L, 9L, 10L), result(LIST_GET_BY_RANK_RANGE, B, 2L, VALUE));
        assertEquals(list(9L, 10L), result(LIST_GET_BY_RANK_RANGE, B, -2L, 5L, VALUE));
        assertEquals(longs(0, 1, 2), result(LIST_GET_BY_RANK_RANGE, B, 0L, 3L, INDEX));
        assertEquals(longs(5, 4, 3), result(LIST_GET_BY_RANK_RANGE, B, 0L, 3L, REVERSE_INDEX));
        assertEquals(longs(0, 1, 2), result(LIST_GET_BY_RANK_RANGE, B, 0L, 3L, RANK));
        assertEquals(longs(3, 4, 5), result(LIST_GET_BY_RANK_RANGE, B, 0L, 3L, REVERSE_RANK));
        assertEquals(3L, result(LIST_GET_BY_RANK_RANGE, B, 0L, 3L, COUNT));
        assertEquals(true, result(LIST_GET_BY_RANK_RANGE, B, 0L, 3L, EXISTS));
        assertNull(result(LIST_GET_BY_RANK_RANGE, B, 0L, 3L, NONE));
    }

    @Test
    void getByRankRangeInvertedAndOutOfRange() {
        assertEquals(list(8L, 9L, 10L), result(LIST_GET_BY_RANK_RANGE, B, 0L, 3L, VALUE | INVERTED));
        assertEquals(longs(3, 4, 5), result(LIST_GET_BY_RANK_RANGE, B, 0L, 3L, RANK | INVERTED));
        assertEquals(longs(3, 4, 5), result(LIST_GET_BY_RANK_RANGE, B, 0L, 3L, INDEX | INVERTED));
        assertEquals(longs(2, 1, 0), result(LIST_GET_BY_RANK_RANGE, B, 0L, 3L, REVERSE_INDEX | INVERTED));
        assertEquals(list(5L), result(LIST_GET_BY_RANK_RANGE, B, -8L, 3L, VALUE));
        assertEquals(list(), result(LIST_GET_BY_RANK_RANGE, B, 10L, 1L, VALUE));
        assertEquals(0L, result(LIST_GET_BY_RANK_RANGE, B, 10L, 1L, COUNT));
        assertEquals(list(), result(LIST_GET_BY_RANK_RANGE, B, 0L, 6L, INDEX | INVERTED));
        assertEquals(6L, result(LIST_GET_BY_RANK_RANGE, B, 10L, 1L, COUNT | INVERTED));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_GET_BY_RANK_RANGE, B, 0L, -3L, VALUE));
    }

    @Test
    void removeByRank() {
        Applied a = run(LIST_REMOVE_BY_RANK, B, 2L, VALUE);
        assertEquals(7L, a.result());
        assertStored(list(6L, 5L, 8L, 9L, 10L), a);
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_REMOVE_BY_RANK, B, 6L, VALUE));
        assertNull(run(LIST_REMOVE_BY_RANK, null, 0L, VALUE).list());
    }

    @Test
    void removeByRankRange() {
        Applied a = run(LIST_REMOVE_BY_RANK_RANGE, B, 0L, 3L, VALUE);
        assertEquals(list(7L, 6L, 5L), a.result());
        assertStored(list(8L, 9L, 10L), a);
        Applied inverted = run(LIST_REMOVE_BY_RANK_RANGE, B, 0L, 3L, VALUE | INVERTED);
        assertEquals(list(8L, 9L, 10L), inverted.result());
        assertStored(list(7L, 6L, 5L), inverted);
        Applied tail = run(LIST_REMOVE_BY_RANK_RANGE, B, -2L, INDEX);
        assertEquals(longs(4, 5), tail.result());
        assertStored(list(7L, 6L, 5L, 8L), tail);
    }

    // ---- across operations ----------------------------------------------------------------------------------------

    @Test
    void readsAndRemovesOfAnAbsentBinAnswerNullAndLeaveItAbsent() {
        Object[][] cases = {
            {LIST_SIZE},
            {LIST_GET_BY_INDEX, 0L, VALUE},
            {LIST_GET_BY_INDEX_RANGE, 0L, 2L, VALUE},
            {LIST_GET_BY_VALUE, 1L, COUNT},
            {LIST_GET_BY_VALUE_LIST, List.of(1L), COUNT},
            {LIST_GET_BY_RANK, 0L, VALUE},
            {LIST_GET_BY_RANK_RANGE, 0L, VALUE},
            {LIST_REMOVE_BY_INDEX, 0L, VALUE},
            {LIST_REMOVE_BY_INDEX_RANGE, 0L, 2L, COUNT},
            {LIST_REMOVE_BY_VALUE, 1L, COUNT},
            {LIST_REMOVE_BY_VALUE_LIST, List.of(1L), COUNT},
            {LIST_REMOVE_BY_RANK, 0L, VALUE},
            {LIST_REMOVE_BY_RANK_RANGE, 0L, 1L, COUNT},
            {LIST_POP, 0L},
            {LIST_POP_RANGE, 0L, 1L},
            {LIST_TRIM, 0L, 1L},
            {LIST_CLEAR},
        };
        for (Object[] c : cases) {
            Applied a = run((OpCode) c[0], null, Arrays.copyOfRange(c, 1, c.length));
            assertNull(a.list(), c[0].toString());
            assertNull(a.result(), c[0].toString());
        }
    }

    @Test
    void argumentsAreCheckedEvenWhenTheBinIsAbsent() {
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_GET_BY_INDEX, null, "0", VALUE));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_REMOVE_BY_VALUE_LIST, null, 1L, COUNT));
    }

    @Test
    void everyListOperationRefusesBadArgumentsWithAParameterError() {
        for (OpCode code : OpCode.values()) {
            if (!code.isList()) {
                continue;
            }
            // Wrong count or wrong types: never a RuntimeException, always PARAMETER_ERROR.
            for (int n = code == LIST_SIZE || code == LIST_CLEAR ? 1 : 0; n <= 4; n++) {
                Object[] args = new Object[n];
                Arrays.fill(args, new Object());
                assertEquals(ResultCode.PARAMETER_ERROR, failure(code, B, args), code + " with " + n);
                Arrays.fill(args, "s");
                assertEquals(ResultCode.PARAMETER_ERROR, failure(code, null, args), code + " with " + n);
            }
        }
    }

    @Test
    void aNonListOperationIsRefused() {
        assertEquals(ResultCode.PARAMETER_ERROR, failure(OpCode.READ, B));
    }

    @Test
    void readOperationsReturnTheSameListInstance() {
        assertSame(B, run(LIST_SIZE, B).list());
        assertSame(B, run(LIST_GET_BY_VALUE, B, 7L, VALUE).list());
        assertSame(B, run(LIST_GET_BY_VALUE_LIST, B, List.of(7L), VALUE).list());
        assertSame(B, run(LIST_GET_BY_RANK, B, 0L, VALUE).list());
        assertSame(B, run(LIST_GET_BY_RANK_RANGE, B, 0L, 2L, VALUE | INVERTED).list());
        assertSame(B, run(LIST_GET_BY_INDEX_RANGE, B, 0L, 2L, INDEX).list());
    }

    @Test
    void resultListsAreFreshAndMutable() {
        @SuppressWarnings("unchecked")
        List<Object> values = (List<Object>) result(LIST_GET_BY_INDEX_RANGE, B, 0L, VALUE);
        values.add(1L);
        assertEquals(6, B.size());
    }
}
