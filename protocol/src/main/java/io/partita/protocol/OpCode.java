package io.partita.protocol;

/**
 * The operations {@code operate()} applies to one record, each with a stable wire number: the number is what the log,
 * the client protocol and backups carry, so a constant's number never changes and a new operation takes a new one.
 *
 * <p>Arguments (the engine's {@code Operation.args()}, built by the client's operation classes) are plain bin values
 * (Long, Double, String, byte[], Boolean, List, Map). An index or rank counts from 0 at the front, or from -1 at the
 * back when negative, as in Aerospike. {@code count} is optional where shown in brackets: absent means "to the end".
 * {@code returnType} takes Aerospike's {@code ListReturnType} / {@code MapReturnType} numbers (see
 * {@link ReturnType}); {@code flags} Aerospike's {@code ListWriteFlags} / {@code MapWriteFlags}. The engine's
 * {@code ListOps} and {@code MapOps} hold the semantics.
 */
public enum OpCode {
    // --- record and bin operations -----------------------------------------------------------------------------
    /** Result: the bin's value (null when absent). With no bin name: every bin (result null; see the record). */
    READ(1, false),
    /** Result: null; the record's generation and expiry come with the answer. */
    READ_HEADER(2, false),
    /** args: value. Writes the bin (a null value removes it). Result: null. */
    WRITE(3, true),
    /** args: delta (Long or Double). Adds to a numeric bin of the same type, or creates it. Result: null. */
    ADD(4, true),
    /** args: String or byte[]. Appends to a bin of the same type, or creates it. Result: null. */
    APPEND(5, true),
    /** args: String or byte[]. Prepends to a bin of the same type, or creates it. Result: null. */
    PREPEND(6, true),
    /** Resets the record's expiry (and increments its generation). Result: null. */
    TOUCH(7, true),
    /** Deletes the record; later operations in the same call see no record. Result: null. */
    DELETE(8, true),

    // --- list operations (a list bin, unordered or ordered) ------------------------------------------------------
    // Semantics: ListOps. On an absent bin the reads answer null, the removes (remove/pop/trim/clear) do nothing,
    // the adds (append/insert/set/increment) first create an empty list, and LIST_SORT fails with BIN_TYPE_ERROR.
    // A single-element index or rank out of bounds fails with OP_NOT_APPLICABLE; a range is clipped to the list.
    // An ordered list (ListOrder 1, OrderedList) stays in ValueOrder: appends go to their place, insert and set are
    // OP_NOT_APPLICABLE. The optional "order" argument (ListOrder: 0 unordered, 1 ordered) is the order of a list
    // the operation creates on an absent bin; an existing list keeps its own.

