package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.WritePolicy;
import io.partita.engine.storage.NodeStore;
import io.partita.engine.time.ManualClock;
import io.partita.server.config.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Expired records are removed, not only hidden: the node's expirer finds them and deletes them through the log, the
 * metrics count them, and after a compaction RocksDB's live data has shrunk. The node's clock is a
 * {@link ManualClock}, so records expire without sleeping.
 */
class ExpiryEndToEndTest {
    private static final long START_MS = 1_800_000_000_000L;

    @TempDir
    Path dir;

    private static long liveDataBytes(Node node) {
        NodeStore store = node.store();
        store.flush();
        store.compact();
        long sum = 0;
        for (int g = 0; g < node.raft().layout().groupCount(); g++) {
            sum += Math.max(0, store.groupProperty(g, "rocksdb.estimate-live-data-size"));
        }
        return sum;
    }

    @Test
    void expiredRecordsAreRemovedAndTheirSpaceFreed() throws Exception {
        ManualClock clock = new ManualClock(START_MS);
        NodeConfig config = TestNodes.config(dir).withExpiry(new NodeConfig.Expiry(Duration.ofMillis(200), 100_000));
        try (Node node = TestNodes.startReady(config, clock);
             PartitaClient client = PartitaClient.connect(node.clientAddress())) {
            String payload = "x".repeat(2000);
            WritePolicy oneMinute = WritePolicy.builder().ttlSeconds(60).build();
            for (int i = 0; i < 300; i++) {
                client.put(oneMinute, new Key("test", "exp", "short" + i), Map.of("p", payload));
            }
            for (int i = 0; i < 100; i++) {
                client.put(new Key("test", "exp", "forever" + i), Map.of("p", payload));
            }
            long before = liveDataBytes(node);
            Thread.sleep(600); // sweeps run and find nothing expired yet
            assertEquals(0, node.metrics().registry().counter("partita.expiry.removed").getCount());

            clock.advanceMs(Duration.ofSeconds(120).toMillis());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (node.metrics().registry().counter("partita.expiry.removed").getCount() < 300) {
                assertTrue(System.nanoTime() < deadline, "the expirer removes the 300 expired records; removed "
                        + node.metrics().registry().counter("partita.expiry.removed").getCount());
                Thread.sleep(100);
            }
            assertEquals(300, node.metrics().registry().counter("partita.expiry.removed").getCount());
            assertEquals(0, node.metrics().registry().counter("partita.expiry.kept").getCount());

            long after = liveDataBytes(node);
            assertTrue(after < before / 2, "live data shrinks: " + before + " -> " + after + " bytes");
            assertNull(client.get(new Key("test", "exp", "short7")));
            assertNotNull(client.get(new Key("test", "exp", "forever7")), "records that never expire stay");
        }
    }
}
