package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.protocol.KeyDigest;
import io.partita.raft.statemachine.PartitaStateMachine;
import io.partita.server.config.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three in-process nodes, real Ratis and RocksDB: a follower stopped while the leaders write and purge their logs
 * past it comes back, installs the leaders' snapshots (fetched over the snapshot transfer rpc) and then holds
 * exactly the leaders' records.
 */
class SnapshotCatchUpTest {
    static final int GROUPS = 2;
    static final int KEYS = 400;

    @TempDir
    Path root;

    /** Snapshots every 100 entries and 1M log segments: a few MB of writes purge the logs. */
    static NodeConfig frequentSnapshots(NodeConfig c) {
        return c.withRaft(c.raft().withSnapshots(100, 64).withSegmentSize(1 << 20));
    }

    /**
     * As {@link #frequentSnapshots}, and one write per log entry (up to 256 by default): for tests that need a
     * follower many entries behind, which batched writes reach only after hundreds of {@link #writeRound}s.
     */
    static NodeConfig frequentSnapshotsOneWritePerEntry(NodeConfig c) {
        NodeConfig.RaftTuning r = frequentSnapshots(c).raft();
        return c.withRaft(new NodeConfig.RaftTuning(r.electionTimeoutMin(), r.electionTimeoutMax(), r.logSync(),
                r.segmentSize(), 1, r.batchMaxBytes(), r.snapshotEveryEntries(), r.snapshotTransferMbPerS()));
    }

    @Test
    void followerBehindThePurgedLogCatchesUpBySnapshot() throws Exception {
        try (TestCluster cluster = TestCluster.start(root, 3, 3, GROUPS, SnapshotCatchUpTest::frequentSnapshots);
             PartitaClient client = PartitaClient.connect(cluster.clientAddress(0))) {
            int lagging = 2;
            long[] stoppedAt = new long[GROUPS];
            for (int g = 0; g < GROUPS; g++) {
                stoppedAt[g] = cluster.node(lagging).raft().division(g).getRaftLog().getLastEntryTermIndex().getIndex();
            }
            cluster.stop(lagging);

            Random random = new Random(7);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            int rounds = 0;
            while (!purgedPast(cluster, stoppedAt)) {
                assertTrue(System.nanoTime() < deadline, "leaders did not purge their logs past the follower");
                writeRound(client, random, rounds++);
            }
            writeRound(client, random, rounds); // a log tail after the snapshot too

            Node follower = cluster.restart(lagging);
            awaitInstalls(follower, Duration.ofSeconds(60));
            assertTrue(follower.awaitReady(Duration.ofSeconds(60)), "restarted follower becomes ready");
            assertSameRecords(cluster, lagging, Duration.ofSeconds(60));
        }
    }

    /** Waits until every group of {@code node} has installed a snapshot from its leader. */
    static void awaitInstalls(Node node, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int g = 0; g < GROUPS; g++) {
            PartitaStateMachine sm = node.raft().stateMachine(g).orElseThrow();
            while (sm.installedSnapshots() == 0) {
                assertTrue(System.nanoTime() < deadline, "group " + g + " did not catch up by installing a snapshot");
                Thread.sleep(50);
            }
        }
    }

    static void writeRound(PartitaClient client, Random random, int round) {
        List<CompletableFuture<Integer>> writes = new ArrayList<>();
        for (int k = 0; k < KEYS; k++) {
            byte[] bytes = new byte[1500];
            random.nextBytes(bytes);
            writes.add(client.putAsync(new Key("test", "s", "k" + k),
                    Map.of("v", Base64.getEncoder().encodeToString(bytes), "round", (long) round)));
        }
        writes.forEach(CompletableFuture::join);
    }

    /** Whether every group's leader has purged its log beyond the given indexes. */
    static boolean purgedPast(TestCluster cluster, long[] indexes) throws Exception {
        for (int g = 0; g < indexes.length; g++) {
            Node leader = leaderOf(cluster, g);
            if (leader == null || leader.raft().division(g).getRaftLog().getStartIndex() <= indexes[g] + 1) {
                return false;
            }
        }
        return true;
    }

    static Node leaderOf(TestCluster cluster, int group) {
        for (int i = 0; i < cluster.size(); i++) {
            Node n = cluster.node(i);
            if (n != null && n.raft().isLeader(group)) {
                return n;
            }
        }
        return null;
    }

    /** Waits until node {@code i} holds byte-for-byte the records of each group's leader. */
    static void assertSameRecords(TestCluster cluster, int i, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String difference = difference(cluster, i);
            if (difference == null) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("node " + cluster.node(i).config().nodeId() + " differs: " + difference);
            }
            Thread.sleep(200);
        }
    }

    private static String difference(TestCluster cluster, int i) {
        Node node = cluster.node(i);
        for (int k = 0; k < KEYS; k++) {
            byte[] digest = KeyDigest.compute("s", "k" + k);
            int g = node.raft().layout().groupOf(KeyDigest.partitionId(digest));
            Node leader = leaderOf(cluster, g);
            if (leader == null) {
                return "group " + g + " has no leader";
            }
            byte[] expected = leader.store().group(g).readEncoded("test", digest, Long.MAX_VALUE - 1);
            byte[] actual = node.store().group(g).readEncoded("test", digest, Long.MAX_VALUE - 1);
            assertNotNull(expected, "leader holds k" + k);
            if (actual == null || !java.util.Arrays.equals(expected, actual)) {
                return "k" + k + " in group " + g;
            }
        }
        return null;
    }
}
