package io.partita.engine.storage;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * The Raft (term, index) of the last log entry whose effects a column family holds, and the group's time after that
 * entry. Stored in the same atomic WriteBatch as those effects, so after any crash it never claims more than RocksDB
 * recovered.
 *
 * <p>{@code timeMs} is the group's monotonic time: the latest time (ms since the epoch) at which any entry up to
 * {@code index} was applied, i.e. the maximum of the leaders' stamps in the log so far. It depends only on the log,
 * so every replica holds the same value at the same index, and it travels with the data through restarts, replay
 * and snapshot installs (the position is a key of the family, exported and ingested with it). 0 = unknown (nothing
 * applied, or a position written before the time was kept).
 *
 * <p>Encoding (big-endian), told apart by length:
 * <pre>
 *   v1 (16 bytes): term:int64 index:int64                 (written before group time existed; decodes with time 0)
 *   v2 (24 bytes): term:int64 index:int64 timeMs:int64
 * </pre>
 * v2 extends v1 at the end, so a node running the older code still reads term and index correctly.
 */
public record AppliedPosition(long term, long index, long timeMs) {
    /** Nothing applied yet. */
    public static final AppliedPosition NONE = new AppliedPosition(0, -1, 0);

    static final int V1_BYTES = 16;
    static final int V2_BYTES = 24;

    /** A position without a group time (time 0). */
    public AppliedPosition(long term, long index) {
        this(term, index, 0);
    }

    byte[] encode() {
        return ByteBuffer.allocate(V2_BYTES).putLong(term).putLong(index).putLong(timeMs).array();
    }

    static AppliedPosition decode(byte[] bytes) {
        if (bytes == null) {
            return NONE;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        return switch (bytes.length) {
            case V1_BYTES -> new AppliedPosition(b.getLong(), b.getLong(), 0);
            case V2_BYTES -> new AppliedPosition(b.getLong(), b.getLong(), b.getLong());
            default -> throw new StorageException("the stored applied position has " + bytes.length + " bytes ("
                    + HexFormat.of().formatHex(bytes) + "); this version reads 16 or 24. It was written by a newer"
                    + " Partita or is corrupt: run the version that wrote it, or restore the node from its replicas",
                    null);
        };
    }
}
