package io.partita.engine.operate;

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
import static io.partita.protocol.OpCode.LIST_SET_ORDER;
import static io.partita.protocol.OpCode.LIST_SIZE;
import static io.partita.protocol.OpCode.LIST_SORT;
import static io.partita.protocol.OpCode.LIST_TRIM;
import static io.partita.protocol.ReturnType.COUNT;
import static io.partita.protocol.ReturnType.INDEX;
import static io.partita.protocol.ReturnType.INVERTED;
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
import static org.junit.jupiter.api.Assertions.fail;

import io.partita.engine.operate.ListOps.Applied;
import io.partita.protocol.OpCode;
import io.partita.protocol.OrderedList;
import io.partita.protocol.ResultCode;
import io.partita.protocol.ValueOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** ListOps on ORDERED lists ({@link OrderedList}): the rules of packed_list_add_ordered and its neighbours. */
class OrderedListOpsTest {
    private static final long ADD_UNIQUE = ListOps.ADD_UNIQUE;
    private static final long BOUNDED = ListOps.INSERT_BOUNDED;
    private static final long NO_FAIL = ListOps.NO_FAIL;
    private static final long PARTIAL = ListOps.PARTIAL;
    private static final long DESCENDING = ListOps.SORT_DESCENDING;
    private static final long DROP_DUPLICATES = ListOps.SORT_DROP_DUPLICATES;

    private static OrderedList ordered(Object... values) {
        return new OrderedList(Arrays.asList(values));
    }

    /** An unordered stored list, as ListOpsTest builds them. */
    private static List<Object> unordered(Object... values) {
        return Collections.unmodifiableList(new ArrayList<>(Arrays.asList(values)));
    }

    private static List<Object> list(Object... values) {
        return Arrays.asList(values);
    }


    private static Applied run(OpCode code, List<Object> list, Object... args) {
        try {
            return ListOps.apply(Operation.of(code, "bin", args), list);
        } catch (OperateException e) {
            throw new AssertionError("unexpected " + e.code() + ": " + e.getMessage(), e);
        }
    }

    private static Object result(OpCode code, List<Object> list, Object... args) {
        return run(code, list, args).result();
    }

    private static OperateException thrown(OpCode code, List<Object> list, Object... args) {
        OperateException e = assertThrows(OperateException.class,
                () -> ListOps.apply(Operation.of(code, "bin", args), list));
        assertTrue(e.getMessage().startsWith(code + " on bin 'bin': "), e.getMessage());
        return e;
    }

    private static ResultCode failure(OpCode code, List<Object> list, Object... args) {
        return thrown(code, list, args).code();
    }

    /** The stored list is an OrderedList holding expected (which is given in order). */
    private static void assertOrdered(List<Object> expected, Applied applied) {
        assertInstanceOf(OrderedList.class, applied.list());
        assertEquals(expected, applied.list());
        assertSorted(applied.list(), "");
        assertThrows(UnsupportedOperationException.class, () -> applied.list().add(1L), "stored lists are immutable");
    }

    /** The stored list is a plain (unordered) immutable list holding expected. */
    private static void assertUnordered(List<Object> expected, Applied applied) {
        assertFalse(applied.list() instanceof OrderedList, "not ordered: " + applied.list());
        assertEquals(expected, applied.list());
        assertThrows(UnsupportedOperationException.class, () -> applied.list().add(1L), "stored lists are immutable");
    }

    private static void assertSorted(List<Object> list, String context) {
        for (int i = 1; i < list.size(); i++) {
            assertTrue(ValueOrder.compare(list.get(i - 1), list.get(i)) <= 0,
                    context + "not in ValueOrder at " + i + ": " + list);
        }
    }

    // ---- the create order argument --------------------------------------------------------------------------------

    @Test
    void appendWithOrderOneCreatesAnOrderedList() {
        Applied one = run(LIST_APPEND, null, "x", 0L, 1L);
        assertEquals(1L, one.result());
        assertOrdered(List.of("x"), one);
        Applied items = run(LIST_APPEND_ITEMS, null, List.of(3L, 1L, 2L), 0L, 1);
        assertEquals(3L, items.result());
        assertOrdered(longs(1, 2, 3), items);
        // An empty items list still creates the bin, as an empty ORDERED list.
        Applied empty = run(LIST_APPEND_ITEMS, null, List.of(), 0L, 1L);
        assertEquals(0L, empty.result());
        assertSame(OrderedList.empty(), empty.list());
    }

    @Test
    void appendWithOrderZeroOrNoneCreatesAnUnorderedList() {
        assertUnordered(longs(3, 1, 2), run(LIST_APPEND_ITEMS, null, List.of(3L, 1L, 2L), 0L, 0L));
        assertUnordered(longs(3, 1, 2), run(LIST_APPEND_ITEMS, null, List.of(3L, 1L, 2L), 0L));
        assertUnordered(longs(3), run(LIST_APPEND, null, 3L, 0L, 0L));
    }

