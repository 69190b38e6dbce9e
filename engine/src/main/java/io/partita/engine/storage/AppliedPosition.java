package io.partita.engine.storage;

import java.nio.ByteBuffer;

/**
 * The Raft (term, index) of the last log entry whose effects a column family holds. Stored in the same atomic
 * WriteBatch as those effects, so after any crash it never claims more than RocksDB recovered.
 */
public record AppliedPosition(long term, long index) {
    /** Nothing applied yet. */
    public static final AppliedPosition NONE = new AppliedPosition(0, -1);

    byte[] encode() {
        return ByteBuffer.allocate(16).putLong(term).putLong(index).array();
    }

    static AppliedPosition decode(byte[] bytes) {
        if (bytes == null) {
            return NONE;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        return new AppliedPosition(b.getLong(), b.getLong());
    }
}
