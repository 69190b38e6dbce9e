package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.server.metrics.PrometheusText;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node (Ratis, RocksDB, gRPC, admin HTTP): after a known mix of operations, {@code /metrics} shows exactly
 * those operations by type, namespace and result code, and plausible Raft, batching, RocksDB, Ratis and JVM series;
 * the same registry is visible over JMX.
 */
class MetricsEndToEndTest {
    static final int PUTS = 40;
    static final int GETS = 25;
    static final int MISSES = 5;
    static final int DELETES = 10;

    @TempDir
    Path dir;

    @Test
    void scrapeShowsTheTrafficSent() throws Exception {
        try (Node node = TestNodes.startReady(TestNodes.config(dir), io.partita.engine.time.Clock.SYSTEM);
             PartitaClient client = PartitaClient.connect(node.clientAddress())) {
            for (int i = 0; i < PUTS; i++) {
                client.put(new Key("test", "s", "k" + i), Map.of("v", "value-" + i));
            }
            for (int i = 0; i < GETS; i++) {
                assertNotNull(client.get(new Key("test", "s", "k" + i)));
            }
            for (int i = 0; i < MISSES; i++) {
                assertNull(client.get(new Key("test", "s", "absent" + i)));
            }
            for (int i = 0; i < DELETES; i++) {
                client.delete(new Key("test", "s", "k" + i));
            }
            node.store().flush(); // SST files, so RocksDB's live-data estimates are non-zero

            PrometheusText m = PrometheusText.scrape(node.adminPort());

            // Client operations: exactly what was sent, by op, namespace and result code.
            assertEquals(PUTS, m.value("partita_op_results_total", "op=put", "namespace=test", "code=ok"), m::toString);
            assertEquals(GETS, m.value("partita_op_results_total", "op=get", "namespace=test", "code=ok"));
            assertEquals(MISSES, m.value("partita_op_results_total", "op=get", "namespace=test", "code=key_not_found"));
            assertEquals(DELETES, m.value("partita_op_results_total", "op=delete", "namespace=test", "code=ok"));
            assertEquals(PUTS + GETS + MISSES + DELETES, m.sum("partita_op_results_total"));
            assertEquals(PUTS, m.value("partita_op_latency_seconds_count", "op=put", "namespace=test"));
            assertEquals(GETS + MISSES, m.value("partita_op_latency_seconds_count", "op=get", "namespace=test"));
            double p99 = m.value("partita_op_latency_seconds", "op=put", "namespace=test", "quantile=0.99");
            assertTrue(p99 > 0 && p99 < 10, "put p99 " + p99 + " s");

            // Batching: every write went through a log entry; LZ4 saw the bytes.
            double entries = m.value("partita_batch_entries_total");
            assertTrue(entries >= 1 && entries <= PUTS + DELETES, "entries " + entries);
            assertEquals(entries, m.value("partita_batch_commands_count"));
            assertEquals(PUTS + DELETES, m.value("partita_batch_writes_total"));
            assertTrue(m.value("partita_batch_raw_bytes_total") > 0);
            assertTrue(m.value("partita_batch_encoded_bytes_total") > 0);
            assertTrue(m.value("partita_batch_compression_ratio") > 0);

            // Raft, per group and per node.
            assertTrue(m.sum("partita_raft_commit_index") >= entries, m::toString);
            assertTrue(m.sum("partita_raft_applied_index") >= entries);
            assertEquals(TestNodes.config(dir).raftGroupsFor(1), m.value("partita_node_groups_led"));
            assertTrue(m.value("partita_node_log_bytes") > 0);
            assertEquals(m.sum("partita_raft_log_bytes"), m.value("partita_node_log_bytes"));
            assertNotNull(m.value("partita_raft_term", "group=0"));
            // Ratis's own metrics, per group.
            assertTrue(m.names().stream().anyMatch(n -> n.startsWith("partita_ratis_")), m::toString);

            // RocksDB.
            assertTrue(m.sum("partita_rocksdb_live_data_bytes") > 0, m::toString);
            assertTrue(m.sum("partita_rocksdb_sst_files") > 0);
            assertNotNull(m.value("partita_rocksdb_block_cache_hit_ratio"));

            // JVM.
            assertTrue(m.value("jvm_memory_used_bytes", "area=heap") > 0);
            assertTrue(m.value("jvm_threads_current") > 0);
            assertTrue(m.names().contains("jvm_gc_collections"), m::toString);

            // Every partita_ and jvm_ family served is documented in docs/metrics.md.
            java.util.Set<String> documented = io.partita.server.metrics.MetricDocs.documented();
            java.util.List<String> undocumented = m.names().stream()
                    .filter(n -> n.startsWith("partita_") || n.startsWith("jvm_"))
                    .filter(n -> !documented.contains(io.partita.server.metrics.MetricDocs.family(n))).toList();
            assertEquals(java.util.List.of(), undocumented, "served but not in docs/metrics.md");

            // JMX: the same registry, under domain partita with the node id.
            ObjectName name = new ObjectName("partita:node=\"" + node.config().nodeId()
                    + "\",type=counters,name=\"partita.op.results.put.test.ok\"");
            assertEquals((long) PUTS, ManagementFactory.getPlatformMBeanServer().getAttribute(name, "Count"));
        }
    }
}
