package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.PlanGroup;
import io.partita.raft.cluster.MetaStateMachine;
import io.partita.raft.group.RaftHost;
import io.partita.server.config.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterFormationTest {
    @TempDir
    Path dir;

    @Test
    void threeNodesFormOneClusterWithEveryGroupOnThreeNodesAndBalancedLeaders() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3, 3, 16)) {
            ClusterPlan plan = cluster.node(0).membership().plans().current().orElseThrow();
            for (int i = 1; i < 3; i++) {
                assertEquals(plan, cluster.node(i).membership().plans().current().orElseThrow(),
                        "every node holds the same plan");
            }
            assertEquals(16, plan.getGroupsCount());
            for (PlanGroup g : plan.getGroupsList()) {
                assertEquals(3, new HashSet<>(g.getReplicaNodeIdsList()).size(), "distinct replicas: " + g);
            }
            assertEquals(3, plan.getMetaNodeIdsCount());
            awaitPlanInMetaLog(cluster, plan.getVersion(), Duration.ofSeconds(60));
            int limit = (int) Math.ceil(16 / 3.0) + 1;
            awaitBalanced(cluster, limit, Duration.ofSeconds(30));

            // A node that returns takes its share of leaders back.
            cluster.stop(0);
            cluster.restart(0);
            cluster.awaitReady(Duration.ofSeconds(60));
            awaitBalanced(cluster, limit, Duration.ofSeconds(60));
            assertEquals(plan, cluster.node(0).membership().plans().current().orElseThrow(),
                    "a restarted node rejoins with the plan it had");
        }
    }

    @Test
    void groupCountAutoGivesEveryNodeTwoGroupsToLead() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3, 3, NodeConfig.RAFT_GROUPS_AUTO)) {
            ClusterPlan plan = cluster.node(0).membership().plans().current().orElseThrow();
            assertEquals(6, plan.getGroupCount());
            assertEquals(6, plan.getGroupsCount());
            assertEquals(6, cluster.node(1).raft().layout().groupCount());
            awaitBalanced(cluster, 6, 2, Duration.ofSeconds(30));
        }
    }

    /** Every node of the metadata group applies the plan from the metadata Raft log (not only from the push). */
    static void awaitPlanInMetaLog(TestCluster cluster, long version, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < cluster.size(); i++) {
            RaftHost host = cluster.node(i).raft();
            if (!host.hosts(host.layout().metaGroupId())) {
                continue; // not a member of the metadata group
            }
            MetaStateMachine meta = (MetaStateMachine) host.division(host.layout().metaGroupId()).getStateMachine();
            while (meta.lastLoggedVersion() < version) {
                assertTrue(System.nanoTime() < deadline, "node " + i + " has not applied plan version " + version
                        + " from the metadata log after " + timeout);
                Thread.sleep(50);
            }
        }
    }

    static void awaitBalanced(TestCluster cluster, int limit, Duration timeout) throws InterruptedException {
        awaitBalanced(cluster, 16, limit, timeout);
    }

    static void awaitBalanced(TestCluster cluster, int groups, int limit, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int[] counts;
        do {
            counts = cluster.leaderCounts();
            if (Arrays.stream(counts).sum() == groups && Arrays.stream(counts).max().orElse(0) <= limit) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        assertTrue(false, "leaders per node " + Arrays.toString(counts) + " after " + timeout
                + "; expected " + groups + " in all and at most " + limit + " per node");
    }
}
