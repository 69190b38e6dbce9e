package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.protocol.ExportRefusal;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.ExportGroupChunk;
import io.partita.protocol.v1.ExportGroupRequest;
import io.partita.raft.statemachine.PartitaStateMachine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three in-process nodes, real Ratis and RocksDB, one group: a follower whose column family was cleared by a snapshot
 * install that never ingested (the state between {@code clear()} and the ingest, or after a failed ingest) refuses
 * ExportGroup with a typed status -- also once later entries were applied on top of the cleared family, which gives
 * it a real applied position over a partial group -- and a restart finishes the install from the local snapshot.
 */
class ExportRefusalClusterTest {
    private static final int GROUP = 0;

    @TempDir
    Path root;

    @Test
    void aReplicaClearedByAnUnfinishedInstallRefusesToExportUntilTheInstallIsRedone() throws Exception {
        try (TestCluster cluster = TestCluster.start(root, 3, 3, 1, SnapshotCatchUpTest::frequentSnapshots);
             PartitaClient client = PartitaClient.connect(cluster.clientAddress(0))) {
            for (int i = 0; i < 150; i++) { // one entry each: past the 100-entry snapshot threshold on every node
                client.put(new Key("test", "s", "k" + i), Map.of("v", (long) i));
            }
            int leader = leaderIndex(cluster);
            int follower = (leader + 1) % 3;
            PartitaStateMachine sm = cluster.node(follower).raft().stateMachine(GROUP).orElseThrow();
            awaitCaughtUp(cluster, leader, follower);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (sm.getLatestSnapshot() == null) {
                assertTrue(System.nanoTime() < deadline, "the follower took no snapshot of its own");
                Thread.sleep(50);
            }
            List<ExportGroupChunk> whole = export(cluster, follower);
            assertEquals(150, records(whole).size(), "a caught-up follower exports the whole group");

            // The first step of a snapshot install, whose ingest then never happens (failed, or the node crashed).
            cluster.node(follower).store().group(GROUP).clear();
            assertRefused(cluster, follower, ExportRefusal.BEING_REPLACED);

            // A later entry applied on top of the cleared family gives it a real applied position over one record.
            client.put(new Key("test", "s", "after-clear"), Map.of("v", -1L));
            awaitCaughtUp(cluster, leader, follower);
            assertRefused(cluster, follower, ExportRefusal.BEING_REPLACED);
            List<ExportGroupChunk> fromLeader = export(cluster, leader);
            assertEquals(151, records(fromLeader).size(), "the leader still exports the whole group");

            // A restart redoes the install from the follower's own latest snapshot, and Ratis replays the log after it.
            cluster.stop(follower);
            cluster.restart(follower);
            assertTrue(cluster.node(follower).awaitReady(Duration.ofSeconds(60)), "restarted follower is ready");
            awaitCaughtUp(cluster, leader, follower);
            List<ExportGroupChunk> redone = export(cluster, follower);
            assertEquals(records(fromLeader), records(redone), "after the redone install the follower holds the group");
        }
    }

