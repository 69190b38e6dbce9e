package io.partita.client;

/** How {@link ListOperation#sort} sorts: Aerospike's {@code ListSortFlags}, with the same numbers. */
public final class ListSortFlags {
    /** Ascending, duplicates kept. */
    public static final int DEFAULT = 0;
    /** Drop duplicate values while sorting. */
    public static final int DROP_DUPLICATES = 2;

    private ListSortFlags() {
    }
}
