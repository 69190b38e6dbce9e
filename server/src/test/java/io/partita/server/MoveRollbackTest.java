package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.Record;
import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.AddNodeRequest;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.DecommissionNodeRequest;
import io.partita.protocol.v1.PlanGroup;
import io.partita.server.config.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node added to the cluster dies while a replica is copied onto it, and the operator decommissions it: the move
 * is taken back (the group keeps the replicas it had), the node leaves the plan, and no write is lost. Without
 * taking moves back, the rebalancer would wait for the dead target forever.
 */
class MoveRollbackTest {
    private static final int GROUPS = 3;
    private static final int RECORDS = 3_000;

    @TempDir
    Path dir;

    /** Slow copies (frequent snapshots, 1 MB/s) and a short move timeout, so the test sees a move in flight. */
    private static NodeConfig slowMoves(NodeConfig c) {
        return c.withRaft(c.raft().withSnapshots(100, 1).withSegmentSize(1 << 20))
                .withRebalance(new NodeConfig.Rebalance(2, Duration.ofSeconds(10)));
    }

    @Test
    void aMoveToANodeThatDiedAndIsDecommissionedIsTakenBack() throws Exception {
        try (TestCluster cluster = TestCluster.startFirst(dir, 4, 3, 3, GROUPS, MoveRollbackTest::slowMoves);
             PartitaClient client = PartitaClient.connect(cluster.clientAddress(0), cluster.clientAddress(1))) {
            String filler = "x".repeat(1_000);
            for (int k = 0; k < RECORDS; k++) {
                client.put(key(k), Map.of("v", filler + k));
            }
            cluster.restart(3);
            String n4 = cluster.clientAddress(3);
            assertEquals(ResultCode.OK.code(), admin(cluster, a -> a.addNode(AddNodeRequest.newBuilder()
                    .setAddress(n4).build())).getStatus().getCode());
            awaitPlan(cluster, p -> p.getGroupsList().stream().anyMatch(g -> g.getMove().getToNodeId()
                    .equals("n4")), Duration.ofSeconds(30), "a move onto n4");

            cluster.stop(3);
            assertEquals(ResultCode.OK.code(), admin(cluster, a -> a.decommissionNode(DecommissionNodeRequest
                    .newBuilder().setNodeId("n4").build())).getStatus().getCode());

            ClusterPlan settled = awaitPlan(cluster, p -> p.getNodesCount() == 3 && settled(p),
                    Duration.ofSeconds(120), "n4 out of the plan and no move left");
            for (PlanGroup g : settled.getGroupsList()) {
                assertEquals(new TreeSet<>(List.of("n1", "n2", "n3")), new TreeSet<>(g.getReplicaNodeIdsList()),
                        "group " + g.getGroup());
            }
            for (int k = 0; k < RECORDS; k++) {
                Record r = client.get(key(k));
                assertTrue(r != null && r.getString("v").equals(filler + k), "key " + k);
            }
        }
    }

    private static Key key(int k) {
        return new Key("test", "rollback", "k" + k);
    }

    private static boolean settled(ClusterPlan p) {
        return p.getMetaMove().getFromNodeId().isEmpty()
                && p.getGroupsList().stream().allMatch(g -> g.getMove().getFromNodeId().isEmpty());
    }

    private static ClusterPlan awaitPlan(TestCluster cluster, java.util.function.Predicate<ClusterPlan> done,
                                         Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ClusterPlan plan = null;
        while (System.nanoTime() < deadline) {
            plan = cluster.node(0).membership().plans().current().orElseThrow();
            if (done.test(plan)) {
                return plan;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no " + what + " within " + timeout + "; plan: " + plan);
    }

    private static <T> T admin(TestCluster cluster, Function<AdminGrpc.AdminBlockingStub, T> call) {
        ManagedChannel ch = NettyChannelBuilder.forTarget(cluster.clientAddress(0)).usePlaintext().build();
        try {
            return call.apply(AdminGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS));
        } finally {
            ch.shutdownNow();
        }
    }
}