    /** args: value, flags (ListWriteFlags), [order]. Result: the list's new size. */
    LIST_APPEND(20, true),
    /** args: items (List), flags, [order]. Result: the list's new size (unchanged for an empty items list). */
    LIST_APPEND_ITEMS(21, true),
    /**
     * args: index, value, flags. Inserts before the element at index; an index beyond the end pads with nulls
     * (OP_NOT_APPLICABLE with INSERT_BOUNDED). Result: the list's new size.
     */
    LIST_INSERT(22, true),
    /** args: index, items (List), flags. As LIST_INSERT, for every item in order. Result: the list's new size. */
    LIST_INSERT_ITEMS(23, true),
    /** args: index, value, flags. Replaces the element; beyond the end, inserts as LIST_INSERT does. Result: null. */
    LIST_SET(24, true),
    /**
     * args: index, delta (Long or Double), flags, [order]. The element keeps its type (an integer takes a double
     * delta truncated); a non-numeric element is a PARAMETER_ERROR; beyond the end the element becomes delta (on an
     * ordered list only just at the end). In an ordered list the element moves to its new place. Result: the
     * element's new value.
     */
    LIST_INCREMENT(25, true),
    /** args: index, returnType. Result: per returnType (a single value). */
    LIST_REMOVE_BY_INDEX(26, true),
    /** args: index, [count,] returnType. Result: per returnType (a List for INDEX/RANK/VALUE kinds). */
    LIST_REMOVE_BY_INDEX_RANGE(27, true),
    /** args: value, returnType. Removes every element equal to value. Result: per returnType (List kinds). */
    LIST_REMOVE_BY_VALUE(28, true),
    /** args: values (List), returnType. Removes every element equal to one of values. Result: per returnType. */
    LIST_REMOVE_BY_VALUE_LIST(29, true),
    /** args: index. Result: the removed element. */
    LIST_POP(30, true),
    /** args: index, [count]. Result: the removed elements (List). */
    LIST_POP_RANGE(31, true),
    /**
     * args: index, count. Keeps only that range (a range wholly outside the list removes everything).
     * Result: the number of elements removed.
     */
    LIST_TRIM(32, true),
    /** Empties the list (the bin stays, holding an empty list). Result: null. */
    LIST_CLEAR(33, true),
    /** args: sortFlags (0 = ascending, 1 = descending, 2 = drop duplicates; may be combined). Result: null. */
    LIST_SORT(34, true),
    /** Result: the list's size (null when the bin is absent). */
    LIST_SIZE(35, false),
    /** args: index, returnType. Result: per returnType (a single value). */
    LIST_GET_BY_INDEX(36, false),
    /** args: index, [count,] returnType. Result: per returnType (a List for INDEX/RANK/VALUE kinds). */
    LIST_GET_BY_INDEX_RANGE(37, false),
    /** args: value, returnType. Every element equal to value. Result: per returnType (List kinds). */
    LIST_GET_BY_VALUE(38, false),
    /** args: rank, returnType. Result: per returnType (a single value). */
    LIST_GET_BY_RANK(39, false),
    /** args: rank, [count,] returnType. Result: per returnType (a List for INDEX/RANK/VALUE kinds). */
    LIST_GET_BY_RANK_RANGE(40, false),
    /** args: values (List), returnType. Every element equal to one of values. Result: per returnType. */
    LIST_GET_BY_VALUE_LIST(41, false),
    /** args: rank, returnType. Result: per returnType (a single value). */
    LIST_REMOVE_BY_RANK(42, true),
    /** args: rank, [count,] returnType. Result: per returnType (a List for INDEX/RANK/VALUE kinds). */
    LIST_REMOVE_BY_RANK_RANGE(43, true),
    /**
     * args: order (ListOrder: 0 unordered, 1 ordered). Sets the list's order (sorting it when it becomes ordered);
     * on an absent bin, creates an empty list of that order (Aerospike's ListOperation.create at the top level).
     * Result: null.
     */
    LIST_SET_ORDER(44, true),

