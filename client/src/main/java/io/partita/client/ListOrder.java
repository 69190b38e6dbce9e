package io.partita.client;

/**
 * The order of a list bin, Aerospike's {@code ListOrder}. Set with {@link ListOperation#setOrder} or, for a list an
 * operation creates, a {@link ListPolicy}.
 *
 * <pre>{@code
 * client.operate(null, key,
 *     ListOperation.append(new ListPolicy(ListOrder.ORDERED, ListWriteFlags.ADD_UNIQUE), "tags", "blue"));
 * }</pre>
 */
public enum ListOrder {
    /** Elements stay where they are written (the default). */
    UNORDERED(0),
    /**
     * Elements are kept sorted in Aerospike's value order: an append goes to its place, insert and set fail with
     * OP_NOT_APPLICABLE. Reads return an {@link io.partita.protocol.OrderedList}.
     */
    ORDERED(1);

    private final int value;

    ListOrder(int value) {
        this.value = value;
    }

    /** Aerospike's number for the order, as the operation carries it. */
    public int value() {
        return value;
    }
}
