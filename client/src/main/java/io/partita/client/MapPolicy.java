package io.partita.client;

/**
 * The write flags of a map operation ({@link MapWriteFlags}), as Aerospike's {@code MapPolicy} carries them.
 * Partita's maps are unordered (they keep insertion order); Aerospike's key-ordered maps are not supported, so this
 * policy has no order.
 *
 * @param writeFlags an or of {@link MapWriteFlags} constants; CREATE_ONLY and UPDATE_ONLY exclude each other
 */
public record MapPolicy(int writeFlags) {
    /** No flags: create or update entries. */
    public static final MapPolicy DEFAULT = new MapPolicy(MapWriteFlags.DEFAULT);

    private static final int KNOWN = MapWriteFlags.CREATE_ONLY | MapWriteFlags.UPDATE_ONLY | MapWriteFlags.NO_FAIL
            | MapWriteFlags.PARTIAL;

    /** @throws IllegalArgumentException for a flag Partita does not know, or CREATE_ONLY with UPDATE_ONLY */
    public MapPolicy {
        if ((writeFlags & ~KNOWN) != 0) {
            throw new IllegalArgumentException("unknown map write flags 0x" + Integer.toHexString(writeFlags & ~KNOWN)
                    + "; use MapWriteFlags constants");
        }
        if ((writeFlags & MapWriteFlags.CREATE_ONLY) != 0 && (writeFlags & MapWriteFlags.UPDATE_ONLY) != 0) {
            throw new IllegalArgumentException("CREATE_ONLY and UPDATE_ONLY exclude each other");
        }
    }
}
