package io.partita.engine.storage;

import org.rocksdb.RocksDBException;

/**
 * Real RocksDB failures for tests of what runs above the engine. Shared with other modules' tests through this
 * module's test jar.
 */
public final class StorageFaults {
    private StorageFaults() {
    }

    /**
     * Drops the group's column family under its live handle. From then on RocksDB itself refuses every write to it
     * ("Invalid column family specified in write batch": apply throws {@link StorageException}) and every flush,
     * while reads through the handle still return the data it held: a replica frozen at its last applied entry, as
     * after a disk error.
     */
    public static void dropColumnFamily(GroupStore store) {
        try {
            store.db().dropColumnFamily(store.family());
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot drop the column family of group " + store.groupIndex(), e);
        }
    }
}
