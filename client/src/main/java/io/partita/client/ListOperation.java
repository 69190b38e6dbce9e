package io.partita.client;

import io.partita.protocol.OpCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * List operations for {@link PartitaClient#operate}, on a bin holding a list, with the semantics of Aerospike's
 * {@code ListOperation}: indexes count from 0 at the front or from -1 at the back, ranges beyond the end select what
 * exists, and a single index out of range fails the call with OP_NOT_APPLICABLE. A list is unordered unless made
 * {@link ListOrder#ORDERED} (by {@link #setOrder} or a {@link ListPolicy} when created): an ordered list keeps its
 * elements in value order, appends go to their place, and insert and set fail with OP_NOT_APPLICABLE.
 *
 * <pre>{@code
 * client.operate(null, key,
 *     ListOperation.append("events", "login"),
 *     ListOperation.trim("events", -100, 100),           // keep the last 100
 *     ListOperation.getByIndexRange("events", -3, ListReturnType.VALUE));
 * }</pre>
 *
 * A list operation on a bin that holds something else fails the call with BIN_TYPE_ERROR; nothing of the call is
 * applied. Modifying operations on an absent bin create the list; reads of an absent bin answer null.
 */
public final class ListOperation {
    private ListOperation() {
    }

    /** Appends a value; the result is the list's new size. */
    public static Operation append(String bin, Object value) {
        return new Operation(OpCode.LIST_APPEND, Operation.requireBin(bin), value, (long) ListWriteFlags.DEFAULT);
    }

    /**
     * Appends a value under {@code policy}'s flags (in an ordered list: adds it at its place in value order); the
     * result is the list's new size. An absent bin becomes a list of the policy's order.
     */
    public static Operation append(ListPolicy policy, String bin, Object value) {
        return creating(OpCode.LIST_APPEND, policy, bin, value);
    }

    /** Appends every item; the result is the list's new size. */
    public static Operation appendItems(String bin, List<?> items) {
        return new Operation(OpCode.LIST_APPEND_ITEMS, Operation.requireBin(bin), items(items), (long) ListWriteFlags.DEFAULT);
    }

    /**
     * Appends every item under {@code policy}'s flags (in an ordered list: each at its place); the result is the
     * list's new size. An absent bin becomes a list of the policy's order.
     */
    public static Operation appendItems(ListPolicy policy, String bin, List<?> items) {
        return creating(OpCode.LIST_APPEND_ITEMS, policy, bin, items(items));
    }

    /** Inserts a value at {@code index} (negative: from the end); the result is the list's new size. */
    public static Operation insert(String bin, int index, Object value) {
        return new Operation(OpCode.LIST_INSERT, Operation.requireBin(bin), (long) index, value, (long) ListWriteFlags.DEFAULT);
    }

    /** Inserts a value at {@code index} under {@code policy}'s flags; the result is the list's new size. */
    public static Operation insert(ListPolicy policy, String bin, int index, Object value) {
        return new Operation(OpCode.LIST_INSERT, Operation.requireBin(bin), (long) index, value, flags(policy));
    }

    /** Inserts every item at {@code index}; the result is the list's new size. */
    public static Operation insertItems(String bin, int index, List<?> items) {
        return new Operation(OpCode.LIST_INSERT_ITEMS, Operation.requireBin(bin), (long) index, items(items), (long) ListWriteFlags.DEFAULT);
    }

    /** Inserts every item at {@code index} under {@code policy}'s flags; the result is the list's new size. */
    public static Operation insertItems(ListPolicy policy, String bin, int index, List<?> items) {
        return new Operation(OpCode.LIST_INSERT_ITEMS, Operation.requireBin(bin), (long) index, items(items), flags(policy));
    }

    /** Sets the element at {@code index}; the result is null. */
    public static Operation set(String bin, int index, Object value) {
        return new Operation(OpCode.LIST_SET, Operation.requireBin(bin), (long) index, value, (long) ListWriteFlags.DEFAULT);
    }

    /** Sets the element at {@code index} under {@code policy}'s flags; the result is null. */
    public static Operation set(ListPolicy policy, String bin, int index, Object value) {
        return new Operation(OpCode.LIST_SET, Operation.requireBin(bin), (long) index, value, flags(policy));
    }

    /** Adds {@code delta} (a Long or Double) to the element at {@code index}; the result is its new value. */
    public static Operation increment(String bin, int index, Number delta) {
        return new Operation(OpCode.LIST_INCREMENT, Operation.requireBin(bin), (long) index, number(delta), (long) ListWriteFlags.DEFAULT);
    }

    /**
     * {@link #increment(String, int, Number)} under {@code policy}'s flags; in an ordered list the element moves to
     * its new place. An absent bin becomes a list of the policy's order.
     */
    public static Operation increment(ListPolicy policy, String bin, int index, Number delta) {
        return creating(OpCode.LIST_INCREMENT, policy, bin, (long) index, number(delta));
    }

    /**
     * Sets the list's order: an unordered list that becomes {@link ListOrder#ORDERED} is sorted; an ordered one that
     * becomes unordered keeps its elements where they are. On an absent bin, creates an empty list of that order.
     * The result is null.
     */
    public static Operation setOrder(String bin, ListOrder order) {
        return new Operation(OpCode.LIST_SET_ORDER, Operation.requireBin(bin),
                (long) Objects.requireNonNull(order, "order").value());
    }

    /**
     * Aerospike's {@code ListOperation.create} on a bin (Partita has no nested contexts, where its {@code pad}
     * argument would apply): the same as {@link #setOrder}.
     */
    public static Operation create(String bin, ListOrder order) {
        return setOrder(bin, order);
    }

    /** Removes the element at {@code index}; the result per {@link ListReturnType}. */
    public static Operation removeByIndex(String bin, int index, int returnType) {
        return new Operation(OpCode.LIST_REMOVE_BY_INDEX, Operation.requireBin(bin), (long) index, (long) returnType);
    }

    /** Removes the elements from {@code index} to the end; the result per {@link ListReturnType}. */
    public static Operation removeByIndexRange(String bin, int index, int returnType) {
        return new Operation(OpCode.LIST_REMOVE_BY_INDEX_RANGE, Operation.requireBin(bin), (long) index, (long) returnType);
    }

    /** Removes {@code count} elements from {@code index}; the result per {@link ListReturnType}. */
    public static Operation removeByIndexRange(String bin, int index, int count, int returnType) {
        return new Operation(OpCode.LIST_REMOVE_BY_INDEX_RANGE, Operation.requireBin(bin), (long) index, (long) count, (long) returnType);
    }

    /** Removes every element equal to {@code value}; the result per {@link ListReturnType}. */
    public static Operation removeByValue(String bin, Object value, int returnType) {
        return new Operation(OpCode.LIST_REMOVE_BY_VALUE, Operation.requireBin(bin), value, (long) returnType);
    }

    /** Removes every element equal to one of {@code values}; the result per {@link ListReturnType}. */
    public static Operation removeByValueList(String bin, List<?> values, int returnType) {
        return new Operation(OpCode.LIST_REMOVE_BY_VALUE_LIST, Operation.requireBin(bin), items(values), (long) returnType);
    }

    /** Removes the element of rank {@code rank} (0 = smallest); the result per {@link ListReturnType}. */
    public static Operation removeByRank(String bin, int rank, int returnType) {
        return new Operation(OpCode.LIST_REMOVE_BY_RANK, Operation.requireBin(bin), (long) rank, (long) returnType);
    }

    /** Removes the elements from rank {@code rank} up; the result per {@link ListReturnType}. */
    public static Operation removeByRankRange(String bin, int rank, int returnType) {
        return new Operation(OpCode.LIST_REMOVE_BY_RANK_RANGE, Operation.requireBin(bin), (long) rank, (long) returnType);
    }

    /** Removes {@code count} elements from rank {@code rank} up; the result per {@link ListReturnType}. */
    public static Operation removeByRankRange(String bin, int rank, int count, int returnType) {
        return new Operation(OpCode.LIST_REMOVE_BY_RANK_RANGE, Operation.requireBin(bin), (long) rank, (long) count, (long) returnType);
    }

    /** Removes the element at {@code index} and answers it. */
    public static Operation pop(String bin, int index) {
        return new Operation(OpCode.LIST_POP, Operation.requireBin(bin), (long) index);
    }

    /** Removes the elements from {@code index} to the end and answers them (a List). */
    public static Operation popRange(String bin, int index) {
        return new Operation(OpCode.LIST_POP_RANGE, Operation.requireBin(bin), (long) index);
    }

    /** Removes {@code count} elements from {@code index} and answers them (a List). */
    public static Operation popRange(String bin, int index, int count) {
        return new Operation(OpCode.LIST_POP_RANGE, Operation.requireBin(bin), (long) index, (long) count);
    }

    /** Keeps only {@code count} elements from {@code index}; the result is how many were removed. */
    public static Operation trim(String bin, int index, int count) {
        return new Operation(OpCode.LIST_TRIM, Operation.requireBin(bin), (long) index, (long) count);
    }

    /** Removes every element; the result is null. */
    public static Operation clear(String bin) {
        return new Operation(OpCode.LIST_CLEAR, Operation.requireBin(bin));
    }

    /** Sorts the list ({@link ListSortFlags}); the result is null. */
    public static Operation sort(String bin, int sortFlags) {
        return new Operation(OpCode.LIST_SORT, Operation.requireBin(bin), (long) sortFlags);
    }

    /** The list's size (null when the bin is absent). */
    public static Operation size(String bin) {
        return new Operation(OpCode.LIST_SIZE, Operation.requireBin(bin));
    }

    /** The element at {@code index}, per {@link ListReturnType}. */
    public static Operation getByIndex(String bin, int index, int returnType) {
        return new Operation(OpCode.LIST_GET_BY_INDEX, Operation.requireBin(bin), (long) index, (long) returnType);
    }

    /** The elements from {@code index} to the end, per {@link ListReturnType}. */
    public static Operation getByIndexRange(String bin, int index, int returnType) {
        return new Operation(OpCode.LIST_GET_BY_INDEX_RANGE, Operation.requireBin(bin), (long) index, (long) returnType);
    }

    /** {@code count} elements from {@code index}, per {@link ListReturnType}. */
    public static Operation getByIndexRange(String bin, int index, int count, int returnType) {
        return new Operation(OpCode.LIST_GET_BY_INDEX_RANGE, Operation.requireBin(bin), (long) index, (long) count, (long) returnType);
    }

    /** Every element equal to {@code value}, per {@link ListReturnType}. */
    public static Operation getByValue(String bin, Object value, int returnType) {
        return new Operation(OpCode.LIST_GET_BY_VALUE, Operation.requireBin(bin), value, (long) returnType);
    }

    /** Every element equal to one of {@code values}, per {@link ListReturnType}. */
    public static Operation getByValueList(String bin, List<?> values, int returnType) {
        return new Operation(OpCode.LIST_GET_BY_VALUE_LIST, Operation.requireBin(bin), items(values), (long) returnType);
    }

    /** The element of rank {@code rank} (0 = smallest), per {@link ListReturnType}. */
    public static Operation getByRank(String bin, int rank, int returnType) {
        return new Operation(OpCode.LIST_GET_BY_RANK, Operation.requireBin(bin), (long) rank, (long) returnType);
    }

    /** The elements from rank {@code rank} up, per {@link ListReturnType}. */
    public static Operation getByRankRange(String bin, int rank, int returnType) {
        return new Operation(OpCode.LIST_GET_BY_RANK_RANGE, Operation.requireBin(bin), (long) rank, (long) returnType);
    }

    /** {@code count} elements from rank {@code rank} up, per {@link ListReturnType}. */
    public static Operation getByRankRange(String bin, int rank, int count, int returnType) {
        return new Operation(OpCode.LIST_GET_BY_RANK_RANGE, Operation.requireBin(bin), (long) rank, (long) count, (long) returnType);
    }

    private static long flags(ListPolicy policy) {
        return Objects.requireNonNull(policy, "policy").writeFlags();
    }

    /** An operation that may create the list: args, the flags, then the order when not the default. */
    private static Operation creating(OpCode code, ListPolicy policy, String bin, Object... args) {
        return Operation.creating(code, Operation.requireBin(bin), flags(policy), policy.order().value(), args);
    }

    private static List<Object> items(List<?> items) {
        return new ArrayList<>(Objects.requireNonNull(items, "items"));
    }

    static Number number(Number delta) {
        Objects.requireNonNull(delta, "delta");
        if (delta instanceof Double || delta instanceof Float) {
            return delta.doubleValue();
        }
        if (delta instanceof Long || delta instanceof Integer || delta instanceof Short || delta instanceof Byte) {
            return delta.longValue();
        }
        throw new IllegalArgumentException("an increment is a Long or a Double, got " + delta.getClass().getName());
    }
}
