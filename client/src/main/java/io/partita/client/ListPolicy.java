package io.partita.client;

import java.util.Objects;

/**
 * The order and write flags of a list operation, as Aerospike's {@code ListPolicy} carries them.
 *
 * <pre>{@code
 * ListPolicy unique = new ListPolicy(ListOrder.ORDERED, ListWriteFlags.ADD_UNIQUE | ListWriteFlags.NO_FAIL);
 * client.operate(null, key, ListOperation.append(unique, "tags", "blue"));
 * }</pre>
 *
 * The order applies when the operation creates the list (its bin is absent); an existing list keeps its order
 * (change it with {@link ListOperation#setOrder}). Only append, append-items and increment create a list of the
 * policy's order, as in Aerospike; insert and set create an unordered list.
 *
 * @param order      the order of a list the operation creates
 * @param writeFlags an or of {@link ListWriteFlags} constants
 */
public record ListPolicy(ListOrder order, int writeFlags) {
    /** Unordered, no flags: duplicates allowed, writes beyond the end pad with nulls. */
    public static final ListPolicy DEFAULT = new ListPolicy(ListOrder.UNORDERED, ListWriteFlags.DEFAULT);

    private static final int KNOWN = ListWriteFlags.ADD_UNIQUE | ListWriteFlags.INSERT_BOUNDED
            | ListWriteFlags.NO_FAIL | ListWriteFlags.PARTIAL;

    /** @throws IllegalArgumentException for a flag Partita does not know */
    public ListPolicy {
        Objects.requireNonNull(order, "order");
        if ((writeFlags & ~KNOWN) != 0) {
            throw new IllegalArgumentException("unknown list write flags 0x" + Integer.toHexString(writeFlags & ~KNOWN)
                    + "; use ListWriteFlags constants");
        }
    }

    /** An unordered list's policy with these flags. */
    public ListPolicy(int writeFlags) {
        this(ListOrder.UNORDERED, writeFlags);
    }
}
