package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.engine.time.Clock;
import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.InitClusterResponse;
import io.partita.raft.cluster.PlanFile;
import io.partita.server.config.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader lease is only safe if no follower's minimum election timeout is shorter than the leader's: the plan
 * fixes the timeouts at {@code cluster init} and a node that differs is refused, with real nodes.
 */
class ElectionTimeoutPlanTest {
    @TempDir
    Path dir;

    @Test
    void initRefusesNodesWithDifferentElectionTimeouts() throws Exception {
        List<NodeConfig> configs = new ArrayList<>(TestCluster.configs(dir, 2, 1, 2));
        NodeConfig n2 = configs.get(1);
        configs.set(1, n2.withRaft(n2.raft().withElectionTimeouts(Duration.ofMillis(150),
                TestCluster.ELECTION_MAX)));
        List<Node> nodes = new ArrayList<>();
        try {
            for (NodeConfig c : configs) {
                nodes.add(Node.start(c, Clock.SYSTEM));
            }
            InitClusterResponse r = TestCluster.init(TestCluster.clientAddresses(configs).get(0),
                    TestCluster.clientAddresses(configs));
            assertEquals(ResultCode.PARAMETER_ERROR.code(), r.getStatus().getCode(), r.toString());
            assertTrue(r.getStatus().getMessage().contains("raft.election-timeout-min")
                    && r.getStatus().getMessage().contains("150ms"), r.getStatus().getMessage());
            assertFalse(nodes.get(0).membership().plans().current().isPresent(), "no plan was pushed");
        } finally {
            nodes.forEach(Node::close);
        }
    }

    @Test
    void aNodeWhoseTimeoutsDifferFromThePlanIsRefusedAtStartUp() throws Exception {
        NodeConfig config = TestNodes.config(dir); // 300ms..600ms
        try (Node node = TestNodes.startReady(config, Clock.SYSTEM)) {
            ClusterPlan plan = node.membership().plans().current().orElseThrow();
            assertEquals(300, plan.getElectionTimeoutMinMs());
            assertEquals(600, plan.getElectionTimeoutMaxMs());
            assertTrue(leaseEnabled(node));
        }
        NodeConfig shorter = config.withRaft(config.raft().withElectionTimeouts(Duration.ofMillis(150),
                Duration.ofMillis(600)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Node.start(shorter, Clock.SYSTEM));
        assertTrue(e.getMessage().contains("set raft.election-timeout-min: 300ms"), e.getMessage());
        try (Node node = TestNodes.startReady(config, Clock.SYSTEM)) {
            assertTrue(leaseEnabled(node), "the matching config still starts");
        }
    }

    @Test
    void aPlanMadeBeforeTheTimeoutsWereFixedRunsWithoutTheLease() throws Exception {
        NodeConfig config = TestNodes.config(dir);
        try (Node node = TestNodes.startReady(config, Clock.SYSTEM)) {
            assertTrue(leaseEnabled(node));
        }
        PlanFile file = new PlanFile(config.dataDir());
        file.save(file.load().orElseThrow().toBuilder().clearElectionTimeoutMinMs().clearElectionTimeoutMaxMs().build());
        NodeConfig other = config.withRaft(config.raft().withElectionTimeouts(Duration.ofMillis(200),
                Duration.ofMillis(700)));
        try (Node node = TestNodes.startReady(other, Clock.SYSTEM)) {
            assertFalse(leaseEnabled(node), "its followers may use any timeouts: reads must confirm leadership");
        }
    }

    private static boolean leaseEnabled(Node node) throws Exception {
        return RaftServerConfigKeys.Read.leaderLeaseEnabled(node.raft().division(0).getRaftServer().getProperties());
    }
}
