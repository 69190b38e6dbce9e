package io.partita.protocol;

/**
 * What a list get/remove-by operation returns: Aerospike's {@code ListReturnType} numbers, so a value from an
 * Aerospike application means the same here. {@link #INVERTED} may be or-ed into any of them: the operation then
 * selects (and, for a remove, removes) every element except those its arguments name.
 *
 * <p>An operation that names one element (by index or rank) answers one value (a Long, or the element for
 * {@link #VALUE}); one that names a range or values (index range, rank range, value, value list) answers a List,
 * empty when nothing is selected. In a list of n elements, the element at index i has reverse index n-1-i; the element
 * of rank r has reverse rank n-1-r. Ranks follow {@link ValueOrder}.
 */
public final class ReturnType {
    /** No result (null). */
    public static final int NONE = 0;
    /** The index of each selected element, counted from the front: 0 is the first element (Long, or List of Long). */
    public static final int INDEX = 1;
    /**
     * The reverse index of each selected element, counted from the back: 0 is the last element, n-1 the first
     * (Long, or List of Long).
     */
    public static final int REVERSE_INDEX = 2;
    /**
     * The rank of each selected element, its position in value order: 0 is the smallest value, n-1 the largest
     * (Long, or List of Long).
     */
    public static final int RANK = 3;
    /** The reverse rank of each selected element: 0 is the largest value, n-1 the smallest (Long, or List of Long). */
    public static final int REVERSE_RANK = 4;
    /** How many elements were selected (Long; 1 for a single-element operation). */
    public static final int COUNT = 5;
    /**
     * Map operations only: the key of the selected entry (a single-entry operation; null when it selects nothing) or
     * the keys of the selected entries (a List, in the order the operation lists entries).
     */
    public static final int KEY = 6;
    /** The selected element (a single-element operation) or elements (a List). */
    public static final int VALUE = 7;
    /**
     * Map operations only: the selected entries as a Map (a LinkedHashMap in the order the operation lists entries),
     * also for a single-entry operation (a one-entry map; empty when nothing is selected). Aerospike's Java client
     * answers a List of Map.Entry here; Partita's values have no entry type.
     */
    public static final int KEY_VALUE = 8;
    /** Whether any element was selected (Boolean). */
    public static final int EXISTS = 13;
    /**
     * Flag, or-ed into a return type: select every element the arguments do not name. Only for operations that select
     * a range or values; a single-element operation with it fails with OP_NOT_APPLICABLE.
     */
    public static final int INVERTED = 0x10000;

    private ReturnType() {
    }
}
