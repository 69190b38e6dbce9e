package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partita.client.ClientConfig;
import io.partita.client.PartitaClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three nodes as separate OS processes, replication factor 3, concurrent clients throughout, and a fixed script: a
 * follower is killed and restarted, a leader is killed with kill -9, a leader is paused (SIGSTOP) past the election
 * timeout and resumed, and finally every node is killed at once and restarted. Acknowledged writes must all be there,
 * writes reported as not applied must not be, and the recorded history must be linearizable.
 *
 * <p>Part of the {@code faults-long} profile only: the default suite's {@link SeededFaultsProcessTest} short run
 * kills followers and leaders (seeded), and ends with the same paused-leader stale-read check and the same
 * kill of every node at once ({@link FailoverChecks}).
 */
@EnabledIfSystemProperty(named = SeededFaultsProcessTest.LONG_PROPERTY, matches = "true")
class ClusterFaultsProcessTest {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterFaultsProcessTest.class);
    private static final int GROUPS = 16;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void acknowledgedWritesSurviveKillsAndPausesAndTheHistoryIsLinearizable() throws Exception {
        try (ProcessCluster cluster = ProcessCluster.start(dir, 3, 3, GROUPS);
             PartitaClient client = connect(cluster);
             PartitaClient second = connect(cluster);
             PartitaClient third = connect(cluster)) {
            int group = FailoverChecks.probeGroup(GROUPS);
            ClusterWorkload workload = new ClusterWorkload(List.of(client, second, third), 4, 4_000);
            workload.start(6);
            Thread.sleep(2_000);

            int leader = cluster.awaitLeader(group);
            int follower = (leader + 1) % 3;
            LOG.info("(a) kill -9 follower n{} of group {}", follower + 1, group);
            cluster.node(follower).kill9();
            Thread.sleep(3_000);
            cluster.restart(follower);
            Thread.sleep(2_000);

            leader = cluster.awaitLeader(group);
            LOG.info("(b) kill -9 leader n{} of group {}", leader + 1, group);
            cluster.node(leader).kill9();
            Thread.sleep(4_000);
            cluster.restart(leader);
            Thread.sleep(2_000);

            FailoverChecks.pausedLeaderNeverServesAStaleRead(cluster, client, GROUPS);
            workload.stopAndCheck(client);

            FailoverChecks.killEveryNodeAtOnceAndRestart(cluster);
            assertEquals(List.of(), workload.checkFreshWrites(client), "after every node was killed at once");
        }
    }

    private static PartitaClient connect(ProcessCluster cluster) {
        return PartitaClient.connect(ClientConfig.builder().seeds(cluster.clientAddresses()).build());
    }
}
