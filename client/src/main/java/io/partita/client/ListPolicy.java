package io.partita.client;

/**
 * The write flags of a list operation ({@link ListWriteFlags}), as Aerospike's {@code ListPolicy} carries them.
 * Partita's lists are unordered (they keep insertion order); Aerospike's ordered lists are not supported, so this
 * policy has no order.
 *
 * @param writeFlags an or of {@link ListWriteFlags} constants
 */
public record ListPolicy(int writeFlags) {
    /** No flags: duplicates allowed, writes beyond the end pad with nulls. */
    public static final ListPolicy DEFAULT = new ListPolicy(ListWriteFlags.DEFAULT);

    private static final int KNOWN = ListWriteFlags.ADD_UNIQUE | ListWriteFlags.INSERT_BOUNDED
            | ListWriteFlags.NO_FAIL | ListWriteFlags.PARTIAL;

    /** @throws IllegalArgumentException for a flag Partita does not know */
    public ListPolicy {
        if ((writeFlags & ~KNOWN) != 0) {
            throw new IllegalArgumentException("unknown list write flags 0x" + Integer.toHexString(writeFlags & ~KNOWN)
                    + "; use ListWriteFlags constants");
        }
    }
}
