package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.partita.client.PartitaClient;
import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.AddNodeRequest;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.DecommissionNodeRequest;
import io.partita.protocol.v1.NodeStatusResponse;
import io.partita.protocol.v1.PlanGroup;
import io.partita.protocol.v1.SnapshotTransferStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node added to the cluster dies while a replica is copied onto it, and the operator decommissions it: the move
 * is taken back (the group keeps the replicas it had), the node leaves the plan, and no write is lost. Without
 * taking moves back, the rebalancer would wait for the dead target forever.
 *
 * <p>The target is stopped only once it reports (in its node status) a snapshot transfer under way for a move, so
 * the copy is cut mid-way: the leaders' logs are purged (the copy must be a snapshot), each group's snapshot holds a
 * few MiB of incompressible records and the transfer runs at 1 MiB/s, seconds in all. The test then checks that the
 * driver took the move back (its counter and its rebalance count), not merely that the plan ended without n4.
 */
class MoveRollbackTest {
    private static final int GROUPS = 3;
    /** About 2 KB stored each: 3 MiB or more per group, three seconds' copy at least. */
    private static final int RECORDS = 5_000;

    @TempDir
    Path dir;

    @Test
    void aMoveToANodeThatDiedAndIsDecommissionedIsTakenBack() throws Exception {
        try (TestCluster cluster = TestCluster.startFirst(dir, 4, 3, 3, GROUPS,
                c -> MoveData.slowCopies(c, Duration.ofSeconds(10)));
             PartitaClient client = PartitaClient.connect(cluster.clientAddress(0), cluster.clientAddress(1))) {
            int written = MoveData.writeUntilSnapshotsNeeded(cluster, client, GROUPS, RECORDS,
                    Duration.ofSeconds(240));
            cluster.restart(3);
            String n4 = cluster.clientAddress(3);
            assertEquals(ResultCode.OK.code(), admin(cluster, a -> a.addNode(AddNodeRequest.newBuilder()
                    .setAddress(n4).build())).getStatus().getCode());

            SnapshotTransferStatus cut = awaitCopyUnderWay(n4, Duration.ofSeconds(60));
            cluster.stop(3);
            assertTrue(cut.getBytes() > 0, cut.toString());

            assertEquals(ResultCode.OK.code(), admin(cluster, a -> a.decommissionNode(DecommissionNodeRequest
                    .newBuilder().setNodeId("n4").build())).getStatus().getCode());
            ClusterPlan settled = awaitPlan(cluster, p -> p.getNodesCount() == 3 && settled(p),
                    Duration.ofSeconds(120), "n4 out of the plan and no move left");
            for (PlanGroup g : settled.getGroupsList()) {
                assertEquals(new TreeSet<>(List.of("n1", "n2", "n3")), new TreeSet<>(g.getReplicaNodeIdsList()),
                        "group " + g.getGroup());
            }

            // The take-back path ran: the move whose copy was cut never completed (n4 died before its copy
            // finished, and a completed move onto n4 and back off would leave the same replicas).
            long takenBack = MoveData.counterSum(cluster, "partita.rebalance.moves_taken_back");
            assertTrue(takenBack >= 1, "no move was taken back");
            NodeStatusResponse driver = awaitDriverIdle(cluster, Duration.ofSeconds(30));
            assertTrue(driver.getRebalance().getMovesTakenBack() >= 1, driver.getRebalance().toString());
            assertTrue(driver.getRebalance().getMovesCompleted() < 2,
                    "both moves onto n4 completed, so the cut copy was not the one taken back: "
                            + driver.getRebalance());
            assertFalse(settled.getNodesList().stream().anyMatch(n -> n.getNodeId().equals("n4")));

            MoveData.assertReadable(client, written);
        }
    }

    /** Polls the target's status until it reports receiving a snapshot for a move; that transfer. */
    private static SnapshotTransferStatus awaitCopyUnderWay(String target, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<SnapshotTransferStatus> copy = MoveData.status(target).getTransfersList().stream()
                    .filter(t -> !t.getSending() && t.getForMove() && t.getBytes() > 0).findFirst();
            if (copy.isPresent()) {
                return copy.get();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("n4 reported no snapshot copy under way within " + timeout);
    }

    /** The status of the node counting the rebalance, once it reports the rebalance ended. */
    private static NodeStatusResponse awaitDriverIdle(TestCluster cluster, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        NodeStatusResponse last = null;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 3; i++) {
                NodeStatusResponse s = MoveData.status(cluster.clientAddress(i));
                if (s.hasRebalance()) {
                    last = s;
                    if (!s.getRebalance().getActive()) {
                        return s;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no node reported the rebalance ended within " + timeout + ": " + last);
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
