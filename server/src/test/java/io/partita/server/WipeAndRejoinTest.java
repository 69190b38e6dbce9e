package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.client.PartitaClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.server.RaftServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One node of three loses its whole data directory (plan, Raft logs, RocksDB) and is started again with the same
 * node id: it picks the plan up from a seed, rebuilds every group from its leader's snapshot and log, and ends
 * holding exactly the leaders' records, with every group back at three up-to-date copies.
 */
class WipeAndRejoinTest {
    @TempDir
    Path root;

    @Test
    void aNodeStartedWithAnEmptyDataDirectoryIsRebuiltFromItsPeers() throws Exception {
        try (TestCluster cluster = TestCluster.start(root, 3, 3, SnapshotCatchUpTest.GROUPS,
                SnapshotCatchUpTest::frequentSnapshots);
             PartitaClient client = PartitaClient.connect(cluster.clientAddress(0))) {
            Random random = new Random(11);
            for (int round = 0; round < 4; round++) {
                SnapshotCatchUpTest.writeRound(client, random, round);
            }
            int wiped = 1;
            Path dataDir = cluster.node(wiped).config().dataDir();
            cluster.stop(wiped);
            deleteRecursively(dataDir);
            SnapshotCatchUpTest.writeRound(client, random, 4); // writes while the node is gone

            Node node = cluster.restart(wiped);
            assertTrue(node.awaitReady(Duration.ofSeconds(90)), "the wiped node becomes ready");
            SnapshotCatchUpTest.assertSameRecords(cluster, wiped, Duration.ofSeconds(90));
            awaitFullReplication(cluster, cluster.node(wiped).config().nodeId(), SnapshotCatchUpTest.GROUPS,
                    Duration.ofSeconds(60));
        }
    }

    /** Waits until each group's leader sees {@code nodeId}'s replica at the leader's own commit index. */
    static void awaitFullReplication(TestCluster cluster, String nodeId, int groups, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int g = 0; g < groups; g++) {
            while (true) {
                Node leader = SnapshotCatchUpTest.leaderOf(cluster, g);
                if (leader != null && caughtUp(leader.raft().division(g), nodeId)) {
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "group " + g + " is not back to three up-to-date copies");
                Thread.sleep(100);
            }
        }
    }

    private static boolean caughtUp(RaftServer.Division leader, String nodeId) {
        long commit = leader.getRaftLog().getLastCommittedIndex();
        for (CommitInfoProto c : leader.getCommitInfos()) {
            if (c.getServer().getId().toStringUtf8().equals(nodeId)) {
                return c.getCommitIndex() >= commit;
            }
        }
        return false;
    }

    static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
