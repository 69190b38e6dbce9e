package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.client.ClientConfig;
import io.partita.client.Key;
import io.partita.client.ListOperation;
import io.partita.client.ListOrder;
import io.partita.client.ListPolicy;
import io.partita.client.ListWriteFlags;
import io.partita.client.ListReturnType;
import io.partita.client.MapOperation;
import io.partita.client.MapOrder;
import io.partita.client.MapPolicy;
import io.partita.client.MapReturnType;
import io.partita.client.MapWriteFlags;
import io.partita.client.OperateResult;
import io.partita.client.Operation;
import io.partita.client.PartitaClient;
import io.partita.client.PartitaException;
import io.partita.client.Record;
import io.partita.client.RecordExistsAction;
import io.partita.client.WritePolicy;
import io.partita.protocol.KeyDigest;
import io.partita.protocol.OrderedList;
import io.partita.protocol.ResultCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * operate() end to end on a 3-node cluster (replication factor 3): results through the real client, on unary calls
 * and on the multiplexed stream; a failed call applies nothing; concurrent calls lose no update; and every replica
 * ends with the same bytes, since the state machine runs the operations from the log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperateClusterTest {
    private static final int GROUPS = 2;

    @TempDir
    static Path dir;

    private TestCluster cluster;
    private PartitaClient unary;
    private PartitaClient multiplexed;

    @BeforeAll
    void start() throws Exception {
        cluster = TestCluster.start(dir, 3, 3, GROUPS);
        unary = PartitaClient.connect(ClientConfig.builder().seeds(cluster.clientAddress(0)).multiplex(false).build());
        multiplexed = PartitaClient.connect(ClientConfig.builder().seeds(cluster.clientAddress(1)).multiplex(true)
                .build());
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {unary, multiplexed, cluster}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    private static Key key(String k) {
        return new Key("test", "op", k);
    }

    @Test
    void resultsComeBackInOrderOnBothPaths() {
        for (PartitaClient client : List.of(unary, multiplexed)) {
            Key key = key("order-" + (client == unary ? "u" : "m"));
            OperateResult r = client.operate(null, key,
                    Operation.put("name", "ada"),
                    Operation.add("visits", 1),
                    ListOperation.append("pages", "/home"),
                    ListOperation.append("pages", "/about"),
                    Operation.get("visits"),
                    ListOperation.getByIndex("pages", -1, ListReturnType.VALUE),
                    ListOperation.size("pages"));
            assertEquals(Arrays.asList(null, null, 1L, 2L, 1L, "/about", 2L), r.results());
            assertEquals(1, r.generation());
            assertEquals(1L, r.record().getLong("visits"));

            OperateResult read = client.operate(null, key, Operation.get(), Operation.getHeader());
            assertEquals(Map.of("name", "ada", "visits", 1L, "pages", List.of("/home", "/about")), read.result(0));
            assertEquals(1, read.generation(), "a read-only call does not write");
            assertEquals(List.of("/home", "/about"), client.get(key).getList("pages"));
        }
    }

    @Test
    void aFailedCallAppliesNothingAndSaysWhy() {
        Key key = key("fail");
        unary.put(key, Map.of("s", "text", "n", 1L));
        PartitaException e = assertThrows(PartitaException.class, () -> unary.operate(null, key,
                Operation.add("n", 1), ListOperation.append("s", "x")));
        assertEquals(ResultCode.BIN_TYPE_ERROR, e.resultCode());
        assertTrue(e.getMessage().contains("'s'"), e.getMessage());
        assertEquals(1L, unary.get(key).getLong("n"), "the add before the failing operation was not applied");
        assertEquals(1, unary.get(key).generation());

        PartitaException oob = assertThrows(PartitaException.class, () -> multiplexed.operate(null, key,
                ListOperation.append("l", 1), ListOperation.getByIndex("s", 0, ListReturnType.VALUE)));
        assertEquals(ResultCode.BIN_TYPE_ERROR, oob.resultCode());
        assertNull(unary.get(key).getList("l"), "the list append before the failing read was not applied");

        assertEquals(ResultCode.KEY_NOT_FOUND, assertThrows(PartitaException.class, () -> unary.operate(null,
                key("never-written"), Operation.get("a"))).resultCode());
        assertEquals(ResultCode.KEY_NOT_FOUND, assertThrows(PartitaException.class, () -> unary.operate(
                WritePolicy.builder().existsAction(RecordExistsAction.UPDATE_ONLY).build(), key("never-written"),
                Operation.add("a", 1))).resultCode());
        assertEquals(ResultCode.GENERATION_ERROR, assertThrows(PartitaException.class, () -> unary.operate(
                WritePolicy.builder().expectedGeneration(7).build(), key, Operation.add("n", 1))).resultCode());
    }

    @Test
    void concurrentCallsLoseNoUpdateAndReplicasStoreTheSameBytes() throws Exception {
        Key key = key("counter");
        int threads = 8;
        int callsEach = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                PartitaClient client = t % 2 == 0 ? unary : multiplexed;
                long tag = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < callsEach; i++) {
                        client.operate(null, key, Operation.add("n", 1), ListOperation.append("log", tag));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        OperateResult r = unary.operate(null, key, Operation.get("n"), ListOperation.size("log"),
                ListOperation.getByValue("log", 3L, ListReturnType.COUNT));
        assertEquals(Arrays.asList((long) threads * callsEach, (long) threads * callsEach, (long) callsEach),
                r.results());
        assertEquals(threads * callsEach, r.generation());
        List<Key> keys = new ArrayList<>(List.of(key));
        for (int i = 0; i < 20; i++) {
            Key k = key("replica-" + i);
            unary.operate(null, k, Operation.put("s", "v" + i), ListOperation.appendItems("l", List.of(i, "x", 1.5)),
                    ListOperation.insert("l", -1, List.of(i)), ListOperation.sort("l", 0), Operation.add("d", 0.5));
            keys.add(k);
        }
        awaitSameBytesOnEveryReplica(keys);
    }

    private void awaitSameBytesOnEveryReplica(List<Key> keys) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            String difference = null;
            for (Key k : keys) {
                byte[] digest = KeyDigest.compute(k.set(), k.userKey());
                int g = cluster.node(0).raft().layout().groupOf(KeyDigest.partitionId(digest));
                byte[] first = cluster.node(0).store().group(g).readEncoded("test", digest, 0);
                if (first == null) {
                    difference = k + " not yet on node 0";
                }
                for (int i = 1; i < 3 && difference == null; i++) {
                    if (!Arrays.equals(first, cluster.node(i).store().group(g).readEncoded("test", digest, 0))) {
                        difference = k + " on node " + i;
                    }
                }
            }
            if (difference == null) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "replicas differ: " + difference);
            Thread.sleep(100);
        }
    }

    @Test
    void mapOperationsKeepEntriesAndAnswerByKeyIndexAndRank() {
        Key key = key("scores");
        OperateResult r = multiplexed.operate(null, key,
                MapOperation.putItems("s", Map.of("carol", 5L, "alice", 9L)),
                MapOperation.put("s", "bob", 7L),
                MapOperation.increment("s", "carol", 10),
                MapOperation.getByKey("s", "bob", MapReturnType.VALUE),
                MapOperation.getByIndex("s", 0, MapReturnType.KEY),
                MapOperation.getByRankRange("s", -2, MapReturnType.KEY),
                MapOperation.removeByKeyRange("s", "b", "c", MapReturnType.COUNT),
                MapOperation.size("s"));
        assertEquals(Arrays.asList(2L, 3L, 15L, 7L, "alice", List.of("alice", "carol"), 1L, 2L), r.results());
        assertEquals(Map.of("alice", 9L, "carol", 15L), unary.get(key).getMap("s"));

        PartitaException exists = assertThrows(PartitaException.class, () -> unary.operate(null, key,
                MapOperation.put(new MapPolicy(MapWriteFlags.CREATE_ONLY), "s", "alice", 1L)));
        assertEquals(ResultCode.ELEMENT_EXISTS, exists.resultCode());
        assertEquals(ResultCode.ELEMENT_NOT_FOUND, assertThrows(PartitaException.class, () -> unary.operate(null,
                key, MapOperation.put(new MapPolicy(MapWriteFlags.UPDATE_ONLY), "s", "dave", 1L))).resultCode());
        assertEquals(ResultCode.OP_NOT_APPLICABLE, assertThrows(PartitaException.class, () -> unary.operate(null,
                key, MapOperation.getByIndex("s", 5, MapReturnType.KEY))).resultCode());
    }

    @Test
    void bytesAndDeleteThroughTheClient() {
        Key key = key("bytes");
        OperateResult r = multiplexed.operate(null, key, Operation.append("b", new byte[] {2}),
                Operation.prepend("b", new byte[] {1}), Operation.get("b"));
        assertArrayEquals(new byte[] {1, 2}, (byte[]) r.result(2));
        multiplexed.operate(null, key, Operation.delete());
        assertNull(multiplexed.get(key));
    }

    @Test
    void orderedListsAndKeyOrderedMapsStayOrderedOnEveryReplicaAndThroughAReadAndWriteBack() throws Exception {
        Key key = key("ordered");
        ListPolicy ordered = new ListPolicy(ListOrder.ORDERED, ListWriteFlags.DEFAULT);
        MapPolicy byKey = new MapPolicy(MapOrder.KEY_ORDERED, MapWriteFlags.DEFAULT);
        OperateResult r = multiplexed.operate(null, key,
                ListOperation.append(ordered, "l", 5),
                ListOperation.appendItems("l", List.of(9, 1, 3)),
                ListOperation.increment("l", 0, 10),               // 1 -> 11 moves to the end
                ListOperation.getByIndex("l", 0, ListReturnType.VALUE),
                MapOperation.put(byKey, "m", "c", 3L),
                MapOperation.putItems("m", Map.of("b", 2L, "a", 1L)),
                MapOperation.getByIndex("m", 0, MapReturnType.KEY));
        assertEquals(Arrays.asList(1L, 4L, 11L, 3L, 1L, 3L, "a"), r.results());
        assertEquals(ResultCode.OP_NOT_APPLICABLE, assertThrows(PartitaException.class,
                () -> unary.operate(null, key, ListOperation.insert("l", 0, 7))).resultCode());

        Record read = unary.get(key);
        assertInstanceOf(OrderedList.class, read.getList("l"));
        assertEquals(List.of(3L, 5L, 9L, 11L), read.getList("l"));
        assertInstanceOf(SortedMap.class, read.getMap("m"));
        assertEquals(List.of("a", "b", "c"), new ArrayList<>(read.getMap("m").keySet()));

        // Writing back what was read keeps the order attributes.
        Key copy = key("ordered-copy");
        unary.put(copy, read.bins());
        unary.operate(null, copy, ListOperation.append("l", 4), MapOperation.put("m", "aa", 0L));
        Record copied = multiplexed.get(copy);
        assertEquals(List.of(3L, 4L, 5L, 9L, 11L), copied.getList("l"));
        assertEquals(List.of("a", "aa", "b", "c"), new ArrayList<>(copied.getMap("m").keySet()));

        // Made unordered again, the list appends at the end.
        unary.operate(null, copy, ListOperation.setOrder("l", ListOrder.UNORDERED), ListOperation.append("l", 0));
        assertEquals(List.of(3L, 4L, 5L, 9L, 11L, 0L), unary.get(copy).getList("l"));

        awaitSameBytesOnEveryReplica(List.of(key, copy));
        byte[] digest = KeyDigest.compute(key.set(), key.userKey());
        int g = cluster.node(0).raft().layout().groupOf(KeyDigest.partitionId(digest));
        assertEquals(3, cluster.node(0).store().group(g).readEncoded("test", digest, 0)[0],
                "a record with ordered containers is stored in record format version 3");
    }
}
