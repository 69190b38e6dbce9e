package io.partita.client;

/** How a map write treats existing and missing keys: Aerospike's {@code MapWriteFlags}, with the same numbers. */
public final class MapWriteFlags {
    /** Create or update entries. */
    public static final int DEFAULT = 0;
    /** Only create entries: an existing key fails the call with ELEMENT_EXISTS. */
    public static final int CREATE_ONLY = 1;
    /** Only update entries: a missing key fails the call with ELEMENT_NOT_FOUND. */
    public static final int UPDATE_ONLY = 2;
    /** Do not fail the call when a flag refuses an entry: skip it instead. */
    public static final int NO_FAIL = 4;
    /** With NO_FAIL, put the items that pass and skip the others (for {@link MapOperation#putItems}). */
    public static final int PARTIAL = 8;

    private MapWriteFlags() {
    }
}
