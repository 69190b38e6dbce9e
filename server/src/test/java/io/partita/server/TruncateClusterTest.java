package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.PartitaException;
import io.partita.protocol.KeyDigest;
import io.partita.protocol.ResultCode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Truncate on a 3-node cluster: a set, a set before a time, a whole namespace; removed on every replica, and still
 * removed after a node restarts from its data.
 */
class TruncateClusterTest {
    private static final int GROUPS = 6;

    @TempDir
    Path dir;

    private static void write(PartitaClient client, String set, int count) {
        for (int i = 0; i < count; i++) {
            client.put(new Key("test", set, "k" + i), Map.of("v", (long) i));
        }
    }

    private static int present(PartitaClient client, String set, int count) {
        int n = 0;
        for (int i = 0; i < count; i++) {
            n += client.exists(new Key("test", set, "k" + i)) ? 1 : 0;
        }
        return n;
    }

    /** How many of the set's records node {@code i} holds in its own RocksDB, expired or not. */
    private static int stored(TestCluster cluster, int i, String set, int count) {
        int n = 0;
        for (int k = 0; k < count; k++) {
            byte[] digest = KeyDigest.compute(set, "k" + k);
            int g = cluster.node(i).raft().layout().groupOf(KeyDigest.partitionId(digest));
            n += cluster.node(i).store().group(g).readEncoded("test", digest, 0) != null ? 1 : 0;
        }
        return n;
    }

    private static void awaitStored(TestCluster cluster, String set, int count, int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (int i = 0; i < 3; i++) {
            while (stored(cluster, i, set, count) != expected) {
                assertTrue(System.nanoTime() < deadline, "node " + i + " holds " + stored(cluster, i, set, count)
                        + " records of set " + set + ", expected " + expected);
                Thread.sleep(100);
            }
        }
    }

    @Test
    void truncatesASetASetBeforeATimeAndANamespaceOnEveryReplicaDurably() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3, 3, GROUPS);
             PartitaClient client = PartitaClient.connect(cluster.clientAddresses().toArray(String[]::new))) {
            write(client, "a", 200);
            write(client, "b", 150);
            write(client, "old", 100);
            Thread.sleep(100);
            Instant cutoff = Instant.now();
            Thread.sleep(100);
            for (int i = 100; i < 180; i++) {
                client.put(new Key("test", "old", "k" + i), Map.of("v", (long) i));
            }

            assertEquals(200, client.truncate(null, "test", "a", null));
            assertEquals(0, present(client, "a", 200));
            assertEquals(150, present(client, "b", 150), "another set is untouched");
            awaitStored(cluster, "a", 200, 0);

            assertEquals(100, client.truncate(null, "test", "old", cutoff));
            assertEquals(80, present(client, "old", 180), "records written after the cutoff stay");
            assertNull(client.get(new Key("test", "old", "k5")));
            assertNotNull(client.get(new Key("test", "old", "k150")));

            cluster.stop(1);
            cluster.restart(1);
            assertTrue(cluster.node(1).awaitReady(Duration.ofSeconds(60)));
            awaitStored(cluster, "a", 200, 0);
            awaitStored(cluster, "b", 150, 150);

            PartitaException future = assertThrows(PartitaException.class, () -> client.truncate(null, "test", "b",
                    Instant.now().plusSeconds(3600)));
            assertEquals(ResultCode.PARAMETER_ERROR, future.resultCode());
            assertEquals(ResultCode.NAMESPACE_NOT_FOUND, assertThrows(PartitaException.class,
                    () -> client.truncate(null, "nope", null, null)).resultCode());

            assertEquals(150 + 80, client.truncate(null, "test", null, null));
            assertEquals(0, present(client, "b", 150) + present(client, "old", 180));
            client.put(new Key("test", "b", "after"), Map.of("v", 1L));
            assertNotNull(client.get(new Key("test", "b", "after")), "writes after a truncate are kept");
        }
    }
}
