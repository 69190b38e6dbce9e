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
import io.partita.protocol.v1.NodeStatusResponse;
import io.partita.protocol.v1.PlanGroup;
import io.partita.protocol.v1.RebalanceProgress;
import io.partita.protocol.v1.SnapshotTransferStatus;
import io.partita.server.metrics.MetricDocs;
import io.partita.server.metrics.PrometheusText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What operators see of a rebalance with data to copy: a fourth node joins a three-node cluster whose leaders have
 * purged their logs, so each replica moved onto it arrives by snapshot transfer. While the moves run, the new node
 * reports the bytes it has received for them and the driver counts the rebalance; afterwards the counts add up: the
 * moves the driver counted are the ones completed and the replicas the new node holds, and the bytes the new node
 * received for moves are bytes the others sent. Every metric served is documented.
 */
class MoveProgressTest {
    private static final int GROUPS = 3;
    /** About 1 MiB per group: a copy of a second or more at 1 MiB/s, long enough to be seen under way. */
    private static final int RECORDS = 1_600;

    @TempDir
    Path dir;

    @Test
    void aRebalanceReportsBytesCopiedAndItsCountsAddUp() throws Exception {
        try (TestCluster cluster = TestCluster.startFirst(dir, 4, 3, 3, GROUPS,
                c -> MoveData.slowCopies(c, Duration.ofSeconds(60)));
             PartitaClient client = PartitaClient.connect(cluster.clientAddress(0), cluster.clientAddress(1))) {
            int written = MoveData.writeUntilSnapshotsNeeded(cluster, client, GROUPS, RECORDS,
                    Duration.ofSeconds(240));
            long completedBefore = MoveData.counterSum(cluster, "partita.rebalance.moves_completed");
            cluster.restart(3);
            String n4 = cluster.clientAddress(3);
            assertEquals(ResultCode.OK.code(), admin(cluster, a -> a.addNode(AddNodeRequest.newBuilder()
                    .setAddress(n4).build())).getStatus().getCode());

            // While the moves run: n4 reports the bytes it receives, the driver its count (9 replicas on 4 nodes:
            // n4 takes 2).
            long seenBytes = 0;
            RebalanceProgress seenActive = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            ClusterPlan plan;
            while (true) {
                for (SnapshotTransferStatus t : MoveData.status(n4).getTransfersList()) {
                    if (!t.getSending() && t.getForMove()) {
                        seenBytes = Math.max(seenBytes, t.getBytes());
                    }
                }
                NodeStatusResponse driver = driverStatus(cluster);
                if (driver != null && driver.getRebalance().getActive()) {
                    seenActive = driver.getRebalance();
                    RebalanceProgress r = seenActive;
                    assertEquals(2, r.getMovesCompleted() + r.getMovesInProgress() + r.getMovesToPlan(), r.toString());
                }
                plan = cluster.node(0).membership().plans().current().orElseThrow();
                if (settled(plan) && replicasOn(plan, "n4") == 2) {
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "the rebalance did not finish: " + plan);
                Thread.sleep(20);
            }
            assertTrue(seenBytes > 0, "n4 never reported bytes received for a move");
            assertTrue(seenActive != null, "the driver never reported the rebalance under way");

            // Afterwards: the driver's count, its counters, the plan and the bytes agree.
            NodeStatusResponse driver = awaitDriverIdle(cluster, Duration.ofSeconds(30));
            RebalanceProgress done = driver.getRebalance();
            assertFalse(done.getResumed(), done.toString());
            assertEquals(2, done.getMovesCompleted(), done.toString());
            assertEquals(0, done.getMovesInProgress() + done.getMovesToPlan() + done.getMovesTakenBack(),
                    done.toString());
            assertEquals(done.getMovesCompleted(), replicasOn(plan, "n4"));
            assertEquals(done.getMovesCompleted(),
                    MoveData.counterSum(cluster, "partita.rebalance.moves_completed") - completedBefore);
            assertEquals(0, MoveData.counterSum(cluster, "partita.rebalance.moves_taken_back"));

            NodeStatusResponse n4Status = MoveData.status(n4);
            assertTrue(n4Status.getMoveBytesReceived() >= seenBytes, n4Status.toString());
            assertEquals(n4Status.getSnapshotBytesReceived(), n4Status.getMoveBytesReceived(),
                    "everything n4 fetched was for a move");
            long sent = 0;
            for (int i = 0; i < 3; i++) {
                sent += MoveData.status(cluster.clientAddress(i)).getSnapshotBytesSent();
            }
            assertTrue(sent >= n4Status.getMoveBytesReceived(), "sent " + sent + ", n4 received "
                    + n4Status.getMoveBytesReceived());
            assertEquals(0, n4Status.getTransfersCount(), "no transfer left under way");

            // The metrics say the same, and every family served is documented.
            PrometheusText m = PrometheusText.scrape(cluster.node(3).adminPort());
            assertEquals((double) n4Status.getMoveBytesReceived(),
                    m.value("partita_rebalance_move_bytes_received_total"), m::toString);
            assertEquals((double) n4Status.getSnapshotBytesReceived(),
                    m.sum("partita_snapshot_transfer_bytes_total"), "n4 sent none: every series is received bytes");
            assertTrue(m.value("partita_snapshot_transfer_bytes_total", "direction=received", "group="
                    + moved(plan).get(0)) > 0, m::toString);
            assertEquals(0.0, m.value("partita_snapshot_transfers_in_progress", "direction=received"));
            Set<String> documented = MetricDocs.documented();
            Set<String> undocumented = new TreeSet<>();
            for (int i = 0; i < 4; i++) {
                for (String name : PrometheusText.scrape(cluster.node(i).adminPort()).names()) {
                    if (name.startsWith("partita_") && !documented.contains(MetricDocs.family(name))) {
                        undocumented.add(name);
                    }
                }
            }
            assertEquals(Set.of(), undocumented, "served but not in docs/metrics.md");

            MoveData.assertReadable(client, written);
        }
    }

