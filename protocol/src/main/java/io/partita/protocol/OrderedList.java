package io.partita.protocol;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.RandomAccess;

/**
 * A read-only list whose elements are kept in {@link ValueOrder}: the Java form of Aerospike's ordered list
 * ({@code ListOrder.ORDERED}).
 *
 * <pre>{@code
 * List<Object> scores = new OrderedList(List.of(30L, 10L, 20L)); // [10, 20, 30]
 * client.put(null, key, Map.of("scores", scores));                // stored as an ordered list
 * }</pre>
 *
 * A bin holding an ordered list keeps it sorted through every list operation: an append goes to its place in value
 * order, and operations that name a position to write (insert, set) are refused. Reads of such a bin return an
 * {@code OrderedList}, so reading a record and writing it back keeps the order. Usually a list gets ordered through
 * {@code ListOperation.setOrder} or a {@code ListPolicy} with {@code ListOrder.ORDERED}; constructing one directly is
 * for writing whole values.
 *
 * <p>Equality is that of any list (element by element, {@link BinValues#deepEquals} for bin values): the order
 * attribute is not part of a value's identity, as it is not in Aerospike's value comparison.
 */
public final class OrderedList extends AbstractList<Object> implements RandomAccess {
    private static final OrderedList EMPTY = new OrderedList(new Object[0]);

    private final Object[] elements;

    /**
     * Copies the elements and sorts them by {@link ValueOrder} (equal elements keep their order). Elements are not
     * converted: Integer stays Integer until the value is encoded or {@linkplain BinValues#canonicalize canonicalized}.
     *
     * @throws IllegalArgumentException if an element is not a supported bin value
     */
    public OrderedList(Collection<?> elements) {
        this(sortedCopy(elements.toArray()));
    }

    private OrderedList(Object[] sorted) {
        this.elements = sorted;
    }

    /** The empty ordered list. */
    public static OrderedList empty() {
        return EMPTY;
    }

    /**
     * Wraps elements the caller has already put in {@link ValueOrder} and will not touch again (decoders that check
     * the order, operations that keep it). Not checked here.
     */
    public static OrderedList ofSorted(Object[] sorted) {
        return sorted.length == 0 ? EMPTY : new OrderedList(sorted);
    }

    private static Object[] sortedCopy(Object[] copy) {
        Arrays.sort(copy, ValueOrder.ORDER);
        return copy;
    }

    @Override
    public Object get(int index) {
        return elements[index];
    }

    @Override
    public int size() {
        return elements.length;
    }

    @Override
    public Object[] toArray() {
        return elements.clone();
    }
}