    /**
     * A node restarted with an empty data directory hosts the group again before its leader has rebuilt it: from then
     * until it holds the group, every export from it is refused (or waits until its replica has caught up), and the
     * first one it serves is the whole group.
     */
    @Test
    void aWipedReplicaRefusesToExportUntilItHoldsTheGroup() throws Exception {
        try (TestCluster cluster = TestCluster.start(root, 3, 3, 1, SnapshotCatchUpTest::frequentSnapshots);
             PartitaClient client = PartitaClient.connect(cluster.clientAddress(0))) {
            List<java.util.concurrent.CompletableFuture<Integer>> writes = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                writes.add(client.putAsync(new Key("test", "s", "k" + i), Map.of("v", (long) i)));
            }
            writes.forEach(java.util.concurrent.CompletableFuture::join);
            int wiped = (leaderIndex(cluster) + 1) % 3;
            Path dataDir = cluster.node(wiped).config().dataDir();
            cluster.stop(wiped);
            try (var files = java.nio.file.Files.walk(dataDir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(p);
                }
            }
            cluster.restart(wiped);

            // Poll from the moment the node is back; no writes go on, so a whole export holds all 300 records.
            Map<String, Integer> refusals = new TreeMap<>();
            ManagedChannel ch = NettyChannelBuilder.forTarget(cluster.clientAddress(wiped)).usePlaintext()
                    .maxInboundMessageSize(8 << 20).build();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (true) {
                    assertTrue(System.nanoTime() < deadline, "the wiped node never exported the group; refusals: "
                            + refusals);
                    List<ExportGroupChunk> chunks;
                    try {
                        chunks = export(ch);
                    } catch (StatusRuntimeException e) {
                        refusals.merge(ExportRefusal.reasonOf(e).orElse(e.getStatus().getCode().name()), 1,
                                Integer::sum);
                        Thread.sleep(20);
                        continue;
                    }
                    assertEquals(300, records(chunks).size(), "the wiped node exported a partial group at index "
                            + chunks.get(0).getAppliedIndex() + " (refusals before: " + refusals + ")");
                    break;
                }
            } finally {
                ch.shutdownNow();
            }
            // The polls began before the node held the group (it refused at least once: not hosting it yet, or
            // hosting it while being rebuilt), so the whole export above was not merely one served after the fact.
            // Which refusals a run sees depends on timing: while its replica is a few entries behind, an export
            // waits for it to apply (GroupExporter.APPLY_WAIT) instead of refusing, and a wiped node is caught up
            // within about a second of hosting the group.
            assertFalse(refusals.isEmpty(), "the first export already found the node rebuilt; refusals: " + refusals);
        }
    }

    private static void assertRefused(TestCluster cluster, int node, ExportRefusal reason) {
        try {
            List<ExportGroupChunk> chunks = export(cluster, node);
            fail("node " + node + " exported an empty or partial group as a success: " + records(chunks).size()
                    + " records at index " + chunks.get(0).getAppliedIndex());
        } catch (StatusRuntimeException e) {
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
            assertEquals(reason.name(), ExportRefusal.reasonOf(e).orElse(null), e.toString());
            assertTrue(e.getStatus().getDescription().contains("another replica"), e.toString());
        }
    }

    private static int leaderIndex(TestCluster cluster) {
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.node(i).raft().isLeader(GROUP)) {
                return i;
            }
        }
        throw new AssertionError("group " + GROUP + " has no leader");
    }

    /** Waits until the follower has applied everything the leader committed. */
    private static void awaitCaughtUp(TestCluster cluster, int leader, int follower) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            long committed = cluster.node(leader).raft().division(GROUP).getRaftLog().getLastCommittedIndex();
            long applied = cluster.node(follower).raft().division(GROUP).getInfo().getLastAppliedIndex();
            if (applied >= committed) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "follower applied " + applied + " of " + committed);
            Thread.sleep(50);
        }
    }

    private static List<ExportGroupChunk> export(TestCluster cluster, int node) {
        ManagedChannel ch = NettyChannelBuilder.forTarget(cluster.clientAddress(node)).usePlaintext()
                .maxInboundMessageSize(8 << 20).build();
        try {
            return export(ch);
        } finally {
            ch.shutdownNow();
        }
    }

    private static List<ExportGroupChunk> export(ManagedChannel ch) {
        List<ExportGroupChunk> chunks = new ArrayList<>();
        Iterator<ExportGroupChunk> it = AdminGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS)
                .exportGroup(ExportGroupRequest.newBuilder().setGroup(GROUP).build());
        it.forEachRemaining(chunks::add);
        return chunks;
    }

    /** The exported records as sorted "namespace digest record" lines. */
    private static TreeSet<String> records(List<ExportGroupChunk> chunks) {
        assertNotNull(chunks.get(0));
        assertTrue(chunks.get(chunks.size() - 1).getDone(), "the stream ends with done");
        TreeSet<String> out = new TreeSet<>();
        for (ExportGroupChunk c : chunks) {
            c.getRecordsList().forEach(r -> out.add(r.getNamespace() + " " + HexFormat.of().formatHex(
                    r.getDigest().toByteArray()) + " " + HexFormat.of().formatHex(r.getRecord().toByteArray())));
        }
        return out;
    }
}
