package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.client.PartitaClient;
import io.partita.raft.group.RaftHost;
import io.partita.server.metrics.PrometheusText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admin {@code /ready} on three in-process nodes: a follower restarted after the leaders wrote and purged their logs
 * past it answers 503 while it catches up (no leader contact yet, then installing snapshots) and 200 once it has;
 * {@code /health} answers 200 throughout.
 */
class ReadinessTest {
    @TempDir
    Path root;

    @Test
    void restartedFollowerIsNotReadyUntilCaughtUp() throws Exception {
        try (TestCluster cluster = TestCluster.start(root, 3, 3, SnapshotCatchUpTest.GROUPS,
                SnapshotCatchUpTest::frequentSnapshotsOneWritePerEntry);
             PartitaClient client = PartitaClient.connect(cluster.clientAddress(0))) {
            int lagging = 2;
            assertEquals(200, PrometheusText.get(cluster.node(lagging).adminPort(), "/ready").statusCode());
            long[] stoppedAt = new long[SnapshotCatchUpTest.GROUPS];
            for (int g = 0; g < stoppedAt.length; g++) {
                stoppedAt[g] = cluster.node(lagging).raft().division(g).getRaftLog().getLastEntryTermIndex().getIndex();
            }
            cluster.stop(lagging);
            Random random = new Random(11);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            int rounds = 0;
            // One write per log entry (frequentSnapshotsOneWritePerEntry): about 12 rounds here, ~650 with batching.
            // Past the purged log, and far enough (more than CATCH_UP_LAG entries) that the follower, which may still
            // hold its old log and hear the leaders' commit index at once, counts as behind until it installs.
            while (!SnapshotCatchUpTest.purgedPast(cluster, stoppedAt) || !farBehind(cluster, stoppedAt)) {
                assertTrue(System.nanoTime() < deadline, "leaders did not purge their logs past the follower");
                SnapshotCatchUpTest.writeRound(client, random, rounds++);
            }
            SnapshotCatchUpTest.writeRound(client, random, rounds);
            org.slf4j.LoggerFactory.getLogger(ReadinessTest.class).info("{} rounds of writes", rounds + 1);

            Node follower = cluster.restart(lagging);
            int port = follower.adminPort();
            assertEquals(503, PrometheusText.get(port, "/ready").statusCode(), "ready right after the restart");
            assertEquals(200, PrometheusText.get(port, "/health").statusCode());
            long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (PrometheusText.get(port, "/ready").statusCode() != 200) {
                assertTrue(System.nanoTime() < until, "restarted follower never became ready");
                Thread.sleep(50);
            }
            // It caught up from the leaders' snapshots, which it had not installed when it first answered 503.
            for (int g = 0; g < SnapshotCatchUpTest.GROUPS; g++) {
                assertTrue(follower.raft().stateMachine(g).orElseThrow().installedSnapshots() > 0, "group " + g);
            }
            PrometheusText m = PrometheusText.scrape(port);
            assertTrue(m.value("partita_node_max_apply_lag") <= RaftHost.CATCH_UP_LAG);
            assertTrue(m.sum("partita_raft_snapshots_installed") >= SnapshotCatchUpTest.GROUPS, m::toString);
        }
    }

    /** Whether every group's leader has committed more than {@code CATCH_UP_LAG} entries past {@code indexes}. */
    private static boolean farBehind(TestCluster cluster, long[] indexes) throws Exception {
        for (int g = 0; g < indexes.length; g++) {
            long commit = SnapshotCatchUpTest.leaderOf(cluster, g).raft().division(g).getRaftLog()
                    .getLastCommittedIndex();
            if (commit - indexes[g] <= 2 * RaftHost.CATCH_UP_LAG) {
                return false;
            }
        }
        return true;
    }
}
