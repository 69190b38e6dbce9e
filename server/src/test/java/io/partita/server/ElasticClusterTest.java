package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.PartitaException;
import io.partita.client.Record;
import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.AddNodeRequest;
import io.partita.protocol.v1.AddNodeResponse;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.DecommissionNodeRequest;
import io.partita.protocol.v1.DecommissionNodeResponse;
import io.partita.protocol.v1.PlanGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running cluster grows from 3 to 5 nodes and shrinks back to 3 while a client writes: replicas move onto the new
 * nodes and off the decommissioned ones through the rebalancer, every acknowledged write stays readable, every group
 * ends with its replication factor on distinct nodes with identical bytes, and a decommission that would leave a
 * group short of replicas is refused.
 */
class ElasticClusterTest {
    static final int GROUPS = 6;
    static final Duration SETTLE = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void growsFromThreeToFiveAndShrinksBackWhileClientsWrite() throws Exception {
        try (TestCluster cluster = TestCluster.startFirst(dir, 5, 3, 3, GROUPS);
             PartitaClient client = PartitaClient.connect(cluster.clientAddress(1), cluster.clientAddress(2))) {
            Writer writer = new Writer(client);
            Thread writing = new Thread(writer, "elastic-writer");
            writing.start();
            try {
                cluster.restart(3);
                cluster.restart(4);
                for (int i = 3; i < 5; i++) {
                    String address = cluster.clientAddress(i);
                    AddNodeResponse added = admin(cluster, 0, a -> a.addNode(AddNodeRequest.newBuilder()
                            .setAddress(address).build()));
                    assertEquals(ResultCode.OK.code(), added.getStatus().getCode(), added.getStatus().getMessage());
                }
                awaitPlan(cluster, p -> settled(p) && imbalance(p, 5) == null);
                awaitHostingAsPlanned(cluster, 5);

                // n1 is a member of the metadata group too: its seat moves to a node that stays.
                for (String leaving : new String[] {"n1", "n5"}) {
                    DecommissionNodeResponse r = admin(cluster, 1, a -> a.decommissionNode(
                            DecommissionNodeRequest.newBuilder().setNodeId(leaving).build()));
                    assertEquals(ResultCode.OK.code(), r.getStatus().getCode(), r.getStatus().getMessage());
                }
                awaitPlan(cluster, p -> settled(p) && imbalance(p, 3) == null);
                awaitHostingAsPlanned(cluster, 5);

                ClusterPlan shrunk = plan(cluster);
                assertEquals(List.of("n2", "n3", "n4"), shrunk.getNodesList().stream().map(n -> n.getNodeId())
                        .sorted().toList());
                assertEquals(List.of("n2", "n3", "n4"), shrunk.getMetaNodeIdsList().stream().sorted().toList());
                assertFalse(cluster.node(0).raft().hosts(cluster.node(0).raft().layout().metaGroupId()),
                        "n1 left the metadata group");

                DecommissionNodeResponse unsafe = admin(cluster, 1, a -> a.decommissionNode(
                        DecommissionNodeRequest.newBuilder().setNodeId("n2").build()));
                assertEquals(ResultCode.PARAMETER_ERROR.code(), unsafe.getStatus().getCode());
                assertTrue(unsafe.getStatus().getMessage().contains("add a node first"),
                        unsafe.getStatus().getMessage());
            } finally {
                writer.stop.set(true);
                writing.join(TimeUnit.SECONDS.toMillis(30));
            }
            long completed = 0;
            for (int i = 0; i < 5; i++) {
                completed += cluster.node(i).metrics().registry().counter("partita.rebalance.moves_completed")
                        .getCount();
                assertEquals(0L, cluster.node(i).metrics().registry().getGauges()
                        .get("partita.rebalance.moves_in_progress").getValue(), "node " + i);
            }
            // Growing moves 6 of 18 replicas onto the new nodes; shrinking moves the 3 or more replicas n1 and n5 each
            // hold, and n1's metadata seat.
            assertTrue(completed >= 13, completed + " moves completed");
            assertTrue(writer.acknowledged.size() > 100, "writes went on: " + writer.acknowledged.size()
                    + " acknowledged, " + writer.failed.get() + " failed");
            for (Map.Entry<Integer, Long> e : writer.acknowledged.entrySet()) {
                Record r = client.get(key(e.getKey()));
                assertTrue(r != null, "acknowledged write of key " + e.getKey() + " is lost");
                assertEquals(e.getValue(), r.getLong("v"), "key " + e.getKey());
            }
        }
    }

