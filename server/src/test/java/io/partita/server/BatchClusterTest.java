package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.client.BatchRecord;
import io.partita.client.BatchResults;
import io.partita.client.ClientConfig;
import io.partita.client.Key;
import io.partita.client.Operation;
import io.partita.client.PartitaClient;
import io.partita.client.Policy;
import io.partita.client.Record;
import io.partita.client.WritePolicy;
import io.partita.protocol.ResultCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch calls on a 3-node cluster: answers in the caller's order with a code per key, missing keys that never fail
 * the batch, one network message per node, and a node that fails mid-batch failing or retrying only its own keys.
 */
class BatchClusterTest {
    private static final int GROUPS = 6;

    @TempDir
    Path dir;

    private static Key key(int i) {
        return new Key("test", "batch", "k" + i);
    }

    private static long counter(TestCluster cluster, String name) {
        long sum = 0;
        for (int i = 0; i < 3; i++) {
            Node node = cluster.node(i);
            if (node != null) {
                sum += node.metrics().registry().counter(name).getCount();
            }
        }
        return sum;
    }

    @Test
    void readsWritesAndMissingKeysComeBackInTheCallersOrderInOneMessagePerNode() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3, 3, GROUPS);
             PartitaClient client = PartitaClient.connect(ClientConfig.builder().seeds(cluster.clientAddresses())
                     .multiplex(true).build())) {
            int n = 5000;
            Key[] even = new Key[n / 2];
            for (int i = 0; i < n; i += 2) { // even keys exist, odd ones do not
                even[i / 2] = key(i);
            }
            BatchResults written = client.operate(null, even, Operation.put("s", "v"));
            assertTrue(written.allAnswered(), "the batch write of 2,500 keys");
            List<CompletableFuture<Integer>> puts = new ArrayList<>();
            for (int i = 0; i < n; i += 2) {
                puts.add(client.putAsync(key(i), Map.of("n", (long) i, "s", "v" + i)));
            }
            CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get();
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(7));
            Key[] keys = order.stream().map(BatchClusterTest::key).toArray(Key[]::new);

            long framesBefore = counter(cluster, "partita.multiplex.frames");
            long opsBefore = counter(cluster, "partita.multiplex.operations");
            Record[] records = client.get(null, keys);
            assertEquals(n, counter(cluster, "partita.multiplex.operations") - opsBefore);
            long frames = counter(cluster, "partita.multiplex.frames") - framesBefore;
            assertTrue(frames <= 3, "one message per node for 5,000 keys, got " + frames);
            for (int j = 0; j < keys.length; j++) {
                int i = order.get(j);
                if (i % 2 == 0) {
                    assertNotNull(records[j], "k" + i);
                    assertEquals((long) i, records[j].getLong("n"), "record " + j + " is k" + i);
                } else {
                    assertNull(records[j], "k" + i + " does not exist");
                }
            }

            Record[] selected = client.get(null, keys, "s");
            Record[] headers = client.getHeader(null, keys);
            boolean[] exists = client.exists(null, keys);
            for (int j = 0; j < keys.length; j++) {
                int i = order.get(j);
                assertEquals(i % 2 == 0, exists[j]);
                if (i % 2 == 0) {
                    assertEquals(Map.of("s", "v" + i), selected[j].bins());
                    assertEquals(Map.of(), headers[j].bins());
                    assertEquals(2, headers[j].generation());
                }
            }

            BatchResults operated = client.operate(null, keys, Operation.add("n", 1), Operation.get("n"));
            BatchResults deleted = client.delete(null, new Key[] {key(0), key(1), key(2)});
            for (int j = 0; j < keys.length; j++) {
                BatchRecord r = operated.records().get(j);
                assertEquals(keys[j], r.key());
                assertEquals(ResultCode.OK, r.resultCode(), r.toString());
                int i = order.get(j);
                assertEquals((long) (i % 2 == 0 ? i + 1 : 1), r.operateResult().result(1), "k" + i);
            }
            assertEquals(List.of(ResultCode.OK, ResultCode.OK, ResultCode.OK),
                    deleted.records().stream().map(BatchRecord::resultCode).toList(), "k1 exists after the operate");
            assertEquals(ResultCode.KEY_NOT_FOUND, client.delete(null, new Key[] {key(0)}).records().get(0)
                    .resultCode(), "a missing key is a key's outcome, not a failure");
            assertTrue(client.operate(null, new Key[] {key(0)}, Operation.get("n")).allAnswered());

            assertThrows(IllegalArgumentException.class, () -> client.get(null, new Key[5001]));
            assertThrows(IllegalArgumentException.class, () -> client.get(null, new Key[0]), "an empty batch");
            assertThrows(IllegalArgumentException.class, () -> client.delete(null, new Key[0]));
            assertThrows(IllegalArgumentException.class, () -> client.get(null, new Key[] {key(1), null}));
        }
    }

    @Test
    void aNodeLostMidBatchFailsOrRetriesOnlyItsOwnKeys() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3, 3, GROUPS);
             PartitaClient client = PartitaClient.connect(ClientConfig.builder().seeds(cluster.clientAddresses())
                     .multiplex(true).build())) {
            int n = 3000;
            Key[] keys = new Key[n];
            for (int i = 0; i < n; i++) {
                keys[i] = key(i);
            }
            WritePolicy write = WritePolicy.builder().timeoutMs(20_000).build();
            CompletableFuture<BatchResults> running = client.operateAsync(write, keys, Operation.add("n", 1));
            Thread.sleep(20);
            assertTrue(!running.isDone(), "the node is lost while the batch runs");
            cluster.stop(2);
            BatchResults results = running.get();
            int ok = 0;
            for (BatchRecord r : results.records()) {
                if (r.resultCode() == ResultCode.OK) {
                    ok++;
                } else {
                    assertTrue(r.inDoubt(), "a key that failed was in flight on the lost node: " + r);
                }
            }
            assertTrue(ok > 0, "keys led by the other nodes were applied");
            org.slf4j.LoggerFactory.getLogger(BatchClusterTest.class).info("{} of {} keys applied, {} in doubt", ok, n,
                    n - ok);

            Record[] after = client.get(Policy.builder().timeoutMs(20_000).build(), keys);
            for (int i = 0; i < n; i++) {
                BatchRecord r = results.records().get(i);
                Long value = after[i] == null ? null : after[i].getLong("n");
                if (r.resultCode() == ResultCode.OK) {
                    assertEquals(1L, value, "an acknowledged write is there: " + r);
                } else {
                    assertTrue(value == null || value == 1L, "an in-doubt write applied at most once: " + r);
                }
            }
        }
    }
}
