package io.partita.client;

import io.partita.protocol.ReturnType;

/**
 * What a map get/remove-by operation ({@link MapOperation}) answers: Aerospike's {@code MapReturnType}, with the
 * same numbers. Or {@link #INVERTED} into one of them to select every entry except the matched ones.
 */
public final class MapReturnType {
    /** Nothing (null). */
    public static final int NONE = ReturnType.NONE;
    /** The index (in key order) of each selected entry. */
    public static final int INDEX = ReturnType.INDEX;
    /** The index counted from the end of the key order (the largest key is 0). */
    public static final int REVERSE_INDEX = ReturnType.REVERSE_INDEX;
    /** The rank (in value order, 0 = the smallest value) of each selected entry. */
    public static final int RANK = ReturnType.RANK;
    /** The rank counted from the largest value (0 = the largest). */
    public static final int REVERSE_RANK = ReturnType.REVERSE_RANK;
    /** How many entries were selected (a Long). */
    public static final int COUNT = ReturnType.COUNT;
    /** The key of each selected entry (a key, or a List of keys). */
    public static final int KEY = ReturnType.KEY;
    /** The value of each selected entry (a value, or a List of values). */
    public static final int VALUE = ReturnType.VALUE;
    /** The selected entries as a Map (in key order). */
    public static final int KEY_VALUE = ReturnType.KEY_VALUE;
    /** Whether anything was selected (a Boolean). */
    public static final int EXISTS = ReturnType.EXISTS;
    /** Flag: select the entries the operation would not select. */
    public static final int INVERTED = ReturnType.INVERTED;

    private MapReturnType() {
    }
}
