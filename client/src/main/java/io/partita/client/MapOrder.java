package io.partita.client;

/**
 * The order of a map bin, Aerospike's {@code MapOrder}. Set with {@link MapOperation#setMapPolicy} or, for a map an
 * operation creates, a {@link MapPolicy}. Aerospike's {@code KEY_VALUE_ORDERED} is not offered: Partita does not
 * support it.
 *
 * <pre>{@code
 * client.operate(null, key,
 *     MapOperation.put(new MapPolicy(MapOrder.KEY_ORDERED, MapWriteFlags.DEFAULT), "prices", "2026-12-07", 41.5));
 * }</pre>
 */
public enum MapOrder {
    /** Entries stay in the order they were first put (the default). */
    UNORDERED(0),
    /** Entries are kept sorted by key (Aerospike's value order); reads return a {@link java.util.SortedMap}. */
    KEY_ORDERED(1);

    private final int value;

    MapOrder(int value) {
        this.value = value;
    }

    /** Aerospike's number for the order, as the operation carries it. */
    public int value() {
        return value;
    }
}
