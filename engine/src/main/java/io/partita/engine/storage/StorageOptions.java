package io.partita.engine.storage;

/**
 * Memory budgets of a node's RocksDB instance, shared by every group's column family.
 *
 * @param writeBufferBytes total memtable budget across all column families
 * @param blockCacheBytes  size of the one block cache all column families read through
 */
public record StorageOptions(long writeBufferBytes, long blockCacheBytes) {
    public static StorageOptions defaults() {
        return new StorageOptions(256L << 20, 256L << 20);
    }
}
