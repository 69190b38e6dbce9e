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
import io.partita.protocol.v1.AddNodeResponse;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.DescribeNodeRequest;
import io.partita.protocol.v1.NodeStatusResponse;
import io.partita.protocol.v1.PlanGroup;
import io.partita.server.config.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the node driving a rebalance (the metadata group's leader) while a replica moves: after it restarts,
 * the plan is consistent, the rebalance finishes (on whichever node leads the metadata group then), every group
 * has its replication factor on distinct nodes, each node hosts exactly what the plan places on it, and every
 * acknowledged write is readable. Moves are slowed down (frequent snapshots, a 1 MB/s transfer) so that the kill
 * lands while one is copying.
 */
class RebalanceDriverKillProcessTest {
    private static final int GROUPS = 3;
    private static final int RECORDS = 6_000;
    private static final Duration SETTLE = Duration.ofSeconds(180);
    /** The writes and reads are not what is tested: they may wait out leader changes on a crowded machine. */
    private static final io.partita.client.WritePolicy PATIENT_WRITE = io.partita.client.WritePolicy.builder()
            .timeoutMs(30_000).maxRetries(100).build();
    private static final io.partita.client.Policy PATIENT_READ = io.partita.client.Policy.builder()
            .timeoutMs(30_000).maxRetries(100).build();

    @TempDir
    Path root;

    private static NodeConfig slowMoves(NodeConfig c) {
        return SnapshotCatchUpTest.frequentSnapshots(c).withRaft(c.raft().withSnapshots(100, 1)
                .withSegmentSize(1 << 20));
    }

    @Test
    void killingTheDriverMidMoveStillEndsInAConsistentBalancedPlan() throws Exception {
        try (ProcessCluster cluster = ProcessCluster.startFirst(root, 4, 3, 3, GROUPS,
                RebalanceDriverKillProcessTest::slowMoves);
             PartitaClient client = PartitaClient.connect(cluster.clientAddress(0), cluster.clientAddress(1))) {
            Map<Integer, String> acknowledged = new HashMap<>();
            String filler = "x".repeat(1_000);
            // 64 writes in flight at a time (one at a time took about a third of the test); each acknowledged one is
            // remembered (all must be).
            for (int from = 0; from < RECORDS; from += 64) {
                java.util.List<java.util.concurrent.CompletableFuture<Integer>> puts = new java.util.ArrayList<>();
                for (int k = from; k < Math.min(RECORDS, from + 64); k++) {
                    puts.add(client.putAsync(PATIENT_WRITE, key(k), Map.of("v", filler + k)));
                }
                for (int k = from; k < Math.min(RECORDS, from + 64); k++) {
                    puts.get(k - from).get(60, TimeUnit.SECONDS);
                    acknowledged.put(k, filler + k);
                }
            }

            cluster.launch(3, java.util.List.of());
            cluster.awaitListening(3, System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
            AddNodeResponse added = admin(cluster.clientAddress(0), a -> a.addNode(AddNodeRequest.newBuilder()
                    .setAddress(cluster.clientAddress(3)).build()));
            assertEquals(ResultCode.OK.code(), added.getStatus().getCode(), added.getStatus().getMessage());

            awaitPlan(cluster, RebalanceDriverKillProcessTest::moving, "a move in progress");
            int driver = metaLeader(cluster);
            assertTrue(driver >= 0, "a node leads the metadata group");
            assertEquals(137, cluster.node(driver).kill9(), "kill -9 of the driver n" + (driver + 1));
            // Not waiting for /ready: the restarted node may be catching up; the plan and the hosting below are
            // what must come right.
            cluster.launch(driver, java.util.List.of());
            cluster.awaitListening(driver, System.nanoTime() + TimeUnit.SECONDS.toNanos(60));

            ClusterPlan settled = awaitPlan(cluster, p -> !moving(p) && balanced(p), "a balanced plan");
            for (PlanGroup g : settled.getGroupsList()) {
                assertEquals(3, new TreeSet<>(g.getReplicaNodeIdsList()).size(), "group " + g.getGroup());
            }
            cluster.awaitHostingAsPlanned(settled, SETTLE);
            // Read back 64 at a time too.
            for (int from = 0; from < RECORDS; from += 64) {
                Map<Integer, java.util.concurrent.CompletableFuture<Record>> reads = new java.util.TreeMap<>();
                for (int k = from; k < Math.min(RECORDS, from + 64); k++) {
                    reads.put(k, client.getAsync(PATIENT_READ, key(k)));
                }
                for (Map.Entry<Integer, java.util.concurrent.CompletableFuture<Record>> e : reads.entrySet()) {
                    Record r = e.getValue().get(60, TimeUnit.SECONDS);
                    assertTrue(r != null, "acknowledged write of key " + e.getKey() + " is lost");
                    assertEquals(acknowledged.get(e.getKey()), r.getString("v"), "key " + e.getKey());
                }
            }
            assertEquals(RECORDS, acknowledged.size());
        }
    }

    private static Key key(int k) {
        return new Key("test", "moves", "k" + k);
    }

    private static boolean moving(ClusterPlan p) {
        return !p.getMetaMove().getFromNodeId().isEmpty()
                || p.getGroupsList().stream().anyMatch(g -> !g.getMove().getFromNodeId().isEmpty());
    }

    /** 4 nodes, 9 replicas: each node holds 2 or 3. */
    private static boolean balanced(ClusterPlan p) {
        Map<String, Integer> load = new HashMap<>();
        p.getNodesList().forEach(n -> load.put(n.getNodeId(), 0));
        p.getGroupsList().forEach(g -> g.getReplicaNodeIdsList().forEach(n -> load.merge(n, 1, Integer::sum)));
        return load.size() == 4 && load.values().stream().allMatch(l -> l == 2 || l == 3);
    }

    private static int metaLeader(ProcessCluster cluster) {
        for (int i = 0; i < 4; i++) {
            try {
                NodeStatusResponse s = cluster.status(i);
                if (s.hasMeta() && s.getMeta().getRole().equals("LEADER")) {
                    return i;
                }
            } catch (RuntimeException e) {
                // not up: ask the next
            }
        }
        return -1;
    }

    /** The newest plan any live node holds, waiting until it satisfies {@code done}. */
    private static ClusterPlan awaitPlan(ProcessCluster cluster, Predicate<ClusterPlan> done, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        ClusterPlan newest = null;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 4; i++) {
                try {
                    ClusterPlan p = admin(cluster.clientAddress(i),
                            a -> a.describeNode(DescribeNodeRequest.getDefaultInstance())).getPlan();
                    if (newest == null || p.getVersion() > newest.getVersion()) {
                        newest = p;
                    }
                } catch (RuntimeException e) {
                    // down or restarting
                }
            }
            if (newest != null && done.test(newest)) {
                return newest;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + what + " within " + SETTLE + "; newest plan: " + newest);
    }

    private static <T> T admin(String address, java.util.function.Function<AdminGrpc.AdminBlockingStub, T> call) {
        ManagedChannel ch = NettyChannelBuilder.forTarget(address).usePlaintext().build();
        try {
            return call.apply(AdminGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS));
        } finally {
            ch.shutdownNow();
        }
    }
}
