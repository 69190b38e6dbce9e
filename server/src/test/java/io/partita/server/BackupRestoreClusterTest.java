package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.partita.client.ImportPolicy;
import io.partita.client.ImportRecord;
import io.partita.client.ImportResult;
import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.PartitaException;
import io.partita.client.Record;
import io.partita.engine.record.RecordCodec;
import io.partita.engine.record.StoredRecord;
import io.partita.engine.storage.AppliedPosition;
import io.partita.engine.storage.GroupScan;
import io.partita.engine.storage.GroupStore;
import io.partita.engine.storage.NodeStore;
import io.partita.engine.storage.ScannedRecord;
import io.partita.engine.storage.StorageOptions;
import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.ExportGroupChunk;
import io.partita.protocol.v1.ExportGroupRequest;
import io.partita.protocol.v1.ExportedRecord;
import io.partita.raft.command.CommandCodec;
import io.partita.raft.command.WriteCommands;
import io.partita.raft.command.proto.CommandBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.server.raftlog.RaftLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export and import over a real 3-node in-process cluster (replication factor 3, 4 groups): consistency of an export
 * at its reported index under concurrent writes, filters, every import policy, routing across groups, and refusal
 * of corrupt records. The tests share one cluster and use disjoint sets.
 */
class BackupRestoreClusterTest {
    private static final int GROUPS = 4;

    @TempDir
    static Path root;
    private static TestCluster cluster;
    private static PartitaClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(root, 3, 3, GROUPS);
        client = PartitaClient.connect(cluster.clientAddress(0));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static int groupOf(Key key) {
        return cluster.node(0).raft().layout().groupOf(key.partitionId());
    }

    private static List<ExportGroupChunk> export(int node, ExportGroupRequest request) {
        ManagedChannel ch = NettyChannelBuilder.forTarget(cluster.clientAddress(node)).usePlaintext()
                .maxInboundMessageSize(8 << 20).build();
        try {
            List<ExportGroupChunk> chunks = new ArrayList<>();
            Iterator<ExportGroupChunk> it = AdminGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .exportGroup(request);
            it.forEachRemaining(chunks::add);
            return chunks;
        } finally {
            ch.shutdownNow();
        }
    }

    private static List<ExportedRecord> records(List<ExportGroupChunk> chunks) {
        ExportGroupChunk last = chunks.get(chunks.size() - 1);
        assertTrue(last.getDone(), "the stream ends with done");
        List<ExportedRecord> out = new ArrayList<>();
        chunks.forEach(c -> out.addAll(c.getRecordsList()));
        assertEquals(last.getTotalRecords(), out.size());
        return out;
    }

    private static String line(String namespace, byte[] digest, byte[] record) {
        return namespace + " " + HexFormat.of().formatHex(digest) + " " + HexFormat.of().formatHex(record);
    }

    /**
     * The group's records after applying its Raft log up to {@code index} into an empty store, the way the state
     * machine applies it: what an export at that index must contain, byte for byte.
     */
    private static Set<String> replayedState(int node, int group, long index, long nowMs) throws Exception {
        RaftLog log = cluster.node(node).raft().division(group).getRaftLog();
        Path dir = Files.createTempDirectory(root, "replay");
        Set<String> state = new TreeSet<>();
        try (NodeStore store = NodeStore.open(dir, StorageOptions.defaults())) {
            GroupStore replay = store.group(group);
            for (long i = 1; i <= index; i++) {
                LogEntryProto entry = log.get(i);
                if (entry == null || !entry.hasStateMachineLogEntry()) {
                    continue;
                }
                CommandBatch batch = CommandCodec.decode(entry.getStateMachineLogEntry().getLogData()
                        .asReadOnlyByteBuffer());
                replay.apply(new AppliedPosition(entry.getTerm(), i), batch.getTimestampMs(),
                        WriteCommands.toOps(batch.getCommandsList()));
            }
            try (GroupScan scan = replay.openSnapshotScan(nowMs, "", "")) {
                while (scan.hasNext()) {
                    ScannedRecord r = scan.next();
                    state.add(line(r.namespace(), r.digest(), r.encoded()));
                }
            }
        }
        return state;
    }

