package io.partita.tools.stats;

import io.partita.server.metrics.PrometheusText;

/**
 * One node's figures for {@code partita stats}, from two scrapes of its {@code /metrics} taken {@code seconds}
 * apart: rates come from the counters' difference, everything else from the second scrape.
 *
 * @param opsPerSecond     client operations completed per second (all types and result codes)
 * @param p99Ms            the highest p99 latency over the operation types that ran, in ms (NaN when none ran)
 * @param writesPerEntry   client writes per Raft log entry during the interval (NaN without writes)
 * @param compressionRatio log entry bytes before LZ4 / after, since start (NaN before the first entry)
 */
public record NodeStats(String nodeId, String adminAddress, double opsPerSecond, double p99Ms, double groupsHosted,
                        double groupsLed, double maxApplyLag, double logBytes, double rocksDbLiveBytes,
                        double blockCacheHitRatio, double heapUsedBytes, double writesPerEntry,
                        double compressionRatio) {

    /** The figures from a scrape {@code seconds} after {@code before}. */
    public static NodeStats of(String nodeId, String adminAddress, PrometheusText before, PrometheusText after,
                               double seconds) {
        double ops = after.sum("partita_op_results_total") - before.sum("partita_op_results_total");
        double entries = after.sum("partita_batch_entries_total") - before.sum("partita_batch_entries_total");
        double writes = after.sum("partita_batch_writes_total") - before.sum("partita_batch_writes_total");
        Double p99 = ops > 0 ? after.max("partita_op_latency_seconds", "quantile=0.99") : null;
        return new NodeStats(nodeId, adminAddress, ops / seconds, p99 == null ? Double.NaN : p99 * 1000,
                orNaN(after.value("partita_node_groups_hosted")), orNaN(after.value("partita_node_groups_led")),
                orNaN(after.value("partita_node_max_apply_lag")), orNaN(after.value("partita_node_log_bytes")),
                after.sum("partita_rocksdb_live_data_bytes"),
                orNaN(after.value("partita_rocksdb_block_cache_hit_ratio")),
                orNaN(after.value("jvm_memory_used_bytes", "area=heap")),
                entries > 0 ? writes / entries : Double.NaN,
                orNaN(after.value("partita_batch_compression_ratio")));
    }

    private static double orNaN(Double v) {
        return v == null ? Double.NaN : v;
    }
}
