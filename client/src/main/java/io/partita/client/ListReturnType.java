package io.partita.client;

import io.partita.protocol.ReturnType;

/**
 * What a list get/remove-by operation ({@link ListOperation}) answers: Aerospike's {@code ListReturnType}, with the
 * same numbers. Or {@link #INVERTED} into one of them to select every element except the matched ones.
 */
public final class ListReturnType {
    /** Nothing (null). */
    public static final int NONE = ReturnType.NONE;
    /** The index of each selected element (a Long, or a List of Long for a range). */
    public static final int INDEX = ReturnType.INDEX;
    /** The index of each selected element counted from the end (the last element is 0). */
    public static final int REVERSE_INDEX = ReturnType.REVERSE_INDEX;
    /** The rank of each selected element (0 = the smallest value). */
    public static final int RANK = ReturnType.RANK;
    /** The rank of each selected element counted from the largest (0 = the largest value). */
    public static final int REVERSE_RANK = ReturnType.REVERSE_RANK;
    /** How many elements were selected (a Long). */
    public static final int COUNT = ReturnType.COUNT;
    /** The selected value (or a List of values for a range or a value match). */
    public static final int VALUE = ReturnType.VALUE;
    /** Whether anything was selected (a Boolean). */
    public static final int EXISTS = ReturnType.EXISTS;
    /** Flag: select the elements the operation would not select. */
    public static final int INVERTED = ReturnType.INVERTED;

    private ListReturnType() {
    }
}