    @Test
    void anExportUnderConcurrentWritesIsExactlyTheStateAtItsIndex() throws Exception {
        int group = 1;
        List<Key> keys = new ArrayList<>();
        for (int i = 0; keys.size() < 50; i++) {
            Key k = new Key("test", "consistency", "k" + i);
            if (groupOf(k) == group) {
                keys.add(k);
            }
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong written = new AtomicLong();
        Semaphore inFlight = new Semaphore(16);
        Thread writer = new Thread(() -> {
            for (long n = 0; writing.get(); n++) {
                inFlight.acquireUninterruptibly();
                client.putAsync(keys.get((int) (n % keys.size())), Map.of("n", n))
                        .whenComplete((g, e) -> {
                            inFlight.release();
                            written.incrementAndGet();
                        });
            }
        }, "writer");
        writer.start();
        try {
            Set<Long> indexes = new HashSet<>();
            for (int round = 0; round < 6; round++) {
                Thread.sleep(150);
                int node = round % 3; // leader and followers alike
                long nowMs = System.currentTimeMillis();
                List<ExportGroupChunk> chunks = export(node, ExportGroupRequest.newBuilder().setGroup(group).build());
                ExportGroupChunk header = chunks.get(0);
                assertEquals(group, header.getGroup());
                assertEquals(cluster.node(node).config().nodeId(), header.getNodeId());
                Set<String> exported = new TreeSet<>();
                for (ExportedRecord r : records(chunks)) {
                    exported.add(line(r.getNamespace(), r.getDigest().toByteArray(), r.getRecord().toByteArray()));
                }
                assertEquals(replayedState(node, group, header.getAppliedIndex(), nowMs), exported,
                        "export from node " + node + " at index " + header.getAppliedIndex());
                indexes.add(header.getAppliedIndex());
            }
            assertTrue(indexes.size() > 1, "writes went on during the exports: " + indexes);
        } finally {
            writing.set(false);
            writer.join();
        }
        assertTrue(written.get() > 0);
    }

    @Test
    void exportFiltersByNamespaceAndSetAndSkipsExpiredRecords() throws Exception {
        int group = 2;
        Set<String> expected = new TreeSet<>();
        int live = 0;
        for (int i = 0; live < 20; i++) {
            Key users = new Key("test", "users-f", "u" + i);
            if (groupOf(users) == group) {
                client.put(users, Map.of("i", (long) i));
                expected.add(HexFormat.of().formatHex(users.digest()));
                live++;
            }
            Key other = new Key("test", "other-f", "o" + i);
            if (groupOf(other) == group) {
                client.put(other, Map.of("i", (long) i));
            }
            Key shortLived = new Key("test", "users-f", "gone" + i);
            if (groupOf(shortLived) == group && i < 10) {
                client.put(io.partita.client.WritePolicy.builder().ttlSeconds(1).build(), shortLived, Map.of("i", 1L));
            }
        }
        Thread.sleep(1100);
        List<ExportedRecord> users = records(export(0, ExportGroupRequest.newBuilder().setGroup(group)
                .setNamespace("test").setSet("users-f").build()));
        Set<String> got = new TreeSet<>();
        for (ExportedRecord r : users) {
            assertEquals("users-f", r.getSet());
            assertEquals("test", r.getNamespace());
            assertEquals("users-f", RecordCodec.decode(r.getRecord().toByteArray()).set());
            got.add(HexFormat.of().formatHex(r.getDigest().toByteArray()));
        }
        assertEquals(expected, got);
        assertTrue(records(export(1, ExportGroupRequest.newBuilder().setGroup(group).setNamespace("nope").build()))
                .isEmpty());
    }

    @Test
    void exportErrorsSayWhatToDo() {
        StatusRuntimeException bad = assertThrows(StatusRuntimeException.class,
                () -> export(0, ExportGroupRequest.newBuilder().setGroup(GROUPS).build()));
        assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
        assertTrue(bad.getStatus().getDescription().contains("groups 0.." + (GROUPS - 1)));
    }

    private static ImportRecord importRecord(Key key, StoredRecord record) {
        return new ImportRecord(key.namespace(), key.set(), key.digest(), RecordCodec.encode(record));
    }

    @Test
    void importRoutesRecordsOfEveryGroupAndKeepsThemExactly() {
        long now = System.currentTimeMillis();
        List<ImportRecord> records = new ArrayList<>();
        List<Key> keys = new ArrayList<>();
        Set<Integer> groups = new HashSet<>();
        for (int i = 0; i < 120; i++) {
            Key key = new Key("test", "restored", "r" + i);
            keys.add(key);
            groups.add(groupOf(key));
            records.add(importRecord(key, new StoredRecord("restored", 1000 + i, now + 3_600_000 + i,
                    now - 86_400_000 + i, Map.of("i", (long) i, "s", "v" + i))));
        }
        assertEquals(GROUPS, groups.size());
        assertEquals(new ImportResult(120, 0, 0, 0), client.importRecords(records, ImportPolicy.REPLACE));
        for (int i = 0; i < keys.size(); i++) {
            Record r = client.get(keys.get(i));
            assertEquals(1000 + i, r.generation());
            assertEquals(now + 3_600_000 + i, r.voidTimeMs());
            assertEquals(now - 86_400_000 + i, r.lastUpdateMs());
            assertEquals(Map.of("i", (long) i, "s", "v" + i), r.bins());
        }
        // Re-importing the same bytes changes nothing (what a re-send after an ambiguous outcome does).
        assertEquals(new ImportResult(120, 0, 0, 0), client.importRecords(records, ImportPolicy.REPLACE));
        assertEquals(1000, client.getHeader(keys.get(0)).generation());
    }

    @Test
    void importPoliciesDecidePerRecord() {
        long now = System.currentTimeMillis();
        Key existing = new Key("test", "policies", "existing");
        Key absent = new Key("test", "policies", "absent");
        Key expiredKey = new Key("test", "policies", "expired");
        client.put(existing, Map.of("live", 1L));
        client.put(existing, Map.of("live", 2L)); // generation 2
        StoredRecord older = new StoredRecord("policies", 2, 0, now - 5000, Map.of("backup", "old"));
        StoredRecord newer = new StoredRecord("policies", 3, 0, now - 5000, Map.of("backup", "new"));
        StoredRecord expired = new StoredRecord("policies", 7, now - 1, now - 5000, Map.of("backup", "x"));

        assertEquals(new ImportResult(1, 1, 0, 1), client.importRecords(List.of(importRecord(existing, older),
                importRecord(absent, older), importRecord(expiredKey, expired)), ImportPolicy.CREATE_ONLY));
        assertEquals(Map.of("live", 2L), client.get(existing).bins());
        assertEquals(Map.of("backup", "old"), client.get(absent).bins());
        assertNull(client.get(expiredKey));

        assertEquals(new ImportResult(0, 0, 1, 0),
                client.importRecords(List.of(importRecord(existing, older)), ImportPolicy.GENERATION));
        assertEquals(Map.of("live", 2L), client.get(existing).bins());
        assertEquals(new ImportResult(1, 0, 0, 0),
                client.importRecords(List.of(importRecord(existing, newer)), ImportPolicy.GENERATION));
        Record r = client.get(existing);
        assertEquals(3, r.generation());
        assertEquals(now - 5000, r.lastUpdateMs());
        assertEquals(Map.of("backup", "new"), r.bins());

        assertEquals(new ImportResult(1, 0, 0, 1), client.importRecords(List.of(importRecord(existing, older),
                importRecord(expiredKey, expired)), ImportPolicy.REPLACE));
        assertEquals(2, client.getHeader(existing).generation());
        assertNull(client.get(expiredKey));
    }

    @Test
    void aCorruptRecordRefusesTheWholeRequest() {
        long now = System.currentTimeMillis();
        Key good = null;
        Key bad = null;
        for (int i = 0; good == null || bad == null; i++) {
            Key k = new Key("test", "corrupt", "c" + i);
            if (groupOf(k) == 0) {
                if (good == null) {
                    good = k;
                } else {
                    bad = k;
                }
            }
        }
        byte[] corrupt = RecordCodec.encode(new StoredRecord("corrupt", 1, 0, now, Map.of("a", "x")));
        corrupt[corrupt.length - 2] = 0x7F; // the string's length now runs past the end
        List<ImportRecord> request = List.of(
                importRecord(good, new StoredRecord("corrupt", 1, 0, now, Map.of("a", 1L))),
                new ImportRecord("test", "corrupt", bad.digest(), corrupt));
        PartitaException e = assertThrows(PartitaException.class,
                () -> client.importRecords(request, ImportPolicy.REPLACE));
        assertEquals(ResultCode.PARAMETER_ERROR, e.resultCode());
        assertTrue(e.getMessage().contains("record 1"), e.getMessage());
        assertTrue(e.getMessage().contains("does not decode"), e.getMessage());
        assertFalse(e.inDoubt());
        assertNull(client.get(good));
        assertNull(client.get(bad));

        Key badKey = bad;
        PartitaException mismatch = assertThrows(PartitaException.class, () -> client.importRecords(List.of(
                new ImportRecord("test", "corrupt", badKey.digest(), RecordCodec.encode(
                        new StoredRecord("elsewhere", 1, 0, now, Map.of("a", 1L))))), ImportPolicy.REPLACE));
        assertEquals(ResultCode.PARAMETER_ERROR, mismatch.resultCode());
        assertNull(client.get(bad));
    }

    @Test
    void theClusterMapGivesEachGroupsReplicasLeaderAndAddresses() {
        ManagedChannel ch = NettyChannelBuilder.forTarget(cluster.clientAddress(0)).usePlaintext().build();
        try {
            io.partita.protocol.v1.ClusterMap map = io.partita.protocol.v1.PartitaGrpc.newBlockingStub(ch)
                    .getClusterMap(io.partita.protocol.v1.ClusterMapRequest.getDefaultInstance());
            assertEquals(3, map.getNodesCount());
            map.getNodesList().forEach(n -> assertFalse(n.getClientAddress().isEmpty()));
            for (io.partita.protocol.v1.GroupInfo g : map.getGroupsList()) {
                assertEquals(3, g.getReplicaNodeIdsCount());
                assertTrue(g.getReplicaNodeIdsList().contains(g.getLeaderNodeId()), g.toString());
            }
        } finally {
            ch.shutdownNow();
        }
    }
}