    /** Writes keys 0, 1, 2, ... (each once, value = key) and remembers those acknowledged. */
    private static final class Writer implements Runnable {
        final PartitaClient client;
        final AtomicBoolean stop = new AtomicBoolean();
        final Map<Integer, Long> acknowledged = new ConcurrentHashMap<>();
        final AtomicInteger failed = new AtomicInteger();

        Writer(PartitaClient client) {
            this.client = client;
        }

        @Override
        public void run() {
            for (int k = 0; !stop.get(); k++) {
                try {
                    client.put(key(k), Map.of("v", (long) k));
                    acknowledged.put(k, (long) k);
                } catch (PartitaException e) {
                    failed.incrementAndGet(); // refused or in doubt: not counted as acknowledged
                }
            }
        }
    }

    private static Key key(int k) {
        return new Key("test", "elastic", "k" + k);
    }

    static boolean settled(ClusterPlan p) {
        if (!p.getMetaMove().getFromNodeId().isEmpty()) {
            return false;
        }
        for (PlanGroup g : p.getGroupsList()) {
            if (!g.getMove().getFromNodeId().isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** No node is the preferred leader of more than ceil(groups/nodes)+1 groups. */
    private static boolean spread(ClusterPlan p, int nodes) {
        Map<String, Integer> firsts = new HashMap<>();
        for (PlanGroup g : p.getGroupsList()) {
            firsts.merge(g.getReplicaNodeIds(0), 1, Integer::sum);
        }
        int limit = (GROUPS + nodes - 1) / nodes + 1;
        return firsts.values().stream().allMatch(c -> c <= limit);
    }

    /**
     * Null when every group has 3 replicas on distinct listed nodes, each node holds 3 * groups / nodes replicas
     * (rounded either way) and preferred leaders are spread; else what is off.
     */
    static String imbalance(ClusterPlan p, int nodes) {
        Map<String, Integer> load = new HashMap<>();
        p.getNodesList().forEach(n -> load.put(n.getNodeId(), 0));
        for (PlanGroup g : p.getGroupsList()) {
            if (g.getReplicaNodeIdsCount() != 3 || g.getReplicaNodeIdsList().stream().distinct().count() != 3) {
                return "group " + g.getGroup() + " has replicas " + g.getReplicaNodeIdsList();
            }
            for (String n : g.getReplicaNodeIdsList()) {
                if (!load.containsKey(n)) {
                    return "group " + g.getGroup() + " on unlisted node " + n;
                }
                load.merge(n, 1, Integer::sum);
            }
        }
        int floor = 3 * GROUPS / nodes;
        int ceil = (3 * GROUPS + nodes - 1) / nodes;
        if (load.size() != nodes || load.values().stream().anyMatch(l -> l < floor || l > ceil)) {
            return "replicas per node " + load;
        }
        return spread(p, nodes) ? null : "preferred leaders not spread: " + p.getGroupsList();
    }

    /** Waits until each running node hosts exactly the data groups the plan in force places on it. */
    static void awaitHostingAsPlanned(TestCluster cluster, int started) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        String difference;
        do {
            difference = null;
            ClusterPlan plan = plan(cluster);
            for (int i = 0; i < started && difference == null; i++) {
                Node node = cluster.node(i);
                String id = node.config().nodeId();
                for (int g = 0; g < GROUPS; g++) {
                    boolean planned = plan.getGroups(g).getReplicaNodeIdsList().contains(id);
                    boolean hosted = node.raft().hosts(node.raft().layout().raftGroupId(g));
                    if (planned != hosted) {
                        difference = id + (hosted ? " still hosts" : " does not host") + " group " + g
                                + " (plan version " + plan.getVersion() + ")";
                    }
                }
            }
            if (difference != null) {
                Thread.sleep(200);
            }
        } while (difference != null && System.nanoTime() < deadline);
        assertEquals(null, difference);
    }

    static ClusterPlan awaitPlan(TestCluster cluster, Predicate<ClusterPlan> done) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        ClusterPlan plan = null;
        while (System.nanoTime() < deadline) {
            plan = plan(cluster);
            if (done.test(plan)) {
                return plan;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the plan did not settle within " + SETTLE + ": "
                + (plan == null ? "no plan" : imbalance(plan, plan.getNodesCount()) + "; plan " + plan));
    }

    /** The plan in force as n2 holds it (a member of the metadata group throughout). */
    static ClusterPlan plan(TestCluster cluster) {
        return cluster.node(1).membership().plans().current().orElseThrow();
    }

    private static <T> T admin(TestCluster cluster, int node,
                               java.util.function.Function<AdminGrpc.AdminBlockingStub, T> call) {
        ManagedChannel ch = NettyChannelBuilder.forTarget(cluster.clientAddress(node)).usePlaintext().build();
        try {
            return call.apply(AdminGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS));
        } finally {
            ch.shutdownNow();
        }
    }
}
