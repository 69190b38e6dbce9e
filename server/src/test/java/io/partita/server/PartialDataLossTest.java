package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.client.PartitaClient;
import io.partita.protocol.KeyDigest;
import io.partita.raft.cluster.PlanFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A node that lost part of its data directory is handled like a wiped node: its replicas are re-admitted and rebuilt
 * from their groups, never served from what is left. Without the Raft directory a replica would vote with an empty
 * log (and its leader, still counting on what it had acknowledged, would never resend it); without RocksDB it
 * would apply the log after its snapshot onto an empty column family; without the plan it would not know it is a
 * member at all.
 */
class PartialDataLossTest {
    @TempDir
    Path root;

    @ParameterizedTest(name = "lost {0}")
    @ValueSource(strings = {"raft", "rocksdb", PlanFile.FILE_NAME})
    void aNodeMissingPartOfItsDataDirectoryIsRebuiltFromItsPeers(String lost) throws Exception {
        try (TestCluster cluster = TestCluster.start(root, 3, 3, SnapshotCatchUpTest.GROUPS,
                SnapshotCatchUpTest::frequentSnapshots);
             PartitaClient client = PartitaClient.connect(cluster.clientAddress(0))) {
            Random random = new Random(5);
            for (int round = 0; round < 3; round++) {
                SnapshotCatchUpTest.writeRound(client, random, round); // ~1,200 entries: past several snapshots
            }
            int damaged = 1;
            Path part = cluster.node(damaged).config().dataDir().resolve(lost);
            cluster.stop(damaged);
            if (Files.isDirectory(part)) {
                WipeAndRejoinTest.deleteRecursively(part);
            } else {
                Files.delete(part);
            }

            Node node = cluster.restart(damaged);
            assertTrue(node.awaitReady(Duration.ofSeconds(90)), "the damaged node becomes ready");
            WipeAndRejoinTest.awaitFullReplication(cluster, node.config().nodeId(), SnapshotCatchUpTest.GROUPS,
                    Duration.ofSeconds(60));
            awaitSameRecords(cluster, damaged, 0, Duration.ofSeconds(60));
        }
    }

    /** Waits until node {@code i} holds byte-for-byte what node {@code j} (never damaged) holds. */
    private static void awaitSameRecords(TestCluster cluster, int i, int j, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String difference = null;
            for (int k = 0; k < SnapshotCatchUpTest.KEYS && difference == null; k++) {
                byte[] digest = KeyDigest.compute("s", "k" + k);
                int g = cluster.node(j).raft().layout().groupOf(KeyDigest.partitionId(digest));
                byte[] expected = cluster.node(j).store().group(g).readEncoded("test", digest, Long.MAX_VALUE - 1);
                byte[] actual = cluster.node(i).store().group(g).readEncoded("test", digest, Long.MAX_VALUE - 1);
                if (expected == null || !Arrays.equals(expected, actual)) {
                    difference = "k" + k + " in group " + g;
                }
            }
            if (difference == null) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "the damaged node differs from an intact one: " + difference);
            Thread.sleep(200);
        }
    }
}
