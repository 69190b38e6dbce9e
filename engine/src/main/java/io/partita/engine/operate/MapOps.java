package io.partita.engine.operate;

import io.partita.protocol.BinValues;
import io.partita.protocol.OpCode;
import io.partita.protocol.ResultCode;
import io.partita.protocol.ReturnType;
import io.partita.protocol.ValueOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Aerospike's map operations on a map bin, as one pure function: the map before, the operation, and the
 * map after plus the operation's result. Nothing here keeps state, reads a clock or iterates a hash order, so every
 * replica computes the same answer from the same log entry.
 *
 * <p>The rules follow Aerospike's documentation where it speaks
 * (https://aerospike.com/docs/develop/data-types/collections/map and .../map/operations, the Java client's
 * {@code MapOperation}, {@code MapReturnType}, {@code MapWriteFlags}) and otherwise the server's source
 * (aerospike-server 8.1, {@code as/src/base/particle_map.c} and {@code cdt.c}; function names are cited where a rule
 * comes from there). In short:
 * <ul>
 *   <li>An unordered map keeps insertion order: a new key goes to the end, an updated key keeps its place. A
 *       key-ordered map (Aerospike's MapOrder.KEY_ORDERED, a {@link SortedMap} here) stores its entries in key order
 *       and otherwise answers exactly as an unordered one. An operation that creates the map on an absent bin gives
 *       it the order of its optional order argument (Aerospike's MapPolicy order); MAP_SET_ORDER changes it
 *       (map_set_flags). KEY_VALUE_ORDERED is not supported and refused.</li>
 *   <li>The <b>index</b> of an entry is its position in key order ({@link ValueOrder} of the keys), also for an
 *       unordered map; its <b>rank</b> is its position in value order, equal values ordered by key
 *       (packed_map_compare_values), so every entry has its own rank. Negative numbers count from the back.</li>
 *   <li>Multi-entry results list entries as the server lists them for a key-ordered map: in key order, except a
 *       rank or rank-range selection (not INVERTED, or INVERTED but touching either end) which lists them in rank
 *       order. KEY_VALUE answers a {@link LinkedHashMap} of the listed entries in that order (the Java client answers
 *       a List of Map.Entry; Partita's values have no entry type), also for a single entry.</li>
 *   <li>A single-entry get/remove by index or rank out of bounds fails with OP_NOT_APPLICABLE; a range is clipped
 *       to the map; a key that is not there selects nothing (INDEX/RANK answer -1, KEY/VALUE null, KEY_VALUE an
 *       empty map, COUNT 0, EXISTS false).</li>
 *   <li>INVERTED is refused (OP_NOT_APPLICABLE) by the single-entry operations (by key, index, rank).</li>
 *   <li>On an absent bin, reads answer null, removes and clear do nothing (the bin stays absent), put, put-items and
 *       increment first create an empty map; a put that its flags turn into a no-op still leaves that empty map.</li>
 * </ul>
 * Arguments are checked first, for every operation, even when the bin is absent; a bad argument fails with
 * PARAMETER_ERROR. Work is O(n log n) at most in the map size n (key lookups hash keys by content, so byte[] keys are
 * found by their bytes).
 */
final class MapOps {
    /** The map to store after an operation and the operation's result. map == null: the bin stays absent. */
    record Applied(Map<Object, Object> map, Object result) {
    }

    // Aerospike's MapWriteFlags.
    static final long CREATE_ONLY = 0x01;
    static final long UPDATE_ONLY = 0x02;
    static final long NO_FAIL = 0x04;
    static final long PARTIAL = 0x08;
    private static final long WRITE_FLAGS = CREATE_ONLY | UPDATE_ONLY | NO_FAIL | PARTIAL;

    // Aerospike's MapOrder.
    static final long UNORDERED = 0;
    static final long KEY_ORDERED = 1;
    private static final long KEY_VALUE_ORDERED = 3;

    private static final int[] NONE_PICKED = new int[0];

    private MapOps() {
    }

    /**
     * Applies one MAP_* operation. map: the bin's current value when it is a Map (unmodifiable; never modify it,
     * copy into a new LinkedHashMap when changing), or null when the bin is absent. The caller checks the bin type
     * (a non-map bin never reaches here). Read operations return the same map instance.
     *
     * @throws OperateException PARAMETER_ERROR for missing, extra or ill-typed arguments (and an increment of a
     *                          non-numeric value); otherwise as the operation documents (OP_NOT_APPLICABLE,
     *                          ELEMENT_EXISTS, ELEMENT_NOT_FOUND)
     */
    static Applied apply(Operation op, Map<Object, Object> map) throws OperateException {
        Args a = new Args(op);
        Applied applied = dispatch(a, op, map);
        if (applied.map() == null || applied.map() == map || op.code() == OpCode.MAP_SET_ORDER) {
            return applied;
        }
        // The operations compute in insertion order; a key-ordered map stores the result sorted by key. A map the
        // operation creates takes the order its argument names.
        boolean keyOrdered = map != null ? map instanceof SortedMap : a.createKeyOrdered;
        return keyOrdered ? new Applied(keyOrdered(applied.map()), applied.result()) : applied;
    }

    private static Applied dispatch(Args a, Operation op, Map<Object, Object> map) throws OperateException {
        boolean remove = op.code().isWrite();
        switch (op.code()) {
            case MAP_PUT: {
                a.arity(3, 4);
                Map<Object, Object> item = a.entry(0, 1);
                long flags = a.writeFlags(2);
                a.createOrder(3);
                return putItems(a, map, item, flags);
            }
            case MAP_PUT_ITEMS: {
                a.arity(2, 3);
                Map<Object, Object> items = a.items(0);
                long flags = a.writeFlags(1);
                a.createOrder(2);
                return putItems(a, map, items, flags);
            }
            case MAP_INCREMENT: {
                a.arity(3, 4);
                Object key = a.key(0, "key");
                Object delta = a.delta(1);
                long flags = a.writeFlags(2);
                a.createOrder(3);
                return increment(a, map, key, delta, flags);
            }
            case MAP_SET_ORDER:
                a.arity(1, 1);
                return setOrder(map, a.order(0));
            case MAP_CLEAR:
                a.arity(0, 0);
                return new Applied(map == null ? null : stored(new LinkedHashMap<>()), null);
            case MAP_SIZE:
                a.arity(0, 0);
                return new Applied(map, map == null ? null : (Object) (long) map.size());
            case MAP_GET_BY_KEY:
            case MAP_REMOVE_BY_KEY:
                a.arity(2, 2);
                return byKey(a, map, a.key(0, "key"), a.returnType(1), remove);
            case MAP_GET_BY_KEY_LIST:
            case MAP_REMOVE_BY_KEY_LIST:
                a.arity(2, 2);
                return byKeyList(a, map, a.keys(0), a.returnType(1), remove);
            case MAP_GET_BY_KEY_RANGE:
            case MAP_REMOVE_BY_KEY_RANGE:
                a.arity(3, 3);
                return byKeyRange(map, a.value(0, "begin"), a.value(1, "end"), a.returnType(2), remove);
            case MAP_GET_BY_INDEX:
            case MAP_REMOVE_BY_INDEX:
                return byIndex(a, map, a.window("index", false), remove);
            case MAP_GET_BY_INDEX_RANGE:
            case MAP_REMOVE_BY_INDEX_RANGE:
                return byIndex(a, map, a.window("index", true), remove);
            case MAP_GET_BY_RANK:
            case MAP_REMOVE_BY_RANK:
                return byRank(a, map, a.window("rank", false), remove);
            case MAP_GET_BY_RANK_RANGE:
            case MAP_REMOVE_BY_RANK_RANGE:
                return byRank(a, map, a.window("rank", true), remove);
            case MAP_GET_BY_VALUE:
            case MAP_REMOVE_BY_VALUE:
                a.arity(2, 2);
                return byValue(map, a.value(0, "value"), a.returnType(1), remove);
            default:
                throw a.fail(ResultCode.PARAMETER_ERROR, "not a map operation");
        }
    }

    // ---- writing: put, put-items, increment ----------------------------------------------------------------------

    /**
     * map_add / map_add_items: writes each item under the write flags. An item refused by its flags fails the whole
     * operation (CREATE_ONLY on a present key: ELEMENT_EXISTS; UPDATE_ONLY on a missing key: ELEMENT_NOT_FOUND); with
     * NO_FAIL the whole operation is a no-op instead, and with NO_FAIL | PARTIAL only that item is skipped (the
     * server's do_partial acts only together with no_fail, so PARTIAL alone changes nothing). Answers the map's size
     * after the operation (the unchanged size for a no-op).
     */
    private static Applied putItems(Args a, Map<Object, Object> map, Map<Object, Object> items, long flags)
            throws OperateException {
        View v = new View(map == null ? Map.of() : map);
        boolean noFail = (flags & NO_FAIL) != 0;
        boolean partial = noFail && (flags & PARTIAL) != 0;
        List<Object[]> accepted = new ArrayList<>(items.size());
        for (Map.Entry<Object, Object> item : items.entrySet()) {
            Integer at = v.position(item.getKey());
            String refusal = refusal(at != null, flags);
            if (refusal == null) {
                accepted.add(new Object[] {item.getKey(), item.getValue(), at});
            } else if (!noFail) {
                throw a.fail(at != null ? ResultCode.ELEMENT_EXISTS : ResultCode.ELEMENT_NOT_FOUND,
                        "key " + BinValues.toDisplayString(item.getKey()) + refusal);
            } else if (!partial) {
                return noChange(map, (long) v.n);
            }
        }
        if (accepted.isEmpty()) {
            return noChange(map, (long) v.n);
        }
        LinkedHashMap<Object, Object> out = copy(v);
        for (Object[] item : accepted) {
            // A present key is written under the stored key object, so that it keeps its place (a byte[] key is
            // another array with the same bytes).
            Object key = item[2] == null ? item[0] : v.keys[(Integer) item[2]];
            out.put(key, item[1]);
        }
        return new Applied(stored(out), (long) out.size());
    }

    /** Why the write flags refuse an item (a message tail), or null when they allow it. */
    private static String refusal(boolean present, long flags) {
        if (present && (flags & CREATE_ONLY) != 0) {
            return " is already in the map (CREATE_ONLY)";
        }
        if (!present && (flags & UPDATE_ONLY) != 0) {
            return " is not in the map (UPDATE_ONLY)";
        }
        return null;
    }

    /**
     * map_increment: adds delta to the value under key ({@link Increments#add}) and answers the new value; a missing
     * key is created with delta itself. The write flags are checked but not applied: the server increments with
     * create-or-update whatever the policy (map_increment builds its own map_add_control, and the Java client does
     * not even send the flags).
     */
    private static Applied increment(Args a, Map<Object, Object> map, Object key, Object delta, long flags)
            throws OperateException {
        View v = new View(map == null ? Map.of() : map);
        Integer at = v.position(key);
        Object updated = at == null ? delta
                : Increments.add(a, v.values[at], delta, "value under key " + BinValues.toDisplayString(key));
        LinkedHashMap<Object, Object> out = copy(v);
        out.put(at == null ? key : v.keys[at], updated);
        return new Applied(stored(out), updated);
    }

    // ---- selection by key ----------------------------------------------------------------------------------------

    /** packed_map_get_remove_by_key_interval for one key: that entry, found by content. */
    private static Applied byKey(Args a, Map<Object, Object> map, Object key, int returnType, boolean remove)
            throws OperateException {
        if (map == null) {
            return new Applied(null, null);
        }
        a.rejectInverted(returnType);
        View v = new View(map);
        Integer at = v.position(key);
        if (at == null) {
            return answer(v, NONE_PICKED, returnType, false, remove, null);
        }
        return keyWindow(v, v.keyIndex()[at], 1, false, returnType, false, remove);
    }

    /**
     * packed_map_get_remove_by_key_interval: keys in [begin, end), null meaning open at that end (Aerospike's
     * Value.NULL / Value.INFINITY). Keys are contiguous in key order, so this is the index range of those keys,
     * as the server computes it for a key-ordered map.
     */
    private static Applied byKeyRange(Map<Object, Object> map, Object begin, Object end, int returnType,
                                      boolean remove) {
        if (map == null) {
            return new Applied(null, null);
        }
        View v = new View(map);
        Object[] sorted = v.sortedKeys();
        int from = begin == null ? 0 : IndexRanges.lowerBound(sorted, begin);
        int to = end == null ? v.n : IndexRanges.lowerBound(sorted, end);
        return keyWindow(v, from, Math.max(0, to - from), Results.inverted(returnType), Results.baseType(returnType),
                true, remove);
    }

    /**
     * packed_map_get_remove_all_by_key_list: every entry whose key is in keys (a repeated key counts once), or every
     * other entry. RANK and REVERSE_RANK are refused (OP_NOT_APPLICABLE), as the server refuses them. INDEX lists the
     * found keys' indexes in the order keys names them; INVERTED, in key order.
     */
    private static Applied byKeyList(Args a, Map<Object, Object> map, List<Object> keys, int returnType,
                                     boolean remove) throws OperateException {
        if (map == null) {
            return new Applied(null, null);
        }
        int type = Results.baseType(returnType);
        boolean inverted = Results.inverted(returnType);
        if (type == ReturnType.RANK || type == ReturnType.REVERSE_RANK) {
            throw a.fail(ResultCode.OP_NOT_APPLICABLE, "returnType " + returnType + " is not supported by key lists");
        }
        View v = new View(map);
        if (keys.isEmpty()) {
            return inverted ? everything(v, type, remove) : answer(v, NONE_PICKED, type, true, remove, null);
        }
        boolean[] mask = new boolean[v.n];
        int[] found = new int[keys.size()];
        int foundCount = 0;
        for (Object key : keys) {
            Integer at = v.position(key);
            if (at != null && !mask[at]) {
                mask[at] = true;
                found[foundCount++] = at;
            }
        }
        int[] listed = IndexRanges.maskIndexes(mask, inverted, v.byKey());
        int[] numbered = inverted ? listed : Arrays.copyOf(found, foundCount);
        return answer(v, listed, type, true, remove, (rank, reverse) -> keyIndexes(v, numbered, reverse));
    }

    // ---- selection by index --------------------------------------------------------------------------------------

    private static Applied byIndex(Args a, Map<Object, Object> map, OpArgs.Window w, boolean remove)
            throws OperateException {
        if (map == null) {
            return new Applied(null, null);
        }
        View v = new View(map);
        int[] window = IndexRanges.window(a, w, v.n, "index");
        return keyWindow(v, window[0], window[1], Results.inverted(w.returnType()), Results.baseType(w.returnType()),
                w.range(), remove);
    }

    /**
     * packed_map_get_remove_by_index_range: the entries at key-order indexes [start, start + count), or, inverted,
     * the others, listed in key order. Like the server, an inverted window touching an end becomes the plain window of
     * the rest; INDEX numbers each window ascending (reverse indexes too, as cdt_container_builder_add_int_range
     * builds them); selecting the whole map answers 0..n-1 for INDEX and RANK alike (packed_map_get_remove_all).
     */
    private static Applied keyWindow(View v, int start, int count, boolean inverted, int type, boolean multi,
                                     boolean remove) {
        int n = v.n;
        int[][] segments = segments(start, count, inverted, n);
        if (segments == null) {
            return answer(v, NONE_PICKED, type, multi, remove, null);
        }
        int[] listed = IndexRanges.positionsOf(v.byKey(), segments);
        boolean whole = listed.length == n;
        return answer(v, listed, type, multi, remove, (rank, reverse) ->
                rank && !whole ? ranks(v, listed, reverse) : Results.intRanges(segments, n, reverse));
    }

    /**
     * The selected windows of an order (key order or rank order) after the server's reduction of INVERTED: nothing
     * selected becomes everything, a window at either end becomes the window of the rest, and only a window in the
     * middle stays two segments. Null when nothing is selected.
     */
    private static int[][] segments(int start, int count, boolean inverted, int n) {
        int[][] segments = inverted ? IndexRanges.invertedSegments(start, count, n) : new int[][] {{start, count}};
        return IndexRanges.total(segments) == 0 ? null : segments;
    }

    // ---- selection by rank ---------------------------------------------------------------------------------------

    /**
     * packed_map_get_remove_by_rank_range: the entries of ranks [start, start + count), or, inverted, the others.
     * Listed in rank order, except an inverted window in the middle, which the server builds from a mask and lists in
     * key order.
     */
    private static Applied byRank(Args a, Map<Object, Object> map, OpArgs.Window w, boolean remove)
            throws OperateException {
        if (map == null) {
            return new Applied(null, null);
        }
        View v = new View(map);
        int n = v.n;
        boolean multi = w.range();
        int type = Results.baseType(w.returnType());
        int[] window = IndexRanges.window(a, w, n, "rank");
        int[][] segments = segments(window[0], window[1], Results.inverted(w.returnType()), n);
        if (segments == null) {
            return answer(v, NONE_PICKED, type, multi, remove, null);
        }
        int[] listed;
        if (segments.length == 2) {
            boolean[] mask = IndexRanges.mask(n, IndexRanges.positionsOf(v.byRank(), segments));
            listed = IndexRanges.maskIndexes(mask, false, v.byKey());
        } else {
            listed = IndexRanges.positionsOf(v.byRank(), segments);
        }
        int[][] rankSegments = segments;
        return answer(v, listed, type, multi, remove, (byRank, reverse) ->
                byRank ? Results.intRanges(rankSegments, n, reverse) : keyIndexes(v, listed, reverse));
    }

    // ---- selection by value --------------------------------------------------------------------------------------

    /**
     * packed_map_get_remove_by_value_interval for one value: every entry whose value equals value (the Java client's
     * getByValue/removeByValue are the server's "all by value" operations), or every other entry, listed in key
     * order. Equal values hold consecutive ranks, so RANK answers that rank window (or, inverted, the ranks around
     * it). Inverted with no equal value: the whole map, as the server reduces it.
     */
    private static Applied byValue(Map<Object, Object> map, Object value, int returnType, boolean remove) {
        if (map == null) {
            return new Applied(null, null);
        }
        View v = new View(map);
        int n = v.n;
        int type = Results.baseType(returnType);
        boolean inverted = Results.inverted(returnType);
        IndexRanges.ValueMatch m = IndexRanges.matchValue(n, p -> v.values[p], value);
        if (m.equal() == 0) {
            return inverted ? everything(v, type, remove) : answer(v, NONE_PICKED, type, true, remove, null);
        }
        int[] listed = IndexRanges.maskIndexes(m.mask(), inverted, v.byKey());
        int[][] rankSegments = IndexRanges.windowOrAround(m.smaller(), m.equal(), n, inverted);
        return answer(v, listed, type, true, remove, (rank, reverse) ->
                rank ? Results.intRanges(rankSegments, n, reverse) : keyIndexes(v, listed, reverse));
    }

    /** packed_map_get_remove_all: the whole map (what an inverted selection of nothing selects). */
    private static Applied everything(View v, int type, boolean remove) {
        return keyWindow(v, 0, v.n, false, type, true, remove);
    }

    // ---- results -------------------------------------------------------------------------------------------------

    /** INDEX/RANK numbers of a selection, built only when the return type asks for them. */
    @FunctionalInterface
    private interface Numbers {
        List<Object> of(boolean rank, boolean reverse);
    }

    /**
     * The result for the listed positions (in result order) and the map to store.
     *
     * @param numbers the INDEX/RANK numbers; may be null when nothing is listed
     */
    private static Applied answer(View v, int[] listed, int returnType, boolean multi, boolean remove,
                                  Numbers numbers) {
        int type = Results.baseType(returnType);
        Object result;
        switch (type) {
            case ReturnType.NONE:
            case ReturnType.COUNT:
            case ReturnType.EXISTS:
                result = Results.ofSize(type, listed.length);
                break;
            case ReturnType.KEY:
            case ReturnType.VALUE: {
                Object[] from = type == ReturnType.KEY ? v.keys : v.values;
                List<Object> out = new ArrayList<>(listed.length);
                for (int p : listed) {
                    out.add(from[p]);
                }
                result = Results.oneOrAll(out, multi);
                break;
            }
            case ReturnType.KEY_VALUE: {
                LinkedHashMap<Object, Object> out = new LinkedHashMap<>(BinValues.hashCapacity(listed.length));
                for (int p : listed) {
                    out.put(v.keys[p], v.values[p]);
                }
                result = out;
                break;
            }
            default: { // INDEX, REVERSE_INDEX, RANK, REVERSE_RANK
                boolean rank = type == ReturnType.RANK || type == ReturnType.REVERSE_RANK;
                boolean reverse = type == ReturnType.REVERSE_INDEX || type == ReturnType.REVERSE_RANK;
                if (listed.length == 0) {
                    result = multi ? new ArrayList<>() : (Object) (-1L); // result_data_set_not_found
                } else {
                    List<Object> out = numbers.of(rank, reverse);
                    result = multi ? out : out.get(0);
                }
            }
        }
        return new Applied(remove ? without(v, listed) : v.map, result);
    }

    private static List<Object> keyIndexes(View v, int[] positions, boolean reverse) {
        int[] keyIndex = v.keyIndex();
        return Results.numbers(positions, p -> keyIndex[p], v.n, reverse);
    }

    private static List<Object> ranks(View v, int[] positions, boolean reverse) {
        int[] rankOf = v.rankOf();
        return Results.numbers(positions, p -> rankOf[p], v.n, reverse);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    /** The map without the listed entries (insertion order kept); the same instance when nothing is listed. */
    private static Map<Object, Object> without(View v, int[] listed) {
        if (listed.length == 0) {
            return v.map;
        }
        boolean[] drop = IndexRanges.mask(v.n, listed);
        LinkedHashMap<Object, Object> out = new LinkedHashMap<>(BinValues.hashCapacity(v.n - listed.length));
        for (int p = 0; p < v.n; p++) {
            if (!drop[p]) {
                out.put(v.keys[p], v.values[p]);
            }
        }
        return stored(out);
    }

    private static LinkedHashMap<Object, Object> copy(View v) {
        LinkedHashMap<Object, Object> out = new LinkedHashMap<>(BinValues.hashCapacity(v.n + 1));
        for (int p = 0; p < v.n; p++) {
            out.put(v.keys[p], v.values[p]);
        }
        return out;
    }

    /** A no-op of a writing operation: an absent bin still becomes an empty map, as on the server. */
    private static Applied noChange(Map<Object, Object> map, Object result) {
        return new Applied(map == null ? stored(new LinkedHashMap<>()) : map, result);
    }

    private static Map<Object, Object> stored(LinkedHashMap<Object, Object> map) {
        return Collections.unmodifiableMap(map);
    }

    /** The entries of map (canonical) as a key-ordered map. */
    private static Map<Object, Object> keyOrdered(Map<Object, Object> map) {
        TreeMap<Object, Object> sorted = new TreeMap<>(ValueOrder.ORDER);
        sorted.putAll(map);
        return Collections.unmodifiableSortedMap(sorted);
    }

    /**
     * map_set_flags (Aerospike's setMapPolicy): a map that becomes key-ordered is sorted by key; one that becomes
     * unordered keeps its entries where they are (in key order, now its insertion order). On an absent bin it creates
     * an empty map of that order.
     */
    private static Applied setOrder(Map<Object, Object> map, boolean keyOrdered) {
        if (map == null) {
            return new Applied(keyOrdered ? keyOrdered(Map.of()) : stored(new LinkedHashMap<>()), null);
        }
        if (keyOrdered == map instanceof SortedMap) {
            return new Applied(map, null);
        }
        return new Applied(keyOrdered ? keyOrdered(map) : stored(new LinkedHashMap<>(map)), null);
    }

    /**
     * The map's entries by position (insertion order), with key order, rank order and a by-content key lookup
     * computed when first needed.
     */
    private static final class View {
        final Map<Object, Object> map;
        final Object[] keys;
        final Object[] values;
        final int n;
        private int[] byKey;
        private int[] keyIndex;
        private int[] byRank;
        private int[] rankOf;
        private Map<BinValues.DeepKey, Integer> positions;

        View(Map<Object, Object> map) {
            this.map = map;
            this.n = map.size();
            this.keys = new Object[n];
            this.values = new Object[n];
            int p = 0;
            for (Map.Entry<Object, Object> e : map.entrySet()) {
                keys[p] = e.getKey();
                values[p] = e.getValue();
                p++;
            }
        }

        /** The position of key (by content), or null when the map does not hold it. */
        Integer position(Object key) {
            if (positions == null) {
                positions = new HashMap<>(BinValues.hashCapacity(n));
                for (int p = 0; p < n; p++) {
                    positions.put(new BinValues.DeepKey(keys[p]), p);
                }
            }
            return positions.get(new BinValues.DeepKey(key));
        }

        /** Positions in key order. */
        int[] byKey() {
            if (byKey == null) {
                byKey = IndexRanges.sortedPositions(n, (x, y) -> ValueOrder.compare(keys[x], keys[y]));
            }
            return byKey;
        }

        /** Position to index (place in key order). */
        int[] keyIndex() {
            if (keyIndex == null) {
                keyIndex = inverse(byKey());
            }
            return keyIndex;
        }

        Object[] sortedKeys() {
            Object[] out = new Object[n];
            int[] order = byKey();
            for (int i = 0; i < n; i++) {
                out[i] = keys[order[i]];
            }
            return out;
        }

        /** Positions in rank order: by value, equal values by key (packed_map_compare_values). */
        int[] byRank() {
            if (byRank == null) {
                byRank = IndexRanges.sortedPositions(n, (x, y) -> {
                    int c = ValueOrder.compare(values[x], values[y]);
                    return c != 0 ? c : ValueOrder.compare(keys[x], keys[y]);
                });
            }
            return byRank;
        }

        /** Position to rank. */
        int[] rankOf() {
            if (rankOf == null) {
                rankOf = inverse(byRank());
            }
            return rankOf;
        }

        private static int[] inverse(int[] order) {
            int[] out = new int[order.length];
            for (int i = 0; i < order.length; i++) {
                out[order[i]] = i;
            }
            return out;
        }
    }

    // ---- arguments ----------------------------------------------------------------------------------------------

    /** The arguments of a map operation: the shared checks plus the map's own keys and entries. */
    private static final class Args extends OpArgs {
        /** The order of a map this operation creates on an absent bin (its optional order argument). */
        boolean createKeyOrdered;

        Args(Operation op) {
            super(op, "map", "supported map return type", ReturnType.NONE, ReturnType.INDEX,
                    ReturnType.REVERSE_INDEX, ReturnType.RANK, ReturnType.REVERSE_RANK, ReturnType.COUNT,
                    ReturnType.KEY, ReturnType.VALUE, ReturnType.KEY_VALUE, ReturnType.EXISTS);
        }

        long writeFlags(int i) throws OperateException {
            return flags(i, WRITE_FLAGS, "flags");
        }

        /** Aerospike's MapOrder: 0 UNORDERED, 1 KEY_ORDERED (true); KEY_VALUE_ORDERED (3) is not supported. */
        boolean order(int i) throws OperateException {
            long order = integer(i, "order");
            if (order == KEY_VALUE_ORDERED) {
                throw fail(ResultCode.PARAMETER_ERROR, "KEY_VALUE_ORDERED maps are not supported; use KEY_ORDERED (1)");
            }
            if (order != UNORDERED && order != KEY_ORDERED) {
                throw fail(ResultCode.PARAMETER_ERROR, "order must be 0 (UNORDERED) or 1 (KEY_ORDERED), got " + order);
            }
            return order == KEY_ORDERED;
        }

        /** The optional create order at argument i (absent: unordered). */
        void createOrder(int i) throws OperateException {
            createKeyOrdered = size() > i && order(i);
        }

        /** A map key: a non-null scalar (Long, Double, String, byte[], Boolean or an alias), canonical. */
        Object key(int i, String what) throws OperateException {
            return checkedKey(arg(i), what);
        }

        private Object checkedKey(Object key, String what) throws OperateException {
            try {
                BinValues.checkMapKey(key, what);
            } catch (IllegalArgumentException e) {
                throw parameterError(e);
            }
            return canonical(key, what);
        }

        /** Keys to look up (a List of map keys). */
        List<Object> keys(int i) throws OperateException {
            List<?> keys = typed(i, List.class, "keys");
            List<Object> out = new ArrayList<>(keys.size());
            for (Object key : keys) {
                out.add(checkedKey(key, "keys"));
            }
            return out;
        }

        /** One entry to store: key (a map key) and value (any bin value, null allowed), canonical. */
        Map<Object, Object> entry(int keyArg, int valueArg) throws OperateException {
            Object key = key(keyArg, "key");
            // Canonicalised as a one-entry map, so that the value's nesting depth counts from the bin.
            return canonicalMap(Collections.singletonMap(key, arg(valueArg)), "value");
        }

        /** Items to store (a Map; keys distinct after canonicalisation). */
        Map<Object, Object> items(int i) throws OperateException {
            return canonicalMap(typed(i, Map.class, "items"), "items");
        }

        @SuppressWarnings("unchecked")
        private Map<Object, Object> canonicalMap(Map<?, ?> map, String what) throws OperateException {
            return (Map<Object, Object>) canonical(map, what);
        }
    }
}