    @Test
    void incrementWithOrderOneCreatesAnOrderedList() {
        Applied a = run(LIST_INCREMENT, null, 0L, 2.5, 0L, 1L);
        assertEquals(2.5, a.result());
        assertOrdered(List.of(2.5), a);
        // Not padded: only index 0 (the size) is allowed on the new empty list.
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_INCREMENT, null, 1L, 2L, 0L, 1L));
        // Padded as before when the new list is unordered.
        assertUnordered(Arrays.asList(null, 2L), run(LIST_INCREMENT, null, 1L, 2L, 0L, 0L));
    }

    @Test
    void theOrderArgumentDoesNotChangeAnExistingList() {
        List<Object> plain = unordered(5L, 1L);
        assertUnordered(longs(5, 1, 3), run(LIST_APPEND, plain, 3L, 0L, 1L));
        assertUnordered(longs(6, 1), run(LIST_INCREMENT, plain, 0L, 1L, 0L, 1L));
        OrderedList sorted = ordered(1L, 5L);
        assertOrdered(longs(1, 3, 5), run(LIST_APPEND, sorted, 3L, 0L, 0L));
        assertOrdered(longs(0, 1, 5), run(LIST_APPEND_ITEMS, sorted, List.of(0L), 0L, 0L));
        assertOrdered(longs(5, 6), run(LIST_INCREMENT, sorted, 0L, 5L, 0L, 0L));
    }

    @Test
    void theOrderArgumentIsChecked() {
        for (Object bad : new Object[] {2L, -1L, 3L, "1", 1.0, null, true}) {
            for (List<Object> list : Arrays.asList(null, unordered(1L), ordered(1L))) {
                String what = bad + " on " + list;
                assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_APPEND, list, 1L, 0L, bad), what);
                assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_APPEND_ITEMS, list, List.of(1L), 0L, bad),
                        what);
                assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_INCREMENT, list, 0L, 1L, 0L, bad), what);
                assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_SET_ORDER, list, bad), what);
            }
        }
        assertTrue(thrown(LIST_APPEND, null, 1L, 0L, 2L).getMessage()
                .contains("order must be 0 (UNORDERED) or 1 (ORDERED)"));
        // One argument too many.
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_APPEND_ITEMS, null, List.of(), 0L, 1L, 1L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_INCREMENT, null, 0L, 1L, 0L, 1L, 1L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_SET_ORDER, null));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_SET_ORDER, null, 1L, 1L));
    }

    // ---- LIST_SET_ORDER -------------------------------------------------------------------------------------------

    @Test
    void setOrderOnAnAbsentBinCreatesAnEmptyListOfThatOrder() {
        Applied ordered = run(LIST_SET_ORDER, null, 1L);
        assertNull(ordered.result());
        assertSame(OrderedList.empty(), ordered.list());
        Applied plain = run(LIST_SET_ORDER, null, 0);
        assertNull(plain.result());
        assertUnordered(List.of(), plain);
    }

    @Test
    void setOrderedSortsTheList() {
        Applied a = run(LIST_SET_ORDER, unordered("b", 3L, 1L, 2.5, 3L, null), 1L);
        assertNull(a.result());
        assertOrdered(Arrays.asList(null, 1L, 3L, 3L, "b", 2.5), a);
        assertOrdered(longs(7), run(LIST_SET_ORDER, unordered(7L), 1L));
        assertSame(OrderedList.empty(), run(LIST_SET_ORDER, unordered(), 1L).list());
    }

    @Test
    void setUnorderedKeepsTheElementsWhereTheyAre() {
        Applied a = run(LIST_SET_ORDER, ordered(3L, 1L, 2L), 0L);
        assertNull(a.result());
        assertUnordered(longs(1, 2, 3), a);
        // From now on it behaves as an unordered list: append goes to the end.
        assertUnordered(longs(1, 2, 3, 0), run(LIST_APPEND, a.list(), 0L, 0L));
    }

    @Test
    void setOrderToTheCurrentOrderChangesNothing() {
        OrderedList sorted = ordered(1L, 2L);
        assertSame(sorted, run(LIST_SET_ORDER, sorted, 1L).list());
        List<Object> plain = unordered(2L, 1L);
        assertSame(plain, run(LIST_SET_ORDER, plain, 0L).list());
    }

    // ---- append ---------------------------------------------------------------------------------------------------

    @Test
    void appendPutsTheValueInItsPlace() {
        OrderedList l = ordered(1L, 3L, 5L);
        Applied a = run(LIST_APPEND, l, 4L, 0L);
        assertEquals(4L, a.result());
        assertOrdered(longs(1, 3, 4, 5), a);
        assertOrdered(longs(0, 1, 3, 5), run(LIST_APPEND, l, 0, 0L));
        assertOrdered(longs(1, 3, 5, 9), run(LIST_APPEND, l, 9L, 0L));
        assertOrdered(longs(1, 3, 3, 5), run(LIST_APPEND, l, 3L, 0L));
        // Across types in ValueOrder: null < integers < strings < doubles.
        assertOrdered(Arrays.asList(1L, 3L, 5L, "a"), run(LIST_APPEND, l, "a", 0L));
        assertOrdered(Arrays.asList(1L, 3L, 5L, 0.5), run(LIST_APPEND, l, 0.5, 0L));
        assertOrdered(Arrays.asList(null, 1L, 3L, 5L), run(LIST_APPEND, l, null, 0L));
        // INSERT_BOUNDED has nothing to bound.
        assertOrdered(longs(1, 2, 3, 5), run(LIST_APPEND, l, 2L, BOUNDED));
    }

    @Test
    void appendUniqueOnAnOrderedList() {
        OrderedList l = ordered(1L, 3L, 5L);
        assertEquals(ResultCode.ELEMENT_EXISTS, failure(LIST_APPEND, l, 3L, ADD_UNIQUE));
        assertEquals(ResultCode.ELEMENT_EXISTS, failure(LIST_APPEND, l, 3L, ADD_UNIQUE | PARTIAL));
        Applied noop = run(LIST_APPEND, l, 3L, ADD_UNIQUE | NO_FAIL);
        assertSame(l, noop.list());
        assertEquals(3L, noop.result());
        assertSame(l, run(LIST_APPEND, l, 3L, ADD_UNIQUE | NO_FAIL | PARTIAL).list());
        assertOrdered(longs(1, 3, 4, 5), run(LIST_APPEND, l, 4L, ADD_UNIQUE));
        // 3.0 is not 3.
        assertOrdered(Arrays.asList(1L, 3L, 5L, 3.0), run(LIST_APPEND, l, 3.0, ADD_UNIQUE));
    }

    @Test
    void appendItemsMergesTheSortedItems() {
        Applied a = run(LIST_APPEND_ITEMS, ordered(2L, 4L), List.of(5L, 1L, 3L, 3L, 4L), 0L);
        assertEquals(7L, a.result());
        assertOrdered(longs(1, 2, 3, 3, 4, 4, 5), a);
        assertOrdered(Arrays.asList(2L, 4L, "x", 1.5), run(LIST_APPEND_ITEMS, ordered(2L, 4L), List.of(1.5, "x"), 0L));
    }

    @Test
    void appendItemsEmptyChangesNothing() {
        OrderedList l = ordered(2L, 4L);
        Applied a = run(LIST_APPEND_ITEMS, l, List.of(), ADD_UNIQUE);
        assertSame(l, a.list());
        assertEquals(2L, a.result());
    }

    @Test
    void appendItemsUniqueWithItemsInTheList() {
        OrderedList l = ordered(2L, 4L);
        List<Object> items = List.of(5L, 1L, 2L);
        assertEquals(ResultCode.ELEMENT_EXISTS, failure(LIST_APPEND_ITEMS, l, items, ADD_UNIQUE));
        assertEquals(ResultCode.ELEMENT_EXISTS, failure(LIST_APPEND_ITEMS, l, items, ADD_UNIQUE | PARTIAL));
        Applied noop = run(LIST_APPEND_ITEMS, l, items, ADD_UNIQUE | NO_FAIL);
        assertSame(l, noop.list());
        assertEquals(2L, noop.result());
        Applied partial = run(LIST_APPEND_ITEMS, l, items, ADD_UNIQUE | NO_FAIL | PARTIAL);
        assertEquals(4L, partial.result());
        assertOrdered(longs(1, 2, 4, 5), partial);
        Applied allPresent = run(LIST_APPEND_ITEMS, l, List.of(4L, 2L), ADD_UNIQUE | NO_FAIL | PARTIAL);
        assertSame(l, allPresent.list());
        assertEquals(2L, allPresent.result());
    }

    @Test
    void appendItemsUniqueWithRepeatedItems() {
        OrderedList l = ordered(2L, 4L);
        List<Object> items = List.of(5L, 1L, 5L);
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_APPEND_ITEMS, l, items, ADD_UNIQUE));
        Applied noop = run(LIST_APPEND_ITEMS, l, items, ADD_UNIQUE | NO_FAIL);
        assertSame(l, noop.list());
        assertEquals(2L, noop.result());
        Applied partial = run(LIST_APPEND_ITEMS, l, items, ADD_UNIQUE | NO_FAIL | PARTIAL);
        assertEquals(4L, partial.result());
        assertOrdered(longs(1, 2, 4, 5), partial);
        // Repeats within the items are judged before the items are looked up in the list: a present item does not
        // make it ELEMENT_EXISTS, as it does for an unordered list (packed_list_insert checks item by item).
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_APPEND_ITEMS, l, List.of(2L, 5L, 5L), ADD_UNIQUE));
        assertEquals(ResultCode.ELEMENT_EXISTS,
                failure(LIST_APPEND_ITEMS, unordered(2L, 4L), List.of(2L, 5L, 5L), ADD_UNIQUE));
        assertOrdered(longs(2, 4, 5),
                run(LIST_APPEND_ITEMS, l, List.of(2L, 5L, 5L, 4L), ADD_UNIQUE | NO_FAIL | PARTIAL));
        // Without ADD_UNIQUE repeats are kept.
        assertOrdered(longs(1, 2, 4, 5, 5), run(LIST_APPEND_ITEMS, l, items, 0L));
    }

    // ---- insert and set are refused -------------------------------------------------------------------------------

    @Test
    void insertAndSetAreNotApplicable() {
        OrderedList l = ordered(1L, 2L);
        for (OperateException e : List.of(
                thrown(LIST_INSERT, l, 0L, 5L, 0L),
                thrown(LIST_INSERT, l, 2L, 5L, ADD_UNIQUE | NO_FAIL),
                thrown(LIST_INSERT_ITEMS, l, 1L, List.of(5L), 0L),
                thrown(LIST_INSERT_ITEMS, l, 1L, List.of(), 0L),
                thrown(LIST_SET, l, 0L, 1L, 0L),
                thrown(LIST_SET, l, 5L, 1L, NO_FAIL),
                thrown(LIST_INSERT, OrderedList.empty(), 0L, 5L, 0L))) {
            assertEquals(ResultCode.OP_NOT_APPLICABLE, e.code());
            assertTrue(e.getMessage().contains("not allowed on an ORDERED list"), e.getMessage());
            assertTrue(e.getMessage().contains("append"), e.getMessage());
        }
        // Arguments are still checked first.
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_INSERT, l, "0", 5L, 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_INSERT_ITEMS, l, 0L, 5L, 0L));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_SET, l, 0L, 5L, 99L));
    }

    // ---- increment ------------------------------------------------------------------------------------------------

    @Test
    void incrementMovesTheElementForward() {
        Applied a = run(LIST_INCREMENT, ordered(1L, 5L, 7L, 9L), 0L, 7L, 0L);
        assertEquals(8L, a.result());
        assertOrdered(longs(5, 7, 8, 9), a);
        assertOrdered(longs(5, 7, 9, 11), run(LIST_INCREMENT, ordered(1L, 5L, 7L, 9L), 0L, 10L, 0L));
        // To an equal element's place: before it.
        assertOrdered(longs(5, 7, 7, 9), run(LIST_INCREMENT, ordered(1L, 5L, 7L, 9L), 0L, 6L, 0L));
    }

    @Test
    void incrementMovesTheElementBackward() {
        Applied a = run(LIST_INCREMENT, ordered(1L, 5L, 7L, 9L), -1L, -8L, 0L);
        assertEquals(1L, a.result());
        assertOrdered(longs(1, 1, 5, 7), a);
        assertOrdered(longs(0, 1, 5, 9), run(LIST_INCREMENT, ordered(1L, 5L, 7L, 9L), 2L, -7L, 0L));
        // Staying in place.
        assertOrdered(longs(1, 6, 7, 9), run(LIST_INCREMENT, ordered(1L, 5L, 7L, 9L), 1L, 1L, 0L));
    }

    @Test
    void incrementKeepsTheElementsTypeInAnOrderedList() {
        Applied d = run(LIST_INCREMENT, ordered(1L, 2.5), 1L, 1L, 0L);
        assertEquals(3.5, d.result());
        assertOrdered(Arrays.asList(1L, 3.5), d);
        // An integer takes a double delta truncated, and stays before every double.
        Applied i = run(LIST_INCREMENT, ordered(1L, 2.5), 0L, 3.9, 0L);
        assertEquals(4L, i.result());
        assertOrdered(Arrays.asList(4L, 2.5), i);
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_INCREMENT, ordered("a"), 0L, 1L, 0L));
    }

    @Test
    void incrementAtTheSizeAddsTheDelta() {
        OrderedList l = ordered(1L, 5L);
        Applied a = run(LIST_INCREMENT, l, 2L, 3L, 0L);
        assertEquals(3L, a.result());
        assertOrdered(longs(1, 3, 5), a);
        // INSERT_BOUNDED does not apply to packed_list_replace_ordered.
        assertOrdered(longs(1, 3, 5), run(LIST_INCREMENT, l, 2L, 3L, BOUNDED));
        assertOrdered(longs(1, 5, 7), run(LIST_INCREMENT, l, 2L, 7L, 0L));
    }

    @Test
    void incrementBeyondTheSizeIsNotApplicable() {
        OrderedList l = ordered(1L, 5L);
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_INCREMENT, l, 3L, 3L, 0L));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_INCREMENT, l, 3L, 3L, NO_FAIL));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_INCREMENT, l, 100L, 3L, 0L));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_INCREMENT, l, -3L, 3L, 0L));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_INCREMENT, l, 1L << 31, 3L, 0L));
    }

    @Test
    void incrementUniqueOnAnOrderedList() {
        OrderedList l = ordered(1L, 5L, 7L);
        // 1 + 4 = 5, already present elsewhere.
        assertEquals(ResultCode.ELEMENT_EXISTS, failure(LIST_INCREMENT, l, 0L, 4L, ADD_UNIQUE));
        Applied noop = run(LIST_INCREMENT, l, 0L, 4L, ADD_UNIQUE | NO_FAIL);
        assertSame(l, noop.list());
        assertEquals(5L, noop.result());
        // 5 + 0 = 5: the element replaced by its own value, a no-op that still answers the value.
        Applied self = run(LIST_INCREMENT, l, 1L, 0L, ADD_UNIQUE);
        assertSame(l, self.list());
        assertEquals(5L, self.result());
        // With a duplicate before it, the element's lowest rank is not its index: ELEMENT_EXISTS.
        OrderedList fives = ordered(5L, 5L);
        assertEquals(ResultCode.ELEMENT_EXISTS, failure(LIST_INCREMENT, fives, 1L, 0L, ADD_UNIQUE));
        assertSame(fives, run(LIST_INCREMENT, fives, 0L, 0L, ADD_UNIQUE).list());
        // At the size, the delta itself must be new.
        assertEquals(ResultCode.ELEMENT_EXISTS, failure(LIST_INCREMENT, l, 3L, 7L, ADD_UNIQUE));
        assertOrdered(longs(1, 6, 7), run(LIST_INCREMENT, l, 1L, 1L, ADD_UNIQUE));
        // Without ADD_UNIQUE an equal value is fine.
        assertOrdered(longs(5, 5, 7), run(LIST_INCREMENT, l, 0L, 4L, 0L));
    }

    // ---- sort, clear ----------------------------------------------------------------------------------------------

    @Test
    void sortKeepsTheOrderAndDropsDuplicates() {
        OrderedList l = ordered(3L, 1L, 3L, 2L, 1L);
        Applied asc = run(LIST_SORT, l, 0L);
        assertNull(asc.result());
        assertOrdered(longs(1, 1, 2, 3, 3), asc);
        assertOrdered(longs(1, 1, 2, 3, 3), run(LIST_SORT, l, DESCENDING));
        assertOrdered(longs(1, 2, 3), run(LIST_SORT, l, DROP_DUPLICATES));
        assertOrdered(longs(1, 2, 3), run(LIST_SORT, l, DESCENDING | DROP_DUPLICATES));
        assertOrdered(List.of(), run(LIST_SORT, OrderedList.empty(), DROP_DUPLICATES));
        assertEquals(ResultCode.PARAMETER_ERROR, failure(LIST_SORT, l, 4L));
    }

    @Test
    void clearKeepsTheListOrdered() {
        Applied cleared = run(LIST_CLEAR, ordered(3L, 1L));
        assertNull(cleared.result());
        assertSame(OrderedList.empty(), cleared.list());
        Applied a = run(LIST_APPEND, cleared.list(), 3L, 0L);
        assertOrdered(longs(1, 3), run(LIST_APPEND, a.list(), 1L, 0L));
        assertNull(run(LIST_CLEAR, null).list());
    }

    // ---- removals and reads ---------------------------------------------------------------------------------------

    @Test
    void removalsStoreOrderedLists() {
        OrderedList l = ordered(1L, 2L, 2L, 3L, 4L, 5L);
        assertOrdered(longs(1, 2, 3, 4, 5), run(LIST_REMOVE_BY_INDEX, l, 1L, NONE));
        assertOrdered(longs(1, 4, 5), run(LIST_REMOVE_BY_INDEX_RANGE, l, 1L, 3L, NONE));
        assertOrdered(longs(2, 2, 3), run(LIST_REMOVE_BY_INDEX_RANGE, l, 1L, 3L, NONE | INVERTED));
        assertOrdered(longs(1, 2, 2, 3, 4), run(LIST_REMOVE_BY_RANK, l, -1L, NONE));
        assertOrdered(longs(3, 4, 5), run(LIST_REMOVE_BY_RANK_RANGE, l, 0L, 3L, NONE));
        assertOrdered(longs(1, 3, 4, 5), run(LIST_REMOVE_BY_VALUE, l, 2L, NONE));
        assertOrdered(longs(2, 2), run(LIST_REMOVE_BY_VALUE, l, 2L, NONE | INVERTED));
        assertOrdered(longs(1, 3, 5), run(LIST_REMOVE_BY_VALUE_LIST, l, List.of(4L, 2L), NONE));
        assertOrdered(longs(1, 2, 2, 3, 4), run(LIST_POP, l, -1L));
        assertOrdered(longs(3, 4, 5), run(LIST_POP_RANGE, l, 0L, 3L));
        assertOrdered(longs(2, 3), run(LIST_TRIM, l, 2L, 2L));
        assertSame(OrderedList.empty(), run(LIST_REMOVE_BY_INDEX_RANGE, l, 0L, COUNT).list());
        assertSame(OrderedList.empty(), run(LIST_TRIM, l, 10L, 1L).list());
        // Removing nothing keeps the instance.
        assertSame(l, run(LIST_REMOVE_BY_VALUE, l, 9L, COUNT).list());
    }

    @Test
    void readsReturnTheSameInstance() {
        OrderedList l = ordered(1L, 2L, 2L, 3L);
        assertSame(l, run(LIST_SIZE, l).list());
        assertSame(l, run(LIST_GET_BY_INDEX, l, 0L, VALUE).list());
        assertSame(l, run(LIST_GET_BY_INDEX_RANGE, l, 0L, 2L, RANK).list());
        assertSame(l, run(LIST_GET_BY_RANK, l, 0L, VALUE).list());
        assertSame(l, run(LIST_GET_BY_RANK_RANGE, l, 0L, 2L, VALUE | INVERTED).list());
        assertSame(l, run(LIST_GET_BY_VALUE, l, 2L, INDEX).list());
        assertSame(l, run(LIST_GET_BY_VALUE_LIST, l, List.of(2L, 3L), VALUE).list());
    }

    @Test
    void ranksAreIndexes() {
        OrderedList l = ordered(1L, 1L, 2L, 3L, 3L);
        int n = l.size();
        for (long i = 0; i < n; i++) {
            assertEquals(i, result(LIST_GET_BY_INDEX, l, i, RANK), "rank of index " + i);
            assertEquals(n - 1 - i, result(LIST_GET_BY_INDEX, l, i, REVERSE_RANK), "reverse rank of index " + i);
            assertEquals(i, result(LIST_GET_BY_RANK, l, i, INDEX), "index of rank " + i);
            assertEquals(l.get((int) i), result(LIST_GET_BY_RANK, l, i, VALUE), "value of rank " + i);
        }
        assertEquals(longs(1, 2, 3), result(LIST_GET_BY_INDEX_RANGE, l, 1L, 3L, RANK));
        assertEquals(longs(1, 2, 3), result(LIST_GET_BY_INDEX_RANGE, l, 1L, 3L, REVERSE_RANK));
        assertEquals(longs(0, 4), result(LIST_GET_BY_INDEX_RANGE, l, 1L, 3L, RANK | INVERTED));
        // In an unordered list holding the same elements, equal elements share the lower rank.
        List<Object> plain = unordered(1L, 1L, 2L, 3L, 3L);
        assertEquals(0L, result(LIST_GET_BY_INDEX, plain, 1L, RANK));
        assertEquals(3L, result(LIST_GET_BY_INDEX, plain, 4L, RANK));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_GET_BY_RANK, l, 5L, VALUE));
        assertEquals(ResultCode.OP_NOT_APPLICABLE, failure(LIST_GET_BY_RANK, l, 0L, VALUE | INVERTED));
    }

    @Test
    void byRankAndByValueSelectIndexRanges() {
        OrderedList l = ordered(5L, 6L, 7L, 8L, 9L, 10L);
        // packed_list_get_remove_by_rank_range selects the index range: values in order (an unordered list answers
        // this range from the server's heap, largest first).
        assertEquals(longs(5, 6, 7), result(LIST_GET_BY_RANK_RANGE, l, 0L, 3L, VALUE));
        assertEquals(longs(7, 6, 5), result(LIST_GET_BY_RANK_RANGE, unordered(5L, 6L, 7L, 8L, 9L, 10L), 0L, 3L, VALUE));
        assertEquals(longs(3, 4, 5), result(LIST_GET_BY_RANK_RANGE, l, 0L, 3L, REVERSE_INDEX));
        assertEquals(longs(9, 10), result(LIST_GET_BY_RANK_RANGE, l, -2L, VALUE));
        OrderedList dup = ordered(0L, 0L, 0L, 1L, 2L);
        // The equal elements are an index range, whose reverse indexes ascend (unordered: by mask, descending).
        assertEquals(longs(2, 3, 4), result(LIST_GET_BY_VALUE, dup, 0L, REVERSE_INDEX));
        assertEquals(longs(4, 3, 2), result(LIST_GET_BY_VALUE, unordered(0L, 0L, 0L, 1L, 2L), 0L, REVERSE_INDEX));
        assertEquals(longs(0, 1, 2), result(LIST_GET_BY_VALUE, dup, 0L, RANK));
        assertEquals(longs(3, 4), result(LIST_GET_BY_VALUE, dup, 0L, INDEX | INVERTED));
        assertEquals(list(0L, 0L, 0L), result(LIST_GET_BY_VALUE, dup, 0L, VALUE));
        assertEquals(5L, result(LIST_GET_BY_VALUE, dup, 9L, COUNT | INVERTED));
        assertEquals(list(), result(LIST_GET_BY_VALUE, dup, 9L, INDEX));
    }

    @Test
    void byValueListAnswersValueByValue() {
        OrderedList l = ordered(1L, 2L, 2L, 3L);
        List<Object> values = List.of(3L, 2L, 3L, 9L);
        // packed_list_get_remove_all_by_value_list_ordered: in the order of values, a repeated value again.
        assertEquals(longs(3, 2, 2, 3), result(LIST_GET_BY_VALUE_LIST, l, values, VALUE));
        assertEquals(longs(3, 1, 2, 3), result(LIST_GET_BY_VALUE_LIST, l, values, INDEX));
        assertEquals(longs(3, 1, 2, 3), result(LIST_GET_BY_VALUE_LIST, l, values, RANK));
        assertEquals(longs(0, 1, 2, 0), result(LIST_GET_BY_VALUE_LIST, l, values, REVERSE_INDEX));
        assertEquals(longs(0, 1, 2, 0), result(LIST_GET_BY_VALUE_LIST, l, values, REVERSE_RANK));
        assertEquals(3L, result(LIST_GET_BY_VALUE_LIST, l, values, COUNT));
        // Inverted: by mask, in index order.
        assertEquals(longs(0), result(LIST_GET_BY_VALUE_LIST, l, values, INDEX | INVERTED));
        assertEquals(longs(3), result(LIST_GET_BY_VALUE_LIST, l, values, REVERSE_RANK | INVERTED));
        assertEquals(longs(1), result(LIST_GET_BY_VALUE_LIST, l, values, VALUE | INVERTED));
        Applied removed = run(LIST_REMOVE_BY_VALUE_LIST, l, values, VALUE);
        assertEquals(longs(3, 2, 2, 3), removed.result());
        assertOrdered(longs(1), removed);
        assertEquals(longs(0, 1, 2, 3), result(LIST_GET_BY_VALUE_LIST, l, List.of(), INDEX | INVERTED));
    }

    // ---- randomized -----------------------------------------------------------------------------------------------

    /** Random list operations on an ORDERED list, checked against a sorted ArrayList after each. */
    @Test
    void randomOperationsKeepTheListOrdered() {
        long seed = Long.getLong("partita.test.seed", 0x5EED_0D1EL);
        Random random = new Random(seed);
        List<Object> list = run(LIST_SET_ORDER, null, 1L).list();
        List<Object> model = new ArrayList<>();
        for (int step = 0; step < 4000; step++) {
            Step s = randomStep(random, model);
            String context = "seed " + seed + " (-Dpartita.test.seed=" + seed + "), step " + step + ", " + s.code
                    + " " + Arrays.deepToString(s.args) + " on " + list + ": ";
            Applied applied;
            try {
                applied = ListOps.apply(Operation.of(s.code, "bin", s.args), list);
            } catch (OperateException e) {
                if (s.expectedFailure == null) {
                    fail(context + "unexpected " + e.code() + ": " + e.getMessage());
                }
                assertEquals(s.expectedFailure, e.code(), context);
                continue;
            }
            if (s.expectedFailure != null) {
                fail(context + "expected " + s.expectedFailure + ", got " + applied);
            }
            if (s.expectedResult != UNCHECKED) {
                assertEquals(s.expectedResult, applied.result(), context + "result");
            }
            list = applied.list();
            assertInstanceOf(OrderedList.class, list, context + "stored list");
            assertSorted(list, context);
            assertEquals(s.model, list, context + "elements");
            model = s.model;
        }
    }

    private static final Object UNCHECKED = new Object();

    /** A random operation and what the model expects of it: a failure, or the elements after and the result. */
    private static final class Step {
        OpCode code;
        Object[] args;
        ResultCode expectedFailure;
        Object expectedResult = UNCHECKED;
        List<Object> model;

        Step(OpCode code, List<Object> model, Object... args) {
            this.code = code;
            this.args = args;
            this.model = new ArrayList<>(model);
        }

        Step fails(ResultCode code) {
            expectedFailure = code;
            return this;
        }

        Step answers(Object result) {
            expectedResult = result;
            return this;
        }

        /** Adds values to the model, keeping it sorted. */
        void add(List<Object> values) {
            model.addAll(values);
            model.sort(ValueOrder.ORDER);
        }
    }

    private static Object randomValue(Random random) {
        int kind = random.nextInt(10);
        if (kind < 6) {
            return (long) random.nextInt(12) - 2;
        }
        if (kind < 8) {
            return String.valueOf((char) ('a' + random.nextInt(3)));
        }
        if (kind < 9) {
            return random.nextInt(4) - 1.5;
        }
        return random.nextBoolean() ? null : List.of((long) random.nextInt(2));
    }

    private static boolean contains(List<Object> model, Object value) {
        for (Object e : model) {
            if (ValueOrder.compare(e, value) == 0) {
                return true;
            }
        }
        return false;
    }

    private static Step randomStep(Random random, List<Object> model) {
        int n = model.size();
        // Keep the list around a few dozen elements: add more while it is small, remove more when it is large.
        int choice = random.nextInt(n < 10 ? 6 : n > 40 ? 16 : 14);
        switch (choice) {
            case 0:
            case 1: {
                Object value = randomValue(random);
                long[] flagChoices = {0, ADD_UNIQUE, ADD_UNIQUE | NO_FAIL, BOUNDED};
                long flags = flagChoices[random.nextInt(flagChoices.length)];
                Step s = new Step(LIST_APPEND, model, value, flags);
                if ((flags & ADD_UNIQUE) != 0 && contains(model, value)) {
                    return (flags & NO_FAIL) != 0 ? s.answers((long) n) : s.fails(ResultCode.ELEMENT_EXISTS);
                }
                s.add(Collections.singletonList(value));
                return s.answers((long) n + 1);
            }
            case 2:
            case 3: {
                List<Object> items = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    items.add(randomValue(random));
                }
                long[] flagChoices = {0, ADD_UNIQUE, ADD_UNIQUE | NO_FAIL, ADD_UNIQUE | NO_FAIL | PARTIAL};
                long flags = flagChoices[random.nextInt(flagChoices.length)];
                Step s = new Step(LIST_APPEND_ITEMS, model, items, flags);
                if ((flags & ADD_UNIQUE) == 0) {
                    s.add(items);
                    return s.answers((long) s.model.size());
                }
                boolean noFail = (flags & NO_FAIL) != 0;
                boolean partial = (flags & PARTIAL) != 0;
                TreeSet<Object> distinct = new TreeSet<>(ValueOrder.ORDER);
                distinct.addAll(items);
                if (distinct.size() < items.size() && !partial) {
                    return noFail ? s.answers((long) n) : s.fails(ResultCode.OP_NOT_APPLICABLE);
                }
                List<Object> fresh = new ArrayList<>();
                for (Object item : distinct) {
                    if (!contains(model, item)) {
                        fresh.add(item);
                    } else if (!partial) {
                        return noFail ? s.answers((long) n) : s.fails(ResultCode.ELEMENT_EXISTS);
                    }
                }
                s.add(fresh);
                return s.answers((long) s.model.size());
            }
            case 4:
            case 5: {
                int index = random.nextInt(n + 2);
                long delta = random.nextInt(9) - 4;
                long flags = random.nextBoolean() ? 0 : ADD_UNIQUE | NO_FAIL;
                Step s = new Step(LIST_INCREMENT, model, (long) index, delta, flags);
                if (index > n) {
                    return s.fails(ResultCode.OP_NOT_APPLICABLE);
                }
                Object old = index < n ? model.get(index) : null;
                Object updated;
                if (index == n) {
                    updated = delta;
                } else if (old instanceof Long) {
                    updated = (Long) old + delta;
                } else if (old instanceof Double) {
                    updated = (Double) old + delta;
                } else {
                    return s.fails(ResultCode.PARAMETER_ERROR);
                }
                s.answers(updated);
                // With NO_FAIL an equal value anywhere (itself included) makes it a no-op.
                if (flags != 0 && contains(model, updated)) {
                    return s;
                }
                if (index < n) {
                    s.model.remove(index);
                }
                s.add(Collections.singletonList(updated));
                return s;
            }
            case 6: {
                Object value = randomValue(random);
                Step s = new Step(LIST_REMOVE_BY_VALUE, model, value, COUNT);
                s.model.removeIf(e -> ValueOrder.compare(e, value) == 0);
                return s.answers((long) (n - s.model.size()));
            }
            case 7: {
                List<Object> values = Arrays.asList(randomValue(random), randomValue(random));
                Step s = new Step(LIST_REMOVE_BY_VALUE_LIST, model, values, COUNT);
                s.model.removeIf(e -> contains(values, e));
                return s.answers((long) (n - s.model.size()));
            }
            case 8: {
                int index = n == 0 ? 0 : random.nextInt(n);
                Step s = new Step(LIST_REMOVE_BY_INDEX, model, (long) index, VALUE);
                if (n == 0) {
                    return s.fails(ResultCode.OP_NOT_APPLICABLE);
                }
                return s.answers(s.model.remove(index));
            }
            case 9: {
                int rank = n == 0 ? 0 : random.nextInt(n);
                int count = random.nextInt(4);
                Step s = new Step(LIST_REMOVE_BY_RANK_RANGE, model, (long) rank, (long) count, VALUE);
                List<Object> range = s.model.subList(rank, Math.min(n, rank + count));
                s.answers(new ArrayList<>(range));
                range.clear();
                return s;
            }
            case 10: {
                Step s = new Step(LIST_POP, model, -1L);
                if (n == 0) {
                    return s.fails(ResultCode.OP_NOT_APPLICABLE);
                }
                return s.answers(s.model.remove(n - 1));
            }
            case 11: {
                Step s = new Step(LIST_SORT, model, DESCENDING | DROP_DUPLICATES);
                TreeSet<Object> distinct = new TreeSet<>(ValueOrder.ORDER);
                distinct.addAll(model);
                s.model = new ArrayList<>(distinct);
                return s.answers(null);
            }
            case 12: {
                Step s = new Step(LIST_GET_BY_RANK_RANGE, model, 0L, 3L, VALUE);
                return s.answers(new ArrayList<>(model.subList(0, Math.min(3, n))));
            }
            case 13: {
                if (random.nextInt(20) == 0) {
                    Step s = new Step(LIST_CLEAR, model);
                    s.model.clear();
                    return s.answers(null);
                }
                // Already ORDERED: no change.
                return new Step(LIST_SET_ORDER, model, 1L).answers(null);
            }
            default: {
                int index = n == 0 ? 0 : random.nextInt(n);
                int count = random.nextInt(n + 1);
                Step s = new Step(LIST_TRIM, model, (long) index, (long) count);
                s.model = new ArrayList<>(model.subList(index, Math.min(n, index + count)));
                return s.answers((long) (n - s.model.size()));
            }
        }
    }
}
