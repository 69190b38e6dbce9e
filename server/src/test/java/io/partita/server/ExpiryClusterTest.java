package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.client.Key;
import io.partita.client.Operation;
import io.partita.client.PartitaClient;
import io.partita.client.Record;
import io.partita.client.WritePolicy;
import io.partita.engine.storage.NodeStore;
import io.partita.engine.time.ManualClock;
import io.partita.server.config.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Expiry on a 3-node cluster: records written with a short TTL are removed through the log once they expire, every
 * replica's live data and key estimate fall, and the records that have not expired are untouched. The nodes share a
 * {@link ManualClock}; {@code -Dpartita.expiry.records=100000} runs the size.
 */
class ExpiryClusterTest {
    private static final long START_MS = 1_800_000_000_000L;
    private static final int LASTING = 2_000;

    @TempDir
    Path dir;

    /** {keys, live data bytes} of a node, summed over its groups, after a flush and a full compaction. */
    private static long[] usage(Node node) {
        NodeStore store = node.store();
        store.flush();
        store.compact();
        long keys = 0;
        long bytes = 0;
        for (int g = 0; g < node.raft().layout().groupCount(); g++) {
            keys += Math.max(0, store.groupProperty(g, "rocksdb.estimate-num-keys"));
            bytes += Math.max(0, store.groupProperty(g, "rocksdb.estimate-live-data-size"));
        }
        return new long[] {keys, bytes};
    }

    private static long removed(TestCluster cluster) {
        long sum = 0;
        for (int i = 0; i < 3; i++) {
            sum += cluster.node(i).metrics().registry().counter("partita.expiry.removed").getCount();
        }
        return sum;
    }

    private static void write(PartitaClient client, String set, int count, WritePolicy policy) {
        for (int from = 0; from < count; from += 5000) {
            Key[] keys = new Key[Math.min(5000, count - from)];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = new Key("test", set, "k" + (from + i));
            }
            assertTrue(client.operate(policy, keys, Operation.put("p", "x".repeat(200))).allAnswered());
        }
    }

    @Test
    void expiredRecordsLeaveEveryReplicaAndTheRestStay() throws Exception {
        int expiring = Integer.getInteger("partita.expiry.records", 20_000);
        ManualClock clock = new ManualClock(START_MS);
        try (TestCluster cluster = TestCluster.start(dir, 3, 3, 6,
                c -> c.withExpiry(new NodeConfig.Expiry(Duration.ofMillis(300), 1_000_000)), clock);
             PartitaClient client = PartitaClient.connect(cluster.clientAddresses().toArray(String[]::new))) {
            write(client, "short", expiring, WritePolicy.builder().ttlSeconds(60).build());
            write(client, "lasting", LASTING, null);
            long[][] before = new long[3][];
            for (int i = 0; i < 3; i++) {
                before[i] = usage(cluster.node(i));
            }

            clock.advanceMs(Duration.ofSeconds(120).toMillis());
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (removed(cluster) < expiring) {
                assertTrue(System.nanoTime() < deadline, "the leaders remove the " + expiring + " expired records;"
                        + " removed " + removed(cluster));
                Thread.sleep(200);
            }
            assertEquals(expiring, removed(cluster), "each expired record removed once");
            for (int i = 0; i < 3; i++) {
                long[] after = usage(cluster.node(i));
                assertTrue(after[0] < before[i][0] / 2, "node " + i + " key estimate falls: " + before[i][0] + " -> "
                        + after[0]);
                assertTrue(after[1] < before[i][1] / 2, "node " + i + " live data falls: " + before[i][1] + " -> "
                        + after[1]);
            }
            for (int i = 0; i < LASTING; i += 97) {
                Record r = client.get(new Key("test", "lasting", "k" + i));
                assertNotNull(r, "unexpired k" + i + " stays");
                assertEquals(1, r.generation(), "unexpired k" + i + " untouched");
            }
        }
    }
}
