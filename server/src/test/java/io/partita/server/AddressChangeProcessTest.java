package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.Record;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.DescribeNodeRequest;
import io.partita.protocol.v1.PlanNode;
import io.partita.server.config.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node is its id and its data, not its address: n3 is killed and started again with the same data on another
 * loopback address (127.0.0.3, as a pod rescheduled with a new IP). The plan comes to record the new address, and the cluster really uses it: with n1 then killed too, every group needs n3's vote and
 * copy to commit, and every acknowledged write, before and after the move, is read back.
 */
class AddressChangeProcessTest {
    private static final int GROUPS = 3;
    private static final String NEW_HOST = "127.0.0.3";
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    Path root;

    @Test
    void aNodeRestartedAtANewAddressRejoinsAndThePlanRecordsIt() throws Exception {
        try (ProcessCluster cluster = ProcessCluster.start(root, 3, 3, GROUPS)) {
            Map<Integer, String> acknowledged = new LinkedHashMap<>();
            try (PartitaClient client = PartitaClient.connect(cluster.clientAddress(0), cluster.clientAddress(1))) {
                write(client, acknowledged, 0, 300);
            }

            NodeConfig before = cluster.config(2);
            assertEquals(137, cluster.node(2).kill9());
            // Bound to the new address only: nothing answers at the old one any more.
            cluster.launchChanged(2, c -> c.withListen(new NodeConfig.Listen(NEW_HOST, c.listen().clientPort(),
                    c.listen().raftPort(), c.listen().adminPort())));
            cluster.awaitListening(2, System.nanoTime() + TimeUnit.SECONDS.toNanos(60));

            String raft = NEW_HOST + ":" + before.listen().raftPort();
            String clientAddress = NEW_HOST + ":" + before.listen().clientPort();
            ClusterPlan plan = awaitPlanOf(cluster, 0, p -> node(p, "n3").getRaftAddress().equals(raft)
                    && node(p, "n3").getClientAddress().equals(clientAddress));
            assertEquals(3, plan.getNodesCount(), "still the same three nodes: " + plan.getNodesList());
            cluster.node(2).awaitReady(PATIENCE);

            try (PartitaClient client = PartitaClient.connect(cluster.clientAddress(0), cluster.clientAddress(1))) {
                write(client, acknowledged, 300, 600);
            }
            // Now n2 and n3 alone are a majority of every group: nothing commits unless n2 reaches n3 where it runs.
            assertEquals(137, cluster.node(0).kill9());
            try (PartitaClient client = PartitaClient.connect(cluster.clientAddress(1), cluster.clientAddress(2))) {
                write(client, acknowledged, 600, 900);
                for (Map.Entry<Integer, String> e : acknowledged.entrySet()) {
                    Record r = client.get(key(e.getKey()));
                    assertNotNull(r, "acknowledged write of key " + e.getKey() + " is lost");
                    assertEquals(e.getValue(), r.getString("v"), "key " + e.getKey());
                }
            }
        }
    }

    private static void write(PartitaClient client, Map<Integer, String> acknowledged, int from, int to) {
        for (int k = from; k < to; k++) {
            client.put(key(k), Map.of("v", "value-" + k));
            acknowledged.put(k, "value-" + k);
        }
    }

    private static Key key(int k) {
        return new Key("test", "moved", "k" + k);
    }

    private static PlanNode node(ClusterPlan plan, String id) {
        return plan.getNodesList().stream().filter(n -> n.getNodeId().equals(id)).findFirst().orElseThrow();
    }

    /** Node i's plan once it satisfies {@code done}. */
    private static ClusterPlan awaitPlanOf(ProcessCluster cluster, int i,
                                           java.util.function.Predicate<ClusterPlan> done) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        ClusterPlan last = null;
        while (System.nanoTime() < deadline) {
            ManagedChannel ch = NettyChannelBuilder.forTarget(cluster.clientAddress(i)).usePlaintext().build();
            try {
                last = AdminGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .describeNode(DescribeNodeRequest.getDefaultInstance()).getPlan();
                if (done.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                // restarting: ask again
            } finally {
                ch.shutdownNow();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("node n" + (i + 1) + "'s plan never recorded the new address; last: " + last);
    }
}
