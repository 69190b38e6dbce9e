package io.partita.client;

import java.util.Objects;

/**
 * The order and write flags of a map operation, as Aerospike's {@code MapPolicy} carries them.
 *
 * <pre>{@code
 * MapPolicy byDate = new MapPolicy(MapOrder.KEY_ORDERED, MapWriteFlags.DEFAULT);
 * client.operate(null, key, MapOperation.put(byDate, "prices", "2026-12-07", 41.5));
 * }</pre>
 *
 * The order applies when the operation creates the map (its bin is absent); an existing map keeps its order (change
 * it with {@link MapOperation#setMapPolicy}).
 *
 * @param order      the order of a map the operation creates
 * @param writeFlags an or of {@link MapWriteFlags} constants; CREATE_ONLY and UPDATE_ONLY exclude each other
 */
public record MapPolicy(MapOrder order, int writeFlags) {
    /** Unordered, no flags: create or update entries. */
    public static final MapPolicy DEFAULT = new MapPolicy(MapOrder.UNORDERED, MapWriteFlags.DEFAULT);

    private static final int KNOWN = MapWriteFlags.CREATE_ONLY | MapWriteFlags.UPDATE_ONLY | MapWriteFlags.NO_FAIL
            | MapWriteFlags.PARTIAL;

    /** @throws IllegalArgumentException for a flag Partita does not know, or CREATE_ONLY with UPDATE_ONLY */
    public MapPolicy {
        Objects.requireNonNull(order, "order");
        if ((writeFlags & ~KNOWN) != 0) {
            throw new IllegalArgumentException("unknown map write flags 0x" + Integer.toHexString(writeFlags & ~KNOWN)
                    + "; use MapWriteFlags constants");
        }
        if ((writeFlags & MapWriteFlags.CREATE_ONLY) != 0 && (writeFlags & MapWriteFlags.UPDATE_ONLY) != 0) {
            throw new IllegalArgumentException("CREATE_ONLY and UPDATE_ONLY exclude each other");
        }
    }

    /** An unordered map's policy with these flags. */
    public MapPolicy(int writeFlags) {
        this(MapOrder.UNORDERED, writeFlags);
    }
}