    /** The groups the plan places on n4. */
    private static java.util.List<Integer> moved(ClusterPlan plan) {
        return plan.getGroupsList().stream().filter(g -> g.getReplicaNodeIdsList().contains("n4"))
                .map(g -> (int) g.getGroup()).toList();
    }

    private static int replicasOn(ClusterPlan plan, String node) {
        return (int) plan.getGroupsList().stream().filter(g -> g.getReplicaNodeIdsList().contains(node)).count();
    }

    private static boolean settled(ClusterPlan p) {
        return p.getMetaMove().getFromNodeId().isEmpty()
                && p.getGroupsList().stream().map(PlanGroup::getMove).allMatch(m -> m.getFromNodeId().isEmpty());
    }

    /** The status of the node that reports a rebalance count (the metadata group's leader), or null. */
    private static NodeStatusResponse driverStatus(TestCluster cluster) {
        for (int i = 0; i < 3; i++) {
            NodeStatusResponse s = MoveData.status(cluster.clientAddress(i));
            if (s.hasRebalance()) {
                return s;
            }
        }
        return null;
    }

    private static NodeStatusResponse awaitDriverIdle(TestCluster cluster, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        NodeStatusResponse last = null;
        while (System.nanoTime() < deadline) {
            last = driverStatus(cluster);
            if (last != null && !last.getRebalance().getActive()) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the driver did not report the rebalance ended within " + timeout + ": " + last);
    }

    private static <T> T admin(TestCluster cluster, java.util.function.Function<AdminGrpc.AdminBlockingStub, T> call) {
        ManagedChannel ch = NettyChannelBuilder.forTarget(cluster.clientAddress(0)).usePlaintext().build();
        try {
            return call.apply(AdminGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS));
        } finally {
            ch.shutdownNow();
        }
    }
}
