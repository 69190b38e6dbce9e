package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.client.Key;
import io.partita.client.ListOperation;
import io.partita.client.ListOrder;
import io.partita.client.ListPolicy;
import io.partita.client.ListReturnType;
import io.partita.client.ListWriteFlags;
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
import io.partita.engine.record.StoredRecord;
import io.partita.engine.write.ExistsAction;
import io.partita.engine.write.RecordMutator;
import io.partita.engine.write.WriteOp;
import io.partita.engine.write.WriteOutcome;
import io.partita.protocol.BinValues;
import io.partita.protocol.KeyDigest;
import io.partita.protocol.OrderedList;
import io.partita.protocol.ResultCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A property test of operate(): random sequences of calls on a few keys through a 3-node cluster answer exactly as
 * the same sequence applied to an in-memory model (the engine's pure {@link RecordMutator} over a map), call by
 * call and record by record; afterwards every group's replicas hold identical bytes. The seed is printed in every
 * failure; {@code -Dpartita.operate.seed=N} replays one, {@code -Dpartita.operate.calls=N} runs longer.
 */
class OperatePropertyTest {
    private static final int KEYS = 8;

    @TempDir
    Path dir;

    @Test
    void randomOperateSequencesMatchTheModelAndReplicasAgree() throws Exception {
        long seed = Long.getLong("partita.operate.seed", System.nanoTime());
        int calls = Integer.getInteger("partita.operate.calls", 400);
        Random random = new Random(seed);
        String at = "seed " + seed + " (replay with -Dpartita.operate.seed=" + seed + ")";
        Map<Integer, StoredRecord> model = new HashMap<>();
        try (TestCluster cluster = TestCluster.start(dir, 3, 3, 6);
             PartitaClient client = PartitaClient.connect(cluster.clientAddresses().toArray(String[]::new))) {
            for (int call = 0; call < calls; call++) {
                int k = random.nextInt(KEYS);
                Key key = new Key("test", "prop", "k" + k);
                List<Operation> ops = randomOperations(random);
                ExistsAction action = random.nextInt(10) == 0 ? ExistsAction.UPDATE_ONLY : ExistsAction.CREATE_OR_UPDATE;
                String what = at + ", call " + call + " on k" + k + ": " + ops + " " + action;

                WriteOp op = WriteOp.operate("test", "prop", KeyDigest.compute("prop", "k" + k), action, 0, 0, false,
                        ops.stream().map(o -> io.partita.engine.operate.Operation.of(o.code(), o.bin(),
                                o.args().toArray())).toList(), 1 << 20);
                RecordMutator.Mutation expected = RecordMutator.mutate(model.get(k), op, 1L);
                WritePolicy policy = WritePolicy.builder().existsAction(action == ExistsAction.UPDATE_ONLY
                        ? RecordExistsAction.UPDATE_ONLY : RecordExistsAction.CREATE_OR_UPDATE).build();
                try {
                    OperateResult actual = client.operate(policy, key, ops.toArray(Operation[]::new));
                    assertEquals(ResultCode.OK, expected.outcome().code(), what);
                    assertTrue(BinValues.deepEquals(expected.outcome().operated().results(), actual.results()),
                            what + ": model " + expected.outcome().operated().results() + ", cluster "
                                    + actual.results());
                    assertEquals(expected.outcome().generation(), actual.generation(), what);
                } catch (PartitaException e) {
                    assertEquals(expected.outcome().code(), e.resultCode(), what + ": " + e.getMessage());
                }
                switch (expected.change()) {
                    case STORE -> model.put(k, expected.record());
                    case DELETE -> model.remove(k);
                    case NONE -> { }
                }
            }
            for (int k = 0; k < KEYS; k++) {
                Record r = client.get(new Key("test", "prop", "k" + k));
                StoredRecord m = model.get(k);
                assertEquals(m == null, r == null, at + ": k" + k + " exists");
                if (m != null) {
                    assertTrue(BinValues.deepEquals(m.bins(), r.bins()), at + ": k" + k + " model " + m.bins()
                            + ", cluster " + r.bins());
                    assertEquals(m.generation(), r.generation(), at + ": k" + k);
                    assertEquals(m.bins().get("l") instanceof OrderedList, r.bins().get("l") instanceof OrderedList,
                            at + ": k" + k + " list order");
                    assertEquals(m.bins().get("m") instanceof SortedMap, r.bins().get("m") instanceof SortedMap,
                            at + ": k" + k + " map order");
                }
            }
            awaitIdenticalReplicas(cluster, at);
        }
    }

    private static List<Operation> randomOperations(Random random) {
        int n = 1 + random.nextInt(4);
        List<Operation> ops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int index = random.nextInt(7) - 3;
            ops.add(switch (random.nextInt(22)) {
                case 0 -> Operation.add("n", random.nextInt(100) - 50);
                case 1 -> Operation.put("s", "v" + random.nextInt(10));
                case 2 -> Operation.append("s", "+");
                case 3 -> Operation.get("n");
                case 4 -> Operation.get();
                case 5 -> ListOperation.append("l", random.nextInt(5));
                case 6 -> ListOperation.insert("l", index, "i" + random.nextInt(3));
                case 7 -> ListOperation.removeByIndex("l", index, ListReturnType.VALUE);
                case 8 -> ListOperation.pop("l", index);
                case 9 -> ListOperation.getByRankRange("l", 0, 2, ListReturnType.VALUE);
                case 10 -> ListOperation.size("l");
                case 11 -> MapOperation.put("m", "k" + random.nextInt(4), random.nextInt(10));
                case 12 -> MapOperation.increment("m", "k" + random.nextInt(4), 1);
                case 13 -> MapOperation.removeByKey("m", "k" + random.nextInt(4), MapReturnType.VALUE);
                case 14 -> MapOperation.getByIndexRange("m", 0, MapReturnType.KEY_VALUE);
                case 15 -> ListOperation.sort("l", 0);
                case 16 -> Operation.delete();
                // Ordered containers: appends go to their place, inserts into an ordered list are refused.
                case 17 -> ListOperation.setOrder("l", random.nextBoolean() ? ListOrder.ORDERED : ListOrder.UNORDERED);
                case 18 -> MapOperation.setMapPolicy(new MapPolicy(random.nextBoolean() ? MapOrder.KEY_ORDERED
                        : MapOrder.UNORDERED, MapWriteFlags.DEFAULT), "m");
                case 19 -> ListOperation.increment(new ListPolicy(ListOrder.ORDERED, ListWriteFlags.DEFAULT), "l",
                        index, 1);
                case 20 -> MapOperation.put(new MapPolicy(MapOrder.KEY_ORDERED, MapWriteFlags.DEFAULT), "m",
                        "k" + random.nextInt(4), random.nextInt(10));
                default -> Operation.put("n", null);
            });
        }
        return ops;
    }

    private static void awaitIdenticalReplicas(TestCluster cluster, String at) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            String difference = null;
            for (int k = 0; k < KEYS && difference == null; k++) {
                byte[] digest = KeyDigest.compute("prop", "k" + k);
                int g = cluster.node(0).raft().layout().groupOf(KeyDigest.partitionId(digest));
                byte[] first = cluster.node(0).store().group(g).readEncoded("test", digest, 0);
                for (int i = 1; i < 3 && difference == null; i++) {
                    byte[] other = cluster.node(i).store().group(g).readEncoded("test", digest, 0);
                    if (!java.util.Arrays.equals(first, other)) {
                        difference = "k" + k + " on node " + i;
                    }
                }
            }
            if (difference == null) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, at + ": replicas differ: " + difference);
            Thread.sleep(100);
        }
    }
}
