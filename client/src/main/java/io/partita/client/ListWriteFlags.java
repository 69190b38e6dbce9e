package io.partita.client;

/** How a list write treats duplicates and bounds: Aerospike's {@code ListWriteFlags}, with the same numbers. */
public final class ListWriteFlags {
    /** Allow duplicates; insert or set beyond the end pads the list with nulls. */
    public static final int DEFAULT = 0;
    /** Refuse a value the list already holds (ELEMENT_EXISTS). */
    public static final int ADD_UNIQUE = 1;
    /** Refuse an insert or set beyond the end of the list (OP_NOT_APPLICABLE) instead of padding it. */
    public static final int INSERT_BOUNDED = 2;
    /** Do not fail the call when a flag refuses a value: skip it instead. */
    public static final int NO_FAIL = 4;
    /** With NO_FAIL, write the items that pass and skip the others (for the items operations). */
    public static final int PARTIAL = 8;

    private ListWriteFlags() {
    }
}
