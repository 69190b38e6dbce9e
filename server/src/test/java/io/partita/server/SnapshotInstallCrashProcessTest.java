package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.Record;
import io.partita.engine.record.StoredRecord;
import io.partita.engine.storage.NodeStore;
import io.partita.engine.storage.StorageOptions;
import io.partita.protocol.KeyDigest;
import io.partita.protocol.v1.GroupStatus;
import io.partita.raft.snapshot.CrashPoints;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes as OS processes. A follower that fell behind the purged log is restarted with a crash point and dies
 * in the middle of installing the snapshot (after clearing its column family, before ingesting); restarted without
 * it, it finishes the install from the snapshot it kept and ends holding every acknowledged write.
 */
class SnapshotInstallCrashProcessTest {
    private static final int GROUPS = SnapshotCatchUpTest.GROUPS;

    // Kept when the test fails: the nodes' logs (n1.log ...) are in it.
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path root;

    @Test
    void crashBetweenClearAndIngestRecoversOnRestart() throws Exception {
        try (ProcessCluster cluster = ProcessCluster.start(root, 3, 3, GROUPS,
                SnapshotCatchUpTest::frequentSnapshotsOneWritePerEntry);
             PartitaClient client = PartitaClient.connect(cluster.clientAddresses().toArray(String[]::new))) {
            int lagging = 2;
            for (int g = 0; g < GROUPS; g++) {
                assertNotEquals(lagging, cluster.leaderOf(g), "the lagging node must be a follower");
            }
            long[] stoppedAt = new long[GROUPS];
            for (GroupStatus s : cluster.status(lagging).getGroupsList()) {
                stoppedAt[s.getGroup()] = s.getCommitIndex();
            }
            cluster.node(lagging).terminate();

            // Far enough past the follower that the leaders snapshot several times and purge what it needs (one write
            // per log entry: a few rounds, where batched writes took many).
            Random random = new Random(11);
            int round = 0;
            while (!committedPast(cluster, stoppedAt, 800)) {
                SnapshotCatchUpTest.writeRound(client, random, round++);
            }
            org.slf4j.LoggerFactory.getLogger(SnapshotInstallCrashProcessTest.class).info("{} rounds of writes", round);
            Map<Integer, Record> acknowledged = new HashMap<>();
            for (int k = 0; k < SnapshotCatchUpTest.KEYS; k++) {
                acknowledged.put(k, client.get(new Key("test", "s", "k" + k)));
            }

            NodeProcess crashing = cluster.launch(lagging,
                    List.of("-D" + CrashPoints.PROPERTY + "=" + CrashPoints.INSTALL_AFTER_CLEAR));
            assertEquals(137, crashing.awaitExit(Duration.ofSeconds(90)),
                    "the node halts at the crash point:\n" + crashing.logTail());

            cluster.restart(lagging);
            awaitApplied(cluster, lagging, Duration.ofSeconds(60));
            cluster.node(lagging).terminate();
            try (NodeStore store = NodeStore.open(cluster.config(lagging).dataDir().resolve("rocksdb"),
                    StorageOptions.defaults())) {
                for (int k = 0; k < SnapshotCatchUpTest.KEYS; k++) {
                    byte[] digest = KeyDigest.compute("s", "k" + k);
                    StoredRecord r = store.group(KeyDigest.partitionId(digest) % GROUPS)
                            .read("test", digest, System.currentTimeMillis());
                    assertNotNull(r, "k" + k + " on the recovered node");
                    assertEquals(acknowledged.get(k).generation(), r.generation(), "k" + k);
                    assertEquals(acknowledged.get(k).getString("v"), r.bins().get("v"), "k" + k);
                }
            }
        }
    }

    /** Whether every group's leader has committed {@code margin} entries beyond the given indexes. */
    private static boolean committedPast(ProcessCluster cluster, long[] indexes, long margin) {
        for (int g = 0; g < indexes.length; g++) {
            int leader = cluster.leaderOf(g);
            if (leader < 0 || commitIndex(cluster, leader, g) < indexes[g] + margin) {
                return false;
            }
        }
        return true;
    }

    private static long commitIndex(ProcessCluster cluster, int node, int group) {
        return cluster.status(node).getGroupsList().stream().filter(s -> s.getGroup() == group)
                .mapToLong(GroupStatus::getCommitIndex).findFirst().orElse(-1);
    }

    /** Waits until node {@code i} has applied every group up to its leader's commit index. */
    private static void awaitApplied(ProcessCluster cluster, int i, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int g = 0; g < GROUPS; g++) {
            while (true) {
                int leader = cluster.leaderOf(g);
                int group = g;
                long applied = cluster.status(i).getGroupsList().stream().filter(s -> s.getGroup() == group)
                        .mapToLong(GroupStatus::getAppliedIndex).findFirst().orElse(-1);
                if (leader >= 0 && applied >= commitIndex(cluster, leader, g)) {
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "group " + g + " not caught up on node " + i);
                Thread.sleep(200);
            }
        }
    }
}