    // --- map operations (a map bin, unordered or key-ordered; index and rank follow key order and value order) ---
    // A key-ordered map (MapOrder 1, a SortedMap) stores its entries in key order, an unordered one in insertion
    // order; the operations answer the same for both. The optional "order" argument (MapOrder: 0 unordered,
    // 1 key-ordered) is the order of a map the operation creates on an absent bin; an existing map keeps its own.
    /**
     * args: key (a scalar), value, flags (MapWriteFlags: CREATE_ONLY, UPDATE_ONLY, NO_FAIL, PARTIAL), [order].
     * Result: the map's size after it (unchanged when NO_FAIL skips the write).
     */
    MAP_PUT(50, true),
    /**
     * args: items (Map), flags (as MAP_PUT's; PARTIAL, with NO_FAIL, skips only the refused items), [order].
     * Result: the map's size after it.
     */
    MAP_PUT_ITEMS(51, true),
    /**
     * args: key, delta (Long or Double), flags, [order]. A missing key is created with delta. flags are checked but,
     * as on Aerospike's server, not applied (an increment always creates or updates). Result: the entry's new value.
     */
    MAP_INCREMENT(52, true),
    /** Empties the map. Result: null. */
    MAP_CLEAR(53, true),
    /** Result: the map's size (null when the bin is absent). */
    MAP_SIZE(54, false),
    /** args: key, returnType. Result: per returnType (Aerospike's MapReturnType). */
    MAP_REMOVE_BY_KEY(55, true),
    /** args: keys (List), returnType (not RANK or REVERSE_RANK). Result: per returnType. */
    MAP_REMOVE_BY_KEY_LIST(56, true),
    /**
     * args: begin (null = from the smallest key), end (exclusive; null = to the largest), returnType. Result: per
     * returnType.
     */
    MAP_REMOVE_BY_KEY_RANGE(57, true),
    /** args: index (in key order), returnType. Result: per returnType. */
    MAP_REMOVE_BY_INDEX(58, true),
    /** args: index, [count,] returnType. Result: per returnType. */
    MAP_REMOVE_BY_INDEX_RANGE(59, true),
    /** args: rank (in value order), returnType. Result: per returnType. */
    MAP_REMOVE_BY_RANK(60, true),
    /** args: rank, [count,] returnType. Result: per returnType. */
    MAP_REMOVE_BY_RANK_RANGE(61, true),
    /** args: value, returnType. Removes every entry with that value. Result: per returnType. */
    MAP_REMOVE_BY_VALUE(62, true),
    /** args: key, returnType. Result: per returnType. */
    MAP_GET_BY_KEY(63, false),
    /**
     * args: begin (null = from the smallest key), end (exclusive; null = to the largest), returnType. Result: per
     * returnType.
     */
    MAP_GET_BY_KEY_RANGE(64, false),
    /** args: keys (List), returnType (not RANK or REVERSE_RANK). Result: per returnType. */
    MAP_GET_BY_KEY_LIST(65, false),
    /** args: index (in key order), returnType. Result: per returnType. */
    MAP_GET_BY_INDEX(66, false),
    /** args: index, [count,] returnType. Result: per returnType. */
    MAP_GET_BY_INDEX_RANGE(67, false),
    /** args: rank (in value order), returnType. Result: per returnType. */
    MAP_GET_BY_RANK(68, false),
    /** args: rank, [count,] returnType. Result: per returnType. */
    MAP_GET_BY_RANK_RANGE(69, false),
    /** args: value, returnType. Every entry with that value. Result: per returnType. */
    MAP_GET_BY_VALUE(70, false),
    /**
     * args: order (MapOrder: 0 unordered, 1 key-ordered). Sets the map's order (a key-ordered map stores its entries
     * sorted by key); on an absent bin, creates an empty map of that order (Aerospike's setMapPolicy, and
     * MapOperation.create at the top level). Result: null.
     */
    MAP_SET_ORDER(71, true);

    private static final OpCode[] BY_WIRE = new OpCode[128];

    static {
        for (OpCode code : values()) {
            if (BY_WIRE[code.wire] != null) {
                throw new ExceptionInInitializerError("duplicate operation number " + code.wire);
            }
            BY_WIRE[code.wire] = code;
        }
    }

    private final int wire;
    private final boolean write;

    OpCode(int wire, boolean write) {
        this.wire = wire;
        this.write = write;
    }

    /** The stable number carried on the wire and in the log. */
    public int wire() {
        return wire;
    }

    /** Whether the operation may change the record (a call with one goes through the Raft log). */
    public boolean isWrite() {
        return write;
    }

    /** Whether this is a list operation (its bin holds a list). */
    public boolean isList() {
        return wire >= 20 && wire < 50;
    }

    /** Whether this is a map operation (its bin holds a map). */
    public boolean isMap() {
        return wire >= 50 && wire < 100;
    }

    /** The operation with this wire number, or null when there is none (an unknown or newer operation). */
    public static OpCode ofWire(int wire) {
        return wire >= 0 && wire < BY_WIRE.length ? BY_WIRE[wire] : null;
    }
}
