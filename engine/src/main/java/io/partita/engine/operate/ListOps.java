package io.partita.engine.operate;

import io.partita.protocol.BinValues;
import io.partita.protocol.OrderedList;
import io.partita.protocol.ResultCode;
import io.partita.protocol.ReturnType;
import io.partita.protocol.ValueOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * Aerospike's list operations on an unordered or ordered list bin, as one pure function: the list before, the
 * operation, and the list after plus the operation's result. Nothing here keeps state, reads a clock or iterates a
 * hash order, so every replica computes the same answer from the same log entry.
 *
 * <p>The rules follow Aerospike's documentation where it speaks
 * (https://aerospike.com/docs/develop/data-types/collections/list/operations, the Java client's {@code ListOperation},
 * {@code ListReturnType}, {@code ListWriteFlags}, {@code ListSortFlags}) and otherwise the server's source
 * (aerospike-server {@code as/src/base/particle_list.c} and {@code cdt.c}; function names are cited where a rule
 * comes from there). In short:
 * <ul>
 *   <li>An index or rank counts from 0 at the front, or from -1 at the back when negative. A single-element
 *       get/remove/pop out of bounds fails with OP_NOT_APPLICABLE; a range is clipped to the list, so a range wholly
 *       outside it selects nothing (and a trim outside it removes everything).</li>
 *   <li>Insert, set and increment beyond the end pad the list with nulls, unless INSERT_BOUNDED.</li>
 *   <li>On an absent bin, read operations answer null, remove/pop/trim/clear do nothing (the bin stays absent), the
 *       adding operations (append, insert, set, increment) first create an empty list, and sort fails with
 *       BIN_TYPE_ERROR.</li>
 *   <li>Values are ordered by {@link ValueOrder}; the rank of an element is its position in the list sorted by that
 *       order, equal elements ranked by index (lower index first) where a rank has to pick one of them.</li>
 * </ul>
 *
 * <p>An <b>ORDERED</b> list (Aerospike's ListOrder.ORDERED) is an {@link OrderedList}: its elements stay in
 * ValueOrder, and every list stored for it is an OrderedList again. Where the server treats it differently:
 * <ul>
 *   <li>Append places each value after the elements equal to it (packed_list_add_ordered,
 *       packed_list_add_items_ordered); INSERT_BOUNDED does not apply, and with ADD_UNIQUE repeats within the items
 *       are judged before the items are looked up in the list.</li>
 *   <li>Insert and set fail with OP_NOT_APPLICABLE (list_insert, list_set). Increment replaces the element and moves
 *       the new value to its place (packed_list_replace_ordered); its index may be the size, not beyond (no
 *       padding), and with ADD_UNIQUE the value may equal the element it replaces.</li>
 *   <li>Sort keeps the order, DESCENDING ignored, but DROP_DUPLICATES drops (list_sort); clear keeps the list
 *       ORDERED.</li>
 *   <li>A rank is the index, so by-rank and by-value selections are index ranges and RANK answers read as INDEX
 *       answers (packed_list_get_remove_by_rank_range and packed_list_get_remove_by_value_interval select by index);
 *       by value list answers value by value in the order the values are given
 *       (packed_list_get_remove_all_by_value_list_ordered).</li>
 *   <li>LIST_SET_ORDER sets the order (list_set_flags): sorting a list that becomes ORDERED, keeping the elements
 *       where they are in one that becomes unordered. The optional order argument of append, append-items and
 *       increment gives the order of the list they create on an absent bin (the server's create type); an existing
 *       list keeps its own.</li>
 * </ul>
 * Arguments are checked first, for every operation, even when the bin is absent; a bad argument fails with
 * PARAMETER_ERROR. Work is O(n log n) at most in the list size n.
 */
final class ListOps {
    /** The list to store after an operation and the operation's result. list == null: the bin stays absent. */
    record Applied(List<Object> list, Object result) {
    }

    // Aerospike's ListWriteFlags.
    static final long ADD_UNIQUE = 0x01;
    static final long INSERT_BOUNDED = 0x02;
    static final long NO_FAIL = 0x04;
    static final long PARTIAL = 0x08;
    private static final long WRITE_FLAGS = ADD_UNIQUE | INSERT_BOUNDED | NO_FAIL | PARTIAL;

    // Aerospike's ListSortFlags.
    static final long SORT_DESCENDING = 0x01;
    static final long SORT_DROP_DUPLICATES = 0x02;
    private static final long SORT_FLAGS = SORT_DESCENDING | SORT_DROP_DUPLICATES;

    /**
     * Most nulls one insert, set or increment may add to reach an index beyond the end. Aerospike allows indexes up to
     * 2^31-1 and lets the record size limit refuse the result; Partita refuses earlier so that a stray index cannot
     * make a node build a huge list in memory first.
     */
    static final int MAX_PADDING = 1 << 20;

    /** Aerospike's largest insert/set/increment index (INT32_MAX in packed_list_insert and list_increment). */
    private static final long MAX_INSERT_INDEX = Integer.MAX_VALUE;

    // Aerospike's ListOrder.
    static final long UNORDERED = 0;
    static final long ORDERED = 1;

    /** What {@link #firstRepeat} answers when no item repeats (null is an item like any other). */
    private static final Object NONE_REPEATED = new Object();

    private ListOps() {
    }

    /**
     * Applies one LIST_* operation. list: the bin's current value when it is a List (unmodifiable; never modify it,
     * copy into a new ArrayList when changing; an {@link OrderedList} for an ORDERED list), or null when the bin is
     * absent. The caller checks the bin type (a non-list bin never reaches here). Read operations return the same
     * list instance.
     *
     * @throws OperateException PARAMETER_ERROR for missing, extra or ill-typed arguments; otherwise as the operation
     *                          documents (OP_NOT_APPLICABLE, ELEMENT_EXISTS, BIN_TYPE_ERROR)
     */
    static Applied apply(Operation op, List<Object> list) throws OperateException {
        Args a = new Args(op);
        boolean remove = op.code().isWrite();
        switch (op.code()) {
            case LIST_APPEND: {
                a.arity(2, 3);
                List<Object> items = Collections.singletonList(a.element(0, "value"));
                long flags = a.writeFlags(1);
                return append(a, a.orCreated(list, 2), items, flags);
            }
            case LIST_APPEND_ITEMS: {
                a.arity(2, 3);
                List<Object> items = a.items(0);
                long flags = a.writeFlags(1);
                return append(a, a.orCreated(list, 2), items, flags);
            }
            case LIST_INSERT:
                a.arity(3, 3);
                return insert(a, list, a.integer(0, "index"), Collections.singletonList(a.element(1, "value")),
                        a.writeFlags(2), true);
            case LIST_INSERT_ITEMS:
                a.arity(3, 3);
                return insert(a, list, a.integer(0, "index"), a.items(1), a.writeFlags(2), true);
            case LIST_SET:
                a.arity(3, 3);
                return set(a, list, a.integer(0, "index"), a.element(1, "value"), a.writeFlags(2));
            case LIST_INCREMENT: {
                a.arity(3, 4);
                long index = a.integer(0, "index");
                Object delta = a.delta(1);
                long flags = a.writeFlags(2);
                return increment(a, a.orCreated(list, 3), index, delta, flags);
            }
            case LIST_SET_ORDER:
                a.arity(1, 1);
                return setOrder(list, a.order(0));
            case LIST_SIZE:
                a.arity(0, 0);
                return new Applied(list, list == null ? null : (Object) (long) list.size());
            case LIST_CLEAR:
                a.arity(0, 0);
                // The emptied list keeps its order (LIST_CLEAR: cdt_context_set_empty_list with list_is_ordered).
                return new Applied(list == null ? null : empty(isOrdered(list)), null);
            case LIST_SORT:
                a.arity(1, 1);
                return sort(a, list, a.flags(0, SORT_FLAGS, "sortFlags"));
            case LIST_POP:
                a.arity(1, 1);
                return byIndex(a, list, a.integer(0, "index"), 1, ReturnType.VALUE, false, true);
            case LIST_POP_RANGE:
                a.arity(1, 2);
                return byIndex(a, list, a.integer(0, "index"), a.size() == 2 ? a.count(1) : OpArgs.TO_END,
                        ReturnType.VALUE, true, true);
            case LIST_TRIM:
                a.arity(2, 2);
                // Trim is "remove everything outside index..index+count", answering how many went
                // (the server's LIST_TRIM is remove-by-index-range, COUNT | INVERTED).
                return byIndex(a, list, a.integer(0, "index"), a.count(1), ReturnType.COUNT | ReturnType.INVERTED,
                        true, true);
            case LIST_GET_BY_INDEX:
            case LIST_REMOVE_BY_INDEX:
                return byIndex(a, list, a.window("index", false), "index", remove);
            case LIST_GET_BY_INDEX_RANGE:
            case LIST_REMOVE_BY_INDEX_RANGE:
                return byIndex(a, list, a.window("index", true), "index", remove);
            case LIST_GET_BY_RANK:
            case LIST_REMOVE_BY_RANK:
                return byRank(a, list, a.window("rank", false), remove);
            case LIST_GET_BY_RANK_RANGE:
            case LIST_REMOVE_BY_RANK_RANGE:
                return byRank(a, list, a.window("rank", true), remove);
            case LIST_GET_BY_VALUE:
            case LIST_REMOVE_BY_VALUE:
                a.arity(2, 2);
                return byValue(a, list, a.value(0, "value"), a.returnType(1), remove);
            case LIST_GET_BY_VALUE_LIST:
            case LIST_REMOVE_BY_VALUE_LIST:
                a.arity(2, 2);
                return byValueList(a, list, a.values(0), a.returnType(1), remove);
            default:
                throw a.fail(ResultCode.PARAMETER_ERROR, "not a list operation");
        }
    }

    // ---- adding: append, insert, set, increment ------------------------------------------------------------------

    private static Applied append(Args a, List<Object> list, List<Object> items, long flags)
            throws OperateException {
        if (isOrdered(list)) {
            // list_append on an ORDERED list: packed_list_add_ordered / packed_list_add_items_ordered.
            return addOrdered(a, list, items, flags);
        }
        // Appending is inserting at the size (list_append -> packed_list_insert), within bounds by definition.
        return insert(a, list, list == null ? 0 : list.size(), items, flags, true);
    }

    /**
     * packed_list_add_ordered and packed_list_add_items_ordered (one item is a list of one): every item goes to its
     * place in ValueOrder, after the elements equal to it; INSERT_BOUNDED does not apply. ADD_UNIQUE as
     * {@link #uniqueItems} with repeats looked for first. Answers the new size (unchanged for a no-op).
     */
    private static Applied addOrdered(Args a, List<Object> list, List<Object> items, long flags)
            throws OperateException {
        Object unchanged = (long) list.size();
        List<Object> toAdd = items;
        if ((flags & ADD_UNIQUE) != 0) {
            toAdd = uniqueItems(a, list, items, flags, true);
        }
        if (toAdd == null || toAdd.isEmpty()) {
            return noChange(list, unchanged);
        }
        Object[] add = toAdd.toArray();
        Arrays.sort(add, ValueOrder.ORDER);
        Object[] merged = merge(list, add);
        return new Applied(OrderedList.ofSorted(merged), (long) merged.length);
    }

    /** The elements of sorted and add (both in ValueOrder) in ValueOrder, each added one after its equals in sorted. */
    private static Object[] merge(List<Object> sorted, Object[] add) {
        int n = sorted.size();
        Object[] out = new Object[n + add.length];
        int i = 0;
        int j = 0;
        for (int k = 0; k < out.length; k++) {
            boolean fromSorted = j == add.length || (i < n && ValueOrder.compare(sorted.get(i), add[j]) <= 0);
            out[k] = fromSorted ? sorted.get(i++) : add[j++];
        }
        return out;
    }

    /**
     * packed_list_insert: inserts items at index (negative from the back), padding with nulls beyond the end.
     *
     * @param a         the arguments, for error messages
     * @param setResult whether the result is the new size (insert, append) or null (set beyond the end)
     */
    private static Applied insert(Args a, List<Object> list, long index, List<Object> items, long flags,
                                  boolean setResult) throws OperateException {
        refuseOrdered(a, list, "insert");
        List<Object> base = list == null ? List.of() : list;
        int n = base.size();
        Object unchanged = setResult ? (Object) (long) n : null;
        if (items.isEmpty()) {
            // The server answers an empty items list before it looks at the index.
            return noChange(list, unchanged);
        }
        long at = index < 0 ? n + index : index;
        if (index > MAX_INSERT_INDEX || at < 0) {
            throw a.outOfBounds("index", index, n);
        }
        if ((flags & INSERT_BOUNDED) != 0 && at > n) {
            if ((flags & NO_FAIL) != 0) {
                return noChange(list, unchanged);
            }
            throw a.fail(ResultCode.OP_NOT_APPLICABLE, "index " + index + " is beyond the end of a list of " + n
                    + " (INSERT_BOUNDED)");
        }
        if (at - n > MAX_PADDING) {
            throw a.fail(ResultCode.OP_NOT_APPLICABLE, "index " + index + " is more than " + MAX_PADDING
                    + " beyond the end of a list of " + n);
        }
        List<Object> toAdd = items;
        if ((flags & ADD_UNIQUE) != 0) {
            toAdd = uniqueItems(a, base, items, flags, false);
            if (toAdd == null) {
                return noChange(list, unchanged);
            }
        }
        ArrayList<Object> out = new ArrayList<>((int) Math.max(n, at) + toAdd.size());
        out.addAll(base);
        while (out.size() < at) {
            out.add(null);
        }
        out.addAll((int) at, toAdd);
        return new Applied(stored(out), setResult ? (Object) (long) out.size() : null);
    }

    /**
     * ADD_UNIQUE as packed_list_insert applies it: the items to add, or null when the operation is a no-op.
     * An item already in the list: skipped with NO_FAIL|PARTIAL, else the whole operation is a no-op (NO_FAIL) or
     * fails with ELEMENT_EXISTS. An item repeated within items (and not in the list): skipped with NO_FAIL|PARTIAL, a
     * no-op with NO_FAIL alone, and OP_NOT_APPLICABLE (not ELEMENT_EXISTS) without NO_FAIL, as the server answers.
     *
     * @param repeatsFirst whether repeats within items are judged before any item is looked up in the list, as
     *                     packed_list_add_items_ordered does (order_index_sorted_mark_dup_eles first): then a repeat
     *                     fails with OP_NOT_APPLICABLE even when the repeated value, or an earlier item, is in the list
     */
    private static List<Object> uniqueItems(Args a, List<Object> base, List<Object> items, long flags,
                                            boolean repeatsFirst) throws OperateException {
        boolean noFail = (flags & NO_FAIL) != 0;
        // The server's DO_PARTIAL needs both bits; PARTIAL alone changes nothing.
        boolean partial = noFail && (flags & PARTIAL) != 0;
        if (repeatsFirst && !partial) {
            Object repeat = firstRepeat(items);
            if (repeat != NONE_REPEATED) {
                if (!noFail) {
                    throw repeatedItem(a, repeat);
                }
                return null;
            }
        }
        TreeSet<Object> present = new TreeSet<>(ValueOrder.ORDER);
        present.addAll(base);
        TreeSet<Object> seen = new TreeSet<>(ValueOrder.ORDER);
        List<Object> keep = new ArrayList<>(items.size());
        for (Object item : items) {
            boolean repeated = !seen.add(item);
            if (present.contains(item)) {
                if (partial) {
                    continue;
                }
                if (noFail) {
                    return null;
                }
                throw alreadyPresent(a, item);
            }
            if (repeated) {
                if (!noFail) {
                    throw repeatedItem(a, item);
                }
                if (!partial) {
                    return null;
                }
                continue;
            }
            keep.add(item);
        }
        return keep.isEmpty() ? null : keep;
    }

    /** The first item equal to an earlier one, or NONE_REPEATED. */
    private static Object firstRepeat(List<Object> items) {
        TreeSet<Object> seen = new TreeSet<>(ValueOrder.ORDER);
        for (Object item : items) {
            if (!seen.add(item)) {
                return item;
            }
        }
        return NONE_REPEATED;
    }

    private static OperateException repeatedItem(Args a, Object item) {
        return a.fail(ResultCode.OP_NOT_APPLICABLE, "items repeat " + BinValues.toDisplayString(item)
                + " (ADD_UNIQUE)");
    }

    private static OperateException alreadyPresent(Args a, Object value) {
        return a.fail(ResultCode.ELEMENT_EXISTS, "value " + BinValues.toDisplayString(value)
                + " is already in the list (ADD_UNIQUE)");
    }

    /**
     * ADD_UNIQUE finding the value already in the list, where the operation cannot skip it (mod_flags_return_exists):
     * a no-op answering result with NO_FAIL, else ELEMENT_EXISTS.
     */
    private static Applied exists(Args a, List<Object> list, Object value, long flags, Object result)
            throws OperateException {
        if ((flags & NO_FAIL) != 0) {
            return noChange(list, result);
        }
        throw alreadyPresent(a, value);
    }

    /**
     * list_insert and list_set refuse an ORDERED list (OP_NOT_APPLICABLE): its order, not the caller, places the
     * elements. Checked after the arguments, before anything else (even an empty items list).
     */
    private static void refuseOrdered(Args a, List<Object> list, String what) throws OperateException {
        if (isOrdered(list)) {
            throw a.fail(ResultCode.OP_NOT_APPLICABLE, what + " is not allowed on an ORDERED list: use append, or"
                    + " set the list UNORDERED first");
        }
    }

    /** list_set: replaces the element at index; beyond the end it inserts there (padding), answering null. */
    private static Applied set(Args a, List<Object> list, long index, Object value, long flags)
            throws OperateException {
        refuseOrdered(a, list, "set");
        List<Object> base = list == null ? List.of() : list;
        int n = base.size();
        if (index >= n) {
            return insert(a, list, index, Collections.singletonList(value), flags, false);
        }
        long at = index < 0 ? n + index : index;
        if (at < 0) {
            throw a.outOfBounds("index", index, n);
        }
        if ((flags & ADD_UNIQUE) != 0 && occursElsewhere(base, value, (int) at)) {
            return exists(a, list, value, flags, null);
        }
        ArrayList<Object> out = new ArrayList<>(base);
        out.set((int) at, value);
        return new Applied(stored(out), null);
    }

    /** Whether value occurs in list at an index other than at (setting an element to itself is not a duplicate). */
    private static boolean occursElsewhere(List<Object> list, Object value, int at) {
        for (int i = 0; i < list.size(); i++) {
            if (i != at && BinValues.deepEquals(list.get(i), value)) {
                return true;
            }
        }
        return false;
    }

    /**
     * list_increment: adds delta to the element at index ({@link Increments#add}) and answers the new value. Beyond
     * the end the new element is delta itself, stored through set's rules (padding, flags); on an ORDERED list through
     * {@link #replaceOrdered}.
     */
    private static Applied increment(Args a, List<Object> list, long index, Object delta, long flags)
            throws OperateException {
        List<Object> base = list == null ? List.of() : list;
        int n = base.size();
        long at = index < 0 ? n + index : index;
        if (index > MAX_INSERT_INDEX || at < 0) {
            throw a.outOfBounds("index", index, n);
        }
        Object updated = at < n ? Increments.add(a, base.get((int) at), delta, "element at index " + at) : delta;
        if (isOrdered(list)) {
            return replaceOrdered(a, list, at, updated, flags);
        }
        // With ADD_UNIQUE | NO_FAIL the set may be a no-op; the server still answers the computed value.
        return new Applied(set(a, list, at, updated, flags).list(), updated);
    }

    /**
     * packed_list_replace_ordered (list_increment on an ORDERED list): the element at index (none when index is the
     * size) makes way for value, which goes to its place in ValueOrder, before the elements equal to it. An index
     * beyond the size is OP_NOT_APPLICABLE: an ORDERED list is never padded. With ADD_UNIQUE, a value already present
     * makes the operation a no-op when it is the replaced element's own place (its lowest rank is index), else
     * ELEMENT_EXISTS (NO_FAIL: a no-op). Answers value, no-op or not, as the server does.
     */
    private static Applied replaceOrdered(Args a, List<Object> list, long index, Object value, long flags)
            throws OperateException {
        int n = list.size();
        if (index > n) {
            throw a.fail(ResultCode.OP_NOT_APPLICABLE, "index " + index + " is beyond the end of an ORDERED list of "
                    + n + " (an ORDERED list is not padded)");
        }
        int at = (int) index;
        int rank = IndexRanges.lowerBound(list.toArray(), value);
        if ((flags & ADD_UNIQUE) != 0 && rank < n && ValueOrder.compare(list.get(rank), value) == 0) {
            return rank == at ? noChange(list, value) : exists(a, list, value, flags, value);
        }
        ArrayList<Object> out = new ArrayList<>(list);
        if (at < n) {
            out.remove(at);
        }
        // rank counts the elements smaller than value; the removed one was among them when it came before rank.
        out.add(at < rank ? rank - 1 : rank, value);
        return new Applied(stored(out, true), value);
    }

    /**
     * list_set_flags (LIST_SET_ORDER): a list becoming ORDERED is sorted (stably); one becoming UNORDERED keeps its
     * elements where they are. Setting the order it has changes nothing. An absent bin gets an empty list of that
     * order.
     */
    private static Applied setOrder(List<Object> list, boolean ordered) {
        if (list == null) {
            return new Applied(empty(ordered), null);
        }
        if (ordered == isOrdered(list)) {
            return new Applied(list, null);
        }
        if (!ordered) {
            return new Applied(stored(new ArrayList<>(list)), null);
        }
        Object[] sorted = list.toArray();
        Arrays.sort(sorted, ValueOrder.ORDER); // stable (list_order_index_sort keeps equal elements in place)
        return new Applied(OrderedList.ofSorted(sorted), null);
    }

    // ---- sort -----------------------------------------------------------------------------------------------------

    private static Applied sort(Args a, List<Object> list, long flags) throws OperateException {
        if (list == null) {
            // The server refuses to sort an absent bin (AS_CDT_OP_LIST_SORT: AS_ERR_INCOMPATIBLE_TYPE).
            throw a.fail(ResultCode.BIN_TYPE_ERROR, "the bin does not exist");
        }
        boolean ordered = isOrdered(list);
        ArrayList<Object> out = new ArrayList<>(list);
        if (!ordered) {
            // list_sort leaves an ORDERED list in its order (order_index_init_values): DESCENDING does not apply.
            out.sort((flags & SORT_DESCENDING) != 0 ? ValueOrder.ORDER.reversed() : ValueOrder.ORDER);
        }
        if ((flags & SORT_DROP_DUPLICATES) != 0) {
            dropAdjacentDuplicates(out);
        }
        return new Applied(stored(out, ordered), null);
    }

    private static void dropAdjacentDuplicates(ArrayList<Object> sorted) {
        int kept = 0;
        for (int i = 0; i < sorted.size(); i++) {
            if (kept == 0 || ValueOrder.compare(sorted.get(kept - 1), sorted.get(i)) != 0) {
                sorted.set(kept++, sorted.get(i));
            }
        }
        sorted.subList(kept, sorted.size()).clear();
    }

    // ---- selection by index -------------------------------------------------------------------------------------

    /** byIndex for the operations (pop, trim, value lists) whose window is not read from the arguments as is. */
    private static Applied byIndex(Args a, List<Object> list, long index, long count, int returnType, boolean multi,
                                   boolean remove) throws OperateException {
        return byIndex(a, list, new OpArgs.Window(index, count, returnType, multi), "index", remove);
    }

    /**
     * packed_list_get_remove_by_index_range: selects count elements from index (one for a single-element operation),
     * or, INVERTED, every other element. Results list the selected elements in index order.
     *
     * @param what what w counts ("index", or "rank" for an ORDERED list's ranks), for error messages
     */
    private static Applied byIndex(Args a, List<Object> list, OpArgs.Window w, String what, boolean remove)
            throws OperateException {
        if (list == null) {
            return new Applied(null, null);
        }
        int n = list.size();
        boolean multi = w.range();
        if (!multi) {
            // Here the index is checked before INVERTED (by rank, and in maps, the other way round).
            IndexRanges.singleIndex(a, w.start(), n, what);
        }
        int[] window = IndexRanges.window(a, w, n, what);
        int start = window[0];
        int type = numberType(list, Results.baseType(w.returnType()));
        int[][] segments = Results.inverted(w.returnType()) ? IndexRanges.invertedSegments(start, window[1], n)
                : new int[][] {window};
        int[] picked = IndexRanges.indexesOf(segments);
        if (type == ReturnType.INDEX || type == ReturnType.REVERSE_INDEX) {
            // Per segment, so reverse indexes ascend within each (unlike the by-mask selections).
            boolean reverse = type == ReturnType.REVERSE_INDEX;
            Object result = multi ? Results.intRanges(segments, n, reverse)
                    : (Object) Results.number(start, n, reverse);
            return new Applied(remove ? without(list, picked) : list, result);
        }
        return answer(list, picked, type, multi, remove, reverse -> elementRanks(list, picked, multi, reverse));
    }

    /**
     * The rank of each element picked by index, in index order. As the server computes it for an unordered list
     * (packed_list_builder_add_ranks_by_range), an element's rank is the number of elements smaller than it, so
     * equal elements share a rank; when the whole list is selected the server answers 0..n-1 instead.
     */
    private static Object elementRanks(List<Object> list, int[] picked, boolean multi, boolean reverse) {
        int n = list.size();
        if (multi && picked.length == n) {
            return Results.intRanges(new int[][] {{0, n}}, n, reverse);
        }
        Object[] sorted = list.toArray();
        Arrays.sort(sorted, ValueOrder.ORDER);
        return Results.oneOrAll(
                Results.numbers(picked, i -> IndexRanges.lowerBound(sorted, list.get(i)), n, reverse), multi);
    }

    // ---- selection by rank --------------------------------------------------------------------------------------

    /**
     * packed_list_get_remove_by_rank_range: selects count elements from rank (one for a single-element operation),
     * or, INVERTED, every other element. Equal elements are ranked by index.
     */
    private static Applied byRank(Args a, List<Object> list, OpArgs.Window w, boolean remove)
            throws OperateException {
        if (list == null) {
            return new Applied(null, null);
        }
        if (isOrdered(list)) {
            // "idx == rank for ordered lists": the server selects the index range (after refusing INVERTED for a
            // single element, which by index is checked after the bounds).
            if (!w.range()) {
                a.rejectInverted(w.returnType());
            }
            return byIndex(a, list, w, "rank", remove);
        }
        int n = list.size();
        int[] window = IndexRanges.window(a, w, n, "rank");
        int start = window[0];
        int selected = window[1];
        boolean multi = w.range();
        boolean inverted = Results.inverted(w.returnType());
        int type = Results.baseType(w.returnType());
        // Equal elements keep their index order (a stable sort).
        int[] byRank = IndexRanges.sortedPositions(n, (x, y) -> ValueOrder.compare(list.get(x), list.get(y)));
        boolean[] mask = new boolean[n];
        for (int r = start; r < start + selected; r++) {
            mask[byRank[r]] = true;
        }
        int[] picked;
        if (inverted) {
            picked = IndexRanges.maskIndexes(mask, true);
        } else if (type == ReturnType.VALUE && multi && start <= n - start - selected) {
            // The server's heap hands back the lowest ranks largest first: when the range is nearer the smallest
            // values than the largest, the values come in descending rank order (the Python client's tests expect
            // remove_by_rank_range(0, 3) of [7, 6, 5, 8, 9, 10] to answer [7, 6, 5]); otherwise ascending.
            picked = reversed(Arrays.copyOfRange(byRank, start, start + selected));
        } else if (type == ReturnType.VALUE) {
            picked = Arrays.copyOfRange(byRank, start, start + selected);
        } else {
            picked = IndexRanges.maskIndexes(mask, false);
        }
        return answer(list, picked, type, multi, remove,
                reverse -> rankRange(start, selected, n, inverted, multi, reverse));
    }

    /**
     * result_data_set_index_rank_count for ranks: the numbers start..start+count-1 or, inverted, the numbers before
     * and after them; reversed numbers ascend within each segment, as the server builds them.
     */
    private static Object rankRange(int start, int count, int n, boolean inverted, boolean multi, boolean reverse) {
        if (!multi) {
            return Results.number(start, n, reverse);
        }
        return Results.intRanges(IndexRanges.windowOrAround(start, count, n, inverted), n, reverse);
    }

    // ---- selection by value -------------------------------------------------------------------------------------

    /** packed_list_get_remove_by_value_interval for one value: every element equal to value, or every other one. */
    private static Applied byValue(Args a, List<Object> list, Object value, int returnType, boolean remove)
            throws OperateException {
        if (list == null) {
            return new Applied(null, null);
        }
        if (isOrdered(list)) {
            // In an ORDERED list the equal elements are the index range of their ranks, which the server selects.
            int[] range = equalRange(list.toArray(), value);
            return byIndex(a, list, range[0], range[1], returnType, true, remove);
        }
        int n = list.size();
        boolean inverted = Results.inverted(returnType);
        int type = Results.baseType(returnType);
        IndexRanges.ValueMatch m = IndexRanges.matchValue(n, list::get, value);
        int[] picked = IndexRanges.maskIndexes(m.mask(), inverted);
        // Equal elements hold the ranks smaller..smaller+equal-1.
        return answer(list, picked, type, true, remove,
                reverse -> rankRange(m.smaller(), m.equal(), n, inverted, true, reverse));
    }

    /**
     * packed_list_get_remove_all_by_value_list: every element equal to one of values, or every other one. Values are
     * taken as a set (a repeated value counts once).
     */
    private static Applied byValueList(Args a, List<Object> list, List<Object> values, int returnType,
                                       boolean remove) throws OperateException {
        if (list == null) {
            return new Applied(null, null);
        }
        boolean inverted = Results.inverted(returnType);
        int type = Results.baseType(returnType);
        if (values.isEmpty() && inverted) {
            // The server turns "everything but nothing" into the index range 0..end.
            return byIndex(a, list, 0, OpArgs.TO_END, type, true, remove);
        }
        int n = list.size();
        TreeSet<Object> wanted = new TreeSet<>(ValueOrder.ORDER);
        wanted.addAll(values);
        boolean[] mask = new boolean[n];
        for (int i = 0; i < n; i++) {
            mask[i] = wanted.contains(list.get(i));
        }
        int[] picked = IndexRanges.maskIndexes(mask, inverted);
        if (isOrdered(list) && !inverted && !Results.bySize(type)) {
            // packed_list_get_remove_all_by_value_list_ordered answers value by value in the order values lists them,
            // a repeated value again (result_data_set_by_irc, list_result_data_set_values_by_idxcount).
            return new Applied(remove ? without(list, picked) : list, orderedByValues(list, values, type));
        }
        return answer(list, picked, type, true, remove,
                reverse -> valueListRanks(list, values, wanted, inverted, reverse));
    }

    /**
     * The VALUE, INDEX or RANK kind answer of an ORDERED list's get/remove by value list: for each of values, the
     * elements equal to it, an index range (its reverse numbers ascending, as cdt_container_builder_add_int_range
     * builds them).
     */
    private static List<Object> orderedByValues(List<Object> list, List<Object> values, int type) {
        int n = list.size();
        Object[] sorted = list.toArray();
        int numbers = numberType(list, type);
        List<Object> out = new ArrayList<>();
        for (Object v : values) {
            int[] range = equalRange(sorted, v);
            if (numbers == ReturnType.VALUE) {
                out.addAll(list.subList(range[0], range[0] + range[1]));
            } else {
                Results.addIntRange(out, range[0], range[1], n, numbers == ReturnType.REVERSE_INDEX);
            }
        }
        return out;
    }

    /** {first, count}: where the elements equal to value sit in sorted (ValueOrder). */
    private static int[] equalRange(Object[] sorted, Object value) {
        int first = IndexRanges.lowerBound(sorted, value);
        return new int[] {first, IndexRanges.lowerBoundAbove(sorted, value) - first};
    }

    /**
     * result_data_set_by_itemlist_irc: the ranks of the matched elements grouped by value in the order values lists
     * them; inverted, the rank segments between the matched values in ascending value order.
     */
    private static List<Object> valueListRanks(List<Object> list, List<Object> values, TreeSet<Object> distinct,
                                               boolean inverted, boolean reverse) {
        int n = list.size();
        Object[] sorted = list.toArray();
        Arrays.sort(sorted, ValueOrder.ORDER);
        List<Object> out = new ArrayList<>();
        if (!inverted) {
            TreeSet<Object> done = new TreeSet<>(ValueOrder.ORDER);
            for (Object v : values) {
                if (done.add(v)) {
                    int[] range = equalRange(sorted, v);
                    for (int r = range[0]; r < range[0] + range[1]; r++) {
                        out.add(Results.number(r, n, reverse));
                    }
                }
            }
            return out;
        }
        int prev = 0;
        for (Object v : distinct) {
            int[] range = equalRange(sorted, v);
            if (range[1] > 0) {
                Results.addIntRange(out, prev, range[0] - prev, n, reverse);
                prev = range[0] + range[1];
            }
        }
        Results.addIntRange(out, prev, n - prev, n, reverse);
        return out;
    }

    // ---- shared helpers -----------------------------------------------------------------------------------------

    /** RANK/REVERSE_RANK numbers of a selection (reverse: REVERSE_RANK), built only when asked for. */
    @FunctionalInterface
    private interface Ranks {
        Object of(boolean reverse);
    }

    /**
     * The result for the picked elements (indexes in result order) and the list to store. Each selection numbers
     * ranks its own way (ranks); NONE, COUNT, EXISTS, INDEX, REVERSE_INDEX and VALUE are built here.
     */
    private static Applied answer(List<Object> list, int[] picked, int baseType, boolean multi, boolean remove,
                                  Ranks ranks) {
        int type = numberType(list, baseType);
        Object result;
        if (type == ReturnType.RANK || type == ReturnType.REVERSE_RANK) {
            result = ranks.of(type == ReturnType.REVERSE_RANK);
        } else if (Results.bySize(type)) {
            result = Results.ofSize(type, picked.length);
        } else if (type == ReturnType.INDEX || type == ReturnType.REVERSE_INDEX) {
            // result_data_set_int_list_by_mask: in index order, so reverse indexes descend.
            result = Results.oneOrAll(
                    Results.numbers(picked, i -> i, list.size(), type == ReturnType.REVERSE_INDEX), multi);
        } else { // VALUE
            List<Object> out = new ArrayList<>(picked.length);
            for (int i : picked) {
                out.add(list.get(i));
            }
            result = Results.oneOrAll(out, multi);
        }
        return new Applied(remove ? without(list, picked) : list, result);
    }

    private static int[] reversed(int[] a) {
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[a.length - 1 - i];
        }
        return out;
    }

    /**
     * The return type that answers type for list: on an ORDERED list a rank is the index (the server answers RANK
     * and REVERSE_RANK there as INDEX and REVERSE_INDEX), elsewhere type itself.
     */
    private static int numberType(List<Object> list, int type) {
        if (!isOrdered(list)) {
            return type;
        }
        return type == ReturnType.RANK ? ReturnType.INDEX
                : type == ReturnType.REVERSE_RANK ? ReturnType.REVERSE_INDEX : type;
    }

    /** The list without the picked elements; the same instance when nothing is picked. */
    private static List<Object> without(List<Object> list, int[] picked) {
        if (picked.length == 0) {
            return list;
        }
        boolean[] drop = IndexRanges.mask(list.size(), picked);
        ArrayList<Object> out = new ArrayList<>(list.size() - picked.length);
        for (int i = 0; i < drop.length; i++) {
            if (!drop[i]) {
                out.add(list.get(i));
            }
        }
        return stored(out, isOrdered(list));
    }

    /** A no-op of an adding operation: an absent bin still becomes an empty list, as on the server. */
    private static Applied noChange(List<Object> list, Object result) {
        return new Applied(list == null ? empty(false) : list, result);
    }

    /** Whether list is an ORDERED list (an absent bin, null, is not). */
    private static boolean isOrdered(List<Object> list) {
        return list instanceof OrderedList;
    }

    private static List<Object> empty(boolean ordered) {
        return ordered ? OrderedList.empty() : stored(new ArrayList<>());
    }

    private static List<Object> stored(ArrayList<Object> list) {
        return Collections.unmodifiableList(list);
    }

    /** The list to store: for an ORDERED list an OrderedList of list, which the caller has kept in ValueOrder. */
    private static List<Object> stored(ArrayList<Object> list, boolean ordered) {
        return ordered ? OrderedList.ofSorted(list.toArray()) : stored(list);
    }

    // ---- arguments ----------------------------------------------------------------------------------------------

    /** The arguments of a list operation: the shared checks plus the list's own values. */
    private static final class Args extends OpArgs {
        Args(Operation op) {
            super(op, "list", "list return type", ReturnType.NONE, ReturnType.INDEX, ReturnType.REVERSE_INDEX,
                    ReturnType.RANK, ReturnType.REVERSE_RANK, ReturnType.COUNT, ReturnType.VALUE, ReturnType.EXISTS);
        }

        long writeFlags(int i) throws OperateException {
            return flags(i, WRITE_FLAGS, "flags");
        }

        /** Aerospike's ListOrder: true for ORDERED. */
        boolean order(int i) throws OperateException {
            long order = integer(i, "order");
            if (order != UNORDERED && order != ORDERED) {
                throw fail(ResultCode.PARAMETER_ERROR, "order must be 0 (UNORDERED) or 1 (ORDERED), got " + order);
            }
            return order == ORDERED;
        }

        /**
         * The list an adding operation works on, given its optional create order at argument i (checked either
         * way): the bin's list, which keeps its own order, or for an absent bin an empty ORDERED list when the order
         * is ORDERED (cdt_context_use_static_list_if_notinuse with the op's create type), else null (the unordered
         * list the operation creates as before).
         */
        List<Object> orCreated(List<Object> list, int i) throws OperateException {
            boolean ordered = size() > i && order(i);
            return list == null && ordered ? OrderedList.empty() : list;
        }

        /** A value to store in the list, canonical and within the depth limit counted from the bin. */
        Object element(int i, String what) throws OperateException {
            return canonicalList(Collections.singletonList(arg(i)), what).get(0);
        }

        /** Items to store in the list (a List; its elements sit at the depth of the bin's elements). */
        List<Object> items(int i) throws OperateException {
            return canonicalList(typed(i, List.class, "items"), "items");
        }

        /** Values to compare elements with (a List). */
        List<Object> values(int i) throws OperateException {
            return canonicalList(typed(i, List.class, "values"), "values");
        }

        @SuppressWarnings("unchecked")
        private List<Object> canonicalList(List<?> list, String what) throws OperateException {
            return (List<Object>) canonical(list, what);
        }
    }
}
