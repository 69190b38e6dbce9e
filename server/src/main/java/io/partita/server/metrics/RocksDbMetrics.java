package io.partita.server.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.partita.engine.storage.NodeStore;
import org.rocksdb.TickerType;

/**
 * RocksDB per column family (one per hosted group) from RocksDB's own properties, and the node's shared block
 * cache from its statistics tickers. Read when scraped.
 */
final class RocksDbMetrics {
    private static final int LEVELS = 7;

    private final MetricRegistry registry;
    private final NodeStore store;

    RocksDbMetrics(MetricRegistry registry, NodeStore store) {
        this.registry = registry;
        this.store = store;
        String p = MetricNames.ROCKSDB;
        SuppliedCounter hits = registry.register(MetricRegistry.name(p, "block_cache_hits"),
                new SuppliedCounter(() -> store.ticker(TickerType.BLOCK_CACHE_HIT)));
        SuppliedCounter misses = registry.register(MetricRegistry.name(p, "block_cache_misses"),
                new SuppliedCounter(() -> store.ticker(TickerType.BLOCK_CACHE_MISS)));
        registry.register(MetricRegistry.name(p, "block_cache_hit_ratio"), (Gauge<Double>) () -> {
            long h = hits.getCount();
            long total = h + misses.getCount();
            return total == 0 ? 0.0 : (double) h / total;
        });
    }

    /** Registers the gauges of group {@code group}'s column family. */
    void register(int group) {
        property(group, "live_data_bytes", "rocksdb.estimate-live-data-size");
        property(group, "sst_bytes", "rocksdb.live-sst-files-size");
        property(group, "memtable_bytes", "rocksdb.cur-size-all-mem-tables");
        property(group, "pending_compaction_bytes", "rocksdb.estimate-pending-compaction-bytes");
        property(group, "estimated_keys", "rocksdb.estimate-num-keys");
        registry.gauge(name(group, "sst_files"), () -> () -> {
            long files = 0;
            for (int level = 0; level < LEVELS; level++) {
                files += Math.max(0, store.groupProperty(group, "rocksdb.num-files-at-level" + level));
            }
            return files;
        });
    }

    private void property(int group, String name, String property) {
        registry.gauge(name(group, name), () -> () -> {
            long v = store.groupProperty(group, property);
            return v < 0 ? null : v;
        });
    }

    private static String name(int group, String metric) {
        return MetricRegistry.name(MetricNames.ROCKSDB, "group", metric, Integer.toString(group));
    }
}
