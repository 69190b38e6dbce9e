package io.partita.engine.storage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.Statistics;
import org.rocksdb.StatsLevel;
import org.rocksdb.TickerType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBufferManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one RocksDB instance. Every Raft group owns one column family ({@code group-N}); all families share
 * one block cache and one memtable budget, so adding groups does not multiply memory.
 */
public final class NodeStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeStore.class);
    private static final String GROUP_PREFIX = "group-";

    static {
        RocksNativeLibrary.load();
    }

    private final Path dir;
    private final LRUCache blockCache;
    private final WriteBufferManager writeBufferManager;
    private final DBOptions dbOptions;
    private final Statistics statistics;
    private boolean closed; // guarded by this
    private final BloomFilter bloomFilter;
    private final ColumnFamilyOptions familyOptions;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> handles;
    private final Map<Integer, GroupStore> groups = new HashMap<>();
    private final java.util.Set<Integer> foundAtOpen;

    private NodeStore(Path dir, StorageOptions options) throws RocksDBException {
        this.dir = dir;
        this.blockCache = new LRUCache(options.blockCacheBytes());
        // Memtables are charged against the block cache, so the two budgets bound RocksDB's memory together.
        this.writeBufferManager = new WriteBufferManager(options.writeBufferBytes(), blockCache);
        // The cheapest level the Java API offers: tickers (block-cache hits and misses) and histograms, no
        // detailed timers; tickers are per-core counters, a few adds per read.
        this.statistics = new Statistics();
        statistics.setStatsLevel(StatsLevel.EXCEPT_DETAILED_TIMERS);
        this.dbOptions = new DBOptions()
                .setStatistics(statistics)
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setWriteBufferManager(writeBufferManager)
                // The WAL is a consistent prefix after a crash; Raft replays everything after the applied index.
                .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
                .setMaxBackgroundJobs(2);
        this.bloomFilter = new BloomFilter(10);
        this.familyOptions = new ColumnFamilyOptions()
                .setTableFormatConfig(new BlockBasedTableConfig()
                        .setBlockCache(blockCache)
                        .setFilterPolicy(bloomFilter)
                        .setCacheIndexAndFilterBlocks(true))
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setWriteBufferSize(Math.max(4L << 20, Math.min(64L << 20, options.writeBufferBytes() / 4)));

        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (byte[] name : existingFamilies(dir)) {
            descriptors.add(new ColumnFamilyDescriptor(name, familyOptions));
        }
        this.handles = new ArrayList<>();
        this.db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        for (ColumnFamilyHandle handle : handles) {
            String name = new String(handle.getName(), StandardCharsets.UTF_8);
            if (name.startsWith(GROUP_PREFIX)) {
                int index = Integer.parseInt(name.substring(GROUP_PREFIX.length()));
                groups.put(index, new GroupStore(index, db, handle));
            }
        }
        this.foundAtOpen = java.util.Set.copyOf(groups.keySet());
        LOG.info("Opened RocksDB at {} with {} group column families", dir, groups.size());
    }

    /** Opens (creating if needed) the node's RocksDB under {@code dir}. */
    public static NodeStore open(Path dir, StorageOptions options) {
        try {
            Files.createDirectories(dir);
            return new NodeStore(dir, options);
        } catch (RocksDBException e) {
            throw new StorageException("cannot open RocksDB at " + dir + ": " + e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new StorageException("cannot create RocksDB directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static List<byte[]> existingFamilies(Path dir) throws RocksDBException {
        List<byte[]> names = new ArrayList<>();
        if (Files.exists(dir.resolve("CURRENT"))) {
            try (Options options = new Options()) {
                names.addAll(RocksDB.listColumnFamilies(options, dir.toString()));
            }
        }
        if (names.isEmpty()) {
            names.add(RocksDB.DEFAULT_COLUMN_FAMILY);
        }
        return names;
    }

    /**
     * Whether group {@code index}'s column family was already on disk when the store opened: a node whose Raft log
     * of a group survived but whose column family did not (a lost or replaced RocksDB directory) must not apply that
     * log onto an empty family as if it held the group's earlier state.
     */
    public boolean existedAtOpen(int index) {
        return foundAtOpen.contains(index);
    }

    /** The store of group {@code index}, creating its column family on first use. */
    public synchronized GroupStore group(int index) {
        GroupStore store = groups.get(index);
        if (store == null) {
            try {
                ColumnFamilyHandle handle = db.createColumnFamily(new ColumnFamilyDescriptor(
                        (GROUP_PREFIX + index).getBytes(StandardCharsets.UTF_8), familyOptions));
                handles.add(handle);
                store = new GroupStore(index, db, handle);
                groups.put(index, store);
            } catch (RocksDBException e) {
                throw new StorageException("cannot create column family for group " + index + ": " + e.getMessage(), e);
            }
        }
        return store;
    }

    /**
     * Creates the column families of the given groups that do not exist yet, in one RocksDB call: creating them one
     * by one rewrites the OPTIONS file each time, which grows with every family (seconds for hundreds of groups).
     */
    public synchronized void prepareGroups(java.util.Collection<Integer> indexes) {
        List<Integer> missing = indexes.stream().filter(i -> !groups.containsKey(i)).distinct().toList();
        if (missing.isEmpty()) {
            return;
        }
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (int index : missing) {
            descriptors.add(new ColumnFamilyDescriptor((GROUP_PREFIX + index).getBytes(StandardCharsets.UTF_8),
                    familyOptions));
        }
        try {
            List<ColumnFamilyHandle> created = db.createColumnFamilies(descriptors);
            for (int i = 0; i < missing.size(); i++) {
                handles.add(created.get(i));
                groups.put(missing.get(i), new GroupStore(missing.get(i), db, created.get(i)));
            }
        } catch (RocksDBException e) {
            throw new StorageException("cannot create column families for " + missing.size() + " groups: "
                    + e.getMessage(), e);
        }
    }

    /**
     * An integer RocksDB property (e.g. {@code rocksdb.estimate-live-data-size}) of group {@code index}'s column
     * family, for metrics; -1 when the node has no column family for the group or the store is closed.
     */
    public synchronized long groupProperty(int index, String property) {
        GroupStore store = groups.get(index);
        if (closed || store == null) {
            return -1;
        }
        try {
            // Parsed from the string form: getLongProperty knows only some numeric properties (not
            // num-files-at-level<N>, for one).
            String value = db.getProperty(store.family(), property);
            return value == null || value.isEmpty() ? -1 : Long.parseLong(value.trim());
        } catch (RocksDBException | NumberFormatException e) {
            throw new StorageException("cannot read " + property + " of group " + index + ": " + e.getMessage(), e);
        }
    }

    /** A node-wide RocksDB ticker (e.g. block-cache hits) since the store opened; 0 once it is closed. */
    public synchronized long ticker(TickerType ticker) {
        return closed ? 0 : statistics.getTickerCount(ticker);
    }

    public Path directory() {
        return dir;
    }

    /** Flushes memtables and WAL to disk (clean shutdown, snapshots). */
    public void flush() {
        try (org.rocksdb.FlushOptions flush = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
            db.flush(flush, handles);
            db.flushWal(true);
        } catch (RocksDBException e) {
            throw new StorageException("flush failed: " + e.getMessage(), e);
        }
    }

    /**
     * Compacts every group's data now, so that the space of deleted records (removed expired ones included) is
     * given back without waiting for RocksDB's own compactions. Blocks until done; heavy on a large store.
     */
    public synchronized void compact() {
        try {
            for (ColumnFamilyHandle handle : handles) {
                db.compactRange(handle);
            }
        } catch (RocksDBException e) {
            throw new StorageException("compaction failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (GroupStore group : groups.values()) {
            group.closeScans();
        }
        for (ColumnFamilyHandle handle : handles) {
            handle.close();
        }
        db.close();
        familyOptions.close();
        bloomFilter.close();
        dbOptions.close();
        statistics.close();
        writeBufferManager.close();
        blockCache.close();
        LOG.info("Closed RocksDB at {}", dir);
    }
}
