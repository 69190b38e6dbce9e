package io.partita.client;

import io.partita.protocol.OpCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Map operations for {@link PartitaClient#operate}, on a bin holding a map, with the semantics of Aerospike's
 * {@code MapOperation}: index operations count in key order and rank operations in value order. An unordered map
 * keeps its entries in the order they were put in; a {@link MapOrder#KEY_ORDERED} one (made so by
 * {@link #setMapPolicy} or a {@link MapPolicy} when created) keeps them sorted by key and is read back as a
 * {@link java.util.SortedMap}. Keys are scalars: Long, Double, String, byte[] or Boolean.
 *
 * <pre>{@code
 * client.operate(null, key,
 *     MapOperation.increment("scores", "alice", 10),
 *     MapOperation.getByRankRange("scores", -3, MapReturnType.KEY));   // the three best
 * }</pre>
 *
 * A map operation on a bin that holds something else fails the call with BIN_TYPE_ERROR; nothing of the call is
 * applied. Modifying operations on an absent bin create the map; reads of an absent bin answer null. Aerospike's
 * KEY_VALUE_ORDERED maps are not supported.
 */
public final class MapOperation {
    private MapOperation() {
    }

    /** Puts an entry; the result is the map's new size. */
    public static Operation put(String bin, Object key, Object value) {
        return new Operation(OpCode.MAP_PUT, Operation.requireBin(bin), key(key), value, (long) MapWriteFlags.DEFAULT);
    }

    /**
     * Puts an entry under {@code policy}'s flags; the result is the map's new size. An absent bin becomes a map of
     * the policy's order.
     */
    public static Operation put(MapPolicy policy, String bin, Object key, Object value) {
        return creating(OpCode.MAP_PUT, policy, bin, key(key), value);
    }

    /** Puts every entry; the result is the map's new size. */
    public static Operation putItems(String bin, Map<?, ?> items) {
        return new Operation(OpCode.MAP_PUT_ITEMS, Operation.requireBin(bin), items(items), (long) MapWriteFlags.DEFAULT);
    }

    /**
     * Puts every entry under {@code policy}'s flags; the result is the map's new size. An absent bin becomes a map of
     * the policy's order.
     */
    public static Operation putItems(MapPolicy policy, String bin, Map<?, ?> items) {
        return creating(OpCode.MAP_PUT_ITEMS, policy, bin, items(items));
    }

    /** Adds {@code delta} (a Long or Double) to the entry's value (created when absent); the result is its new value. */
    public static Operation increment(String bin, Object key, Number delta) {
        return new Operation(OpCode.MAP_INCREMENT, Operation.requireBin(bin), key(key), ListOperation.number(delta), (long) MapWriteFlags.DEFAULT);
    }

    /**
     * {@link #increment(String, Object, Number)} with {@code policy}'s flags checked; as in Aerospike, an increment
     * creates or updates the entry whatever the flags say.
     */
    public static Operation increment(MapPolicy policy, String bin, Object key, Number delta) {
        return creating(OpCode.MAP_INCREMENT, policy, bin, key(key), ListOperation.number(delta));
    }

    /**
     * Aerospike's {@code setMapPolicy}: sets the map's order to the policy's (its flags are not used). A map that
     * becomes {@link MapOrder#KEY_ORDERED} is sorted by key; one that becomes unordered keeps its entries where they
     * are. On an absent bin, creates an empty map of that order. The result is null.
     */
    public static Operation setMapPolicy(MapPolicy policy, String bin) {
        return new Operation(OpCode.MAP_SET_ORDER, Operation.requireBin(bin),
                (long) Objects.requireNonNull(policy, "policy").order().value());
    }

    /**
     * Aerospike's {@code MapOperation.create} on a bin (Partita has no nested contexts): sets the map's order, as
     * {@link #setMapPolicy} does.
     */
    public static Operation create(String bin, MapOrder order) {
        return setMapPolicy(new MapPolicy(order, MapWriteFlags.DEFAULT), bin);
    }

    /** Removes every entry; the result is null. */
    public static Operation clear(String bin) {
        return new Operation(OpCode.MAP_CLEAR, Operation.requireBin(bin));
    }

    /** The map's size (null when the bin is absent). */
    public static Operation size(String bin) {
        return new Operation(OpCode.MAP_SIZE, Operation.requireBin(bin));
    }

    /** Removes the entry with this key; the result per {@link MapReturnType}. */
    public static Operation removeByKey(String bin, Object key, int returnType) {
        return new Operation(OpCode.MAP_REMOVE_BY_KEY, Operation.requireBin(bin), key(key), (long) returnType);
    }

    /** Removes the entries with these keys; the result per {@link MapReturnType}. */
    public static Operation removeByKeyList(String bin, List<?> keys, int returnType) {
        return new Operation(OpCode.MAP_REMOVE_BY_KEY_LIST, Operation.requireBin(bin), keys(keys), (long) returnType);
    }

    /** Removes the entries with keys in [{@code begin}, {@code end}) (null: open); the result per {@link MapReturnType}. */
    public static Operation removeByKeyRange(String bin, Object begin, Object end, int returnType) {
        return new Operation(OpCode.MAP_REMOVE_BY_KEY_RANGE, Operation.requireBin(bin), begin, end, (long) returnType);
    }

    /** Removes the entry at {@code index} in key order; the result per {@link MapReturnType}. */
    public static Operation removeByIndex(String bin, int index, int returnType) {
        return new Operation(OpCode.MAP_REMOVE_BY_INDEX, Operation.requireBin(bin), (long) index, (long) returnType);
    }

    /** Removes the entries from {@code index} (key order) to the end; the result per {@link MapReturnType}. */
    public static Operation removeByIndexRange(String bin, int index, int returnType) {
        return new Operation(OpCode.MAP_REMOVE_BY_INDEX_RANGE, Operation.requireBin(bin), (long) index, (long) returnType);
    }

    /** Removes {@code count} entries from {@code index} (key order); the result per {@link MapReturnType}. */
    public static Operation removeByIndexRange(String bin, int index, int count, int returnType) {
        return new Operation(OpCode.MAP_REMOVE_BY_INDEX_RANGE, Operation.requireBin(bin), (long) index, (long) count, (long) returnType);
    }

    /** Removes the entry of rank {@code rank} (value order, 0 = smallest); the result per {@link MapReturnType}. */
    public static Operation removeByRank(String bin, int rank, int returnType) {
        return new Operation(OpCode.MAP_REMOVE_BY_RANK, Operation.requireBin(bin), (long) rank, (long) returnType);
    }

    /** Removes the entries from rank {@code rank} up; the result per {@link MapReturnType}. */
    public static Operation removeByRankRange(String bin, int rank, int returnType) {
        return new Operation(OpCode.MAP_REMOVE_BY_RANK_RANGE, Operation.requireBin(bin), (long) rank, (long) returnType);
    }

    /** Removes {@code count} entries from rank {@code rank} up; the result per {@link MapReturnType}. */
    public static Operation removeByRankRange(String bin, int rank, int count, int returnType) {
        return new Operation(OpCode.MAP_REMOVE_BY_RANK_RANGE, Operation.requireBin(bin), (long) rank, (long) count, (long) returnType);
    }

    /** Removes every entry whose value equals {@code value}; the result per {@link MapReturnType}. */
    public static Operation removeByValue(String bin, Object value, int returnType) {
        return new Operation(OpCode.MAP_REMOVE_BY_VALUE, Operation.requireBin(bin), value, (long) returnType);
    }

    /** The entry with this key, per {@link MapReturnType}. */
    public static Operation getByKey(String bin, Object key, int returnType) {
        return new Operation(OpCode.MAP_GET_BY_KEY, Operation.requireBin(bin), key(key), (long) returnType);
    }

    /** The entries with keys in [{@code begin}, {@code end}) (null: open), per {@link MapReturnType}. */
    public static Operation getByKeyRange(String bin, Object begin, Object end, int returnType) {
        return new Operation(OpCode.MAP_GET_BY_KEY_RANGE, Operation.requireBin(bin), begin, end, (long) returnType);
    }

    /** The entries with these keys, per {@link MapReturnType}. */
    public static Operation getByKeyList(String bin, List<?> keys, int returnType) {
        return new Operation(OpCode.MAP_GET_BY_KEY_LIST, Operation.requireBin(bin), keys(keys), (long) returnType);
    }

    /** The entry at {@code index} in key order, per {@link MapReturnType}. */
    public static Operation getByIndex(String bin, int index, int returnType) {
        return new Operation(OpCode.MAP_GET_BY_INDEX, Operation.requireBin(bin), (long) index, (long) returnType);
    }

    /** The entries from {@code index} (key order) to the end, per {@link MapReturnType}. */
    public static Operation getByIndexRange(String bin, int index, int returnType) {
        return new Operation(OpCode.MAP_GET_BY_INDEX_RANGE, Operation.requireBin(bin), (long) index, (long) returnType);
    }

    /** {@code count} entries from {@code index} (key order), per {@link MapReturnType}. */
    public static Operation getByIndexRange(String bin, int index, int count, int returnType) {
        return new Operation(OpCode.MAP_GET_BY_INDEX_RANGE, Operation.requireBin(bin), (long) index, (long) count, (long) returnType);
    }

    /** The entry of rank {@code rank} (value order, 0 = smallest), per {@link MapReturnType}. */
    public static Operation getByRank(String bin, int rank, int returnType) {
        return new Operation(OpCode.MAP_GET_BY_RANK, Operation.requireBin(bin), (long) rank, (long) returnType);
    }

    /** The entries from rank {@code rank} up, per {@link MapReturnType}. */
    public static Operation getByRankRange(String bin, int rank, int returnType) {
        return new Operation(OpCode.MAP_GET_BY_RANK_RANGE, Operation.requireBin(bin), (long) rank, (long) returnType);
    }

    /** {@code count} entries from rank {@code rank} up, per {@link MapReturnType}. */
    public static Operation getByRankRange(String bin, int rank, int count, int returnType) {
        return new Operation(OpCode.MAP_GET_BY_RANK_RANGE, Operation.requireBin(bin), (long) rank, (long) count, (long) returnType);
    }

    /** Every entry whose value equals {@code value}, per {@link MapReturnType}. */
    public static Operation getByValue(String bin, Object value, int returnType) {
        return new Operation(OpCode.MAP_GET_BY_VALUE, Operation.requireBin(bin), value, (long) returnType);
    }

    private static long flags(MapPolicy policy) {
        return Objects.requireNonNull(policy, "policy").writeFlags();
    }

    /** An operation that may create the map: args, the flags, then the order when not the default. */
    private static Operation creating(OpCode code, MapPolicy policy, String bin, Object... args) {
        return Operation.creating(code, Operation.requireBin(bin), flags(policy), policy.order().value(), args);
    }

    private static Object key(Object key) {
        if (key == null) {
            throw new IllegalArgumentException("a map key must not be null");
        }
        return key;
    }

    private static Map<Object, Object> items(Map<?, ?> items) {
        return new LinkedHashMap<>(Objects.requireNonNull(items, "items"));
    }

    private static List<Object> keys(List<?> keys) {
        return new ArrayList<>(Objects.requireNonNull(keys, "keys"));
    }
}
