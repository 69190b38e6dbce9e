package io.partita.server.metrics;

import io.prometheus.metrics.instrumentation.dropwizard5.labels.MapperConfig;
import java.util.List;
import java.util.Map;

/**
 * Dropwizard names of the node's metrics and how they map to Prometheus names and labels. Dropwizard (and JMX)
 * names are dotted paths with the label values as segments, e.g. {@code partita.op.latency.put.test}; Prometheus
 * gets {@code partita_op_latency_seconds{op="put",namespace="test"}}. Every name is documented in docs/metrics.md.
 */
final class MetricNames {
    static final String OP_LATENCY = "partita.op.latency";
    static final String OP_RESULTS = "partita.op.results";
    static final String BATCH = "partita.batch";
    static final String MULTIPLEX = "partita.multiplex";
    static final String RAFT = "partita.raft";
    static final String NODE = "partita.node";
    static final String ROCKSDB = "partita.rocksdb";
    static final String EXPIRY = "partita.expiry";
    static final String REBALANCE = "partita.rebalance";
    static final String SNAPSHOT = "partita.snapshot";

    /** First match wins: specific patterns before general ones. Unmatched names keep their path, dots as '_'. */
    static final List<MapperConfig> PROMETHEUS = List.of(
            new MapperConfig(OP_LATENCY + ".*.*", "partita_op_latency_seconds",
                    Map.of("op", "${0}", "namespace", "${1}")),
            new MapperConfig(OP_RESULTS + ".*.*.*", "partita_op_results",
                    Map.of("op", "${0}", "namespace", "${1}", "code", "${2}")),
            new MapperConfig(RAFT + ".*.*", "partita_raft_${0}", Map.of("group", "${1}")),
            new MapperConfig(SNAPSHOT + ".transfer_bytes.*.*", "partita_snapshot_transfer_bytes",
                    Map.of("direction", "${0}", "group", "${1}")),
            new MapperConfig(SNAPSHOT + ".transfers_in_progress.*", "partita_snapshot_transfers_in_progress",
                    Map.of("direction", "${0}")),
            new MapperConfig(ROCKSDB + ".group.*.*", "partita_rocksdb_${0}", Map.of("group", "${1}")),
            new MapperConfig("jvm.memory.*.used", "jvm_memory_used_bytes", Map.of("area", "${0}")),
            new MapperConfig("jvm.memory.*.committed", "jvm_memory_committed_bytes", Map.of("area", "${0}")),
            new MapperConfig("jvm.memory.*.max", "jvm_memory_max_bytes", Map.of("area", "${0}")),
            new MapperConfig("jvm.gc.*.count", "jvm_gc_collections", Map.of("gc", "${0}")),
            new MapperConfig("jvm.gc.*.time", "jvm_gc_collection_milliseconds", Map.of("gc", "${0}")),
            new MapperConfig("jvm.threads.count", "jvm_threads_current", Map.of()),
            new MapperConfig("jvm.threads.daemon.count", "jvm_threads_daemon", Map.of()),
            new MapperConfig("jvm.threads.*.count", "jvm_threads_state", Map.of("state", "${0}")));

    private MetricNames() {
    }
}
