package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.partita.client.ClientConfig;
import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.Policy;
import io.partita.client.Record;
import io.partita.client.WritePolicy;
import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.AddNodeRequest;
import io.partita.protocol.v1.AddNodeResponse;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.DecommissionNodeRequest;
import io.partita.protocol.v1.DecommissionNodeResponse;
import io.partita.protocol.v1.DescribeNodeRequest;
import io.partita.protocol.v1.GroupStatus;
import io.partita.protocol.v1.PlanGroup;
import io.partita.protocol.v1.PlanNode;
import io.partita.raft.cluster.Rebalance;
import io.partita.server.config.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The elastic-cluster acceptance test with node processes: a cluster of three nodes on three racks (r1, r2, r3)
 * grows to five (n4 on r1, n5 on r2, each started with the others as seeds and added through the AddNode RPC, as
 * {@code partita node add} does) and shrinks back to three (n1, a member of the metadata group, and n5 decommissioned
 * through the DecommissionNode RPC, then stopped), while client threads write and read: puts, linearizable gets and
 * compare-and-set puts on a few shared keys (recorded for the linearizability checker), and writes of fresh keys.
 *
 * <p>Afterwards: every acknowledged write reads back with its value (the preloaded records, the fresh keys; a fresh
 * write in doubt may be absent or present with its value), a final read of every shared key is part of the recorded
 * history, which must be linearizable; every group has exactly three replicas on distinct nodes and distinct racks,
 * each node hosts exactly what the plan places on it, and no node leads more than ceil(groups/nodes)+1 groups.
 *
 * <p>The clients' choices come from a seed, printed with every failure; run again with
 * {@code -Dpartita.elastic.seed=SEED} to repeat their per-thread sequences.
 */
class ElasticProcessTest {
    private static final Logger LOG = LoggerFactory.getLogger(ElasticProcessTest.class);
    private static final int GROUPS = 6;
    private static final int RF = 3;
    private static final int PRELOADED = 2_000;
    private static final int LIN_KEYS = 6;
    private static final int THREADS = 6;
    /** Generous: a loaded 2-core machine runs five node JVMs and the test's own. */
    private static final Duration SETTLE = Duration.ofSeconds(150);
    private static final String NAMESPACE = "test";
    private static final String[] RACKS = {"r1", "r2", "r3", "r1", "r2"};

    @TempDir
    Path root;

    private static NodeConfig onRack(NodeConfig c) {
        return c.withRack(RACKS[Integer.parseInt(c.nodeId().substring(1)) - 1]);
    }

    @Test
    void growsFromThreeToFiveAndShrinksBackToThreeWithRacksWhileClientsWriteAndRead() throws Throwable {
        long seed = Long.getLong("partita.elastic.seed", new Random().nextLong());
        LOG.info("seed {} (repeat with -Dpartita.elastic.seed={})", seed, seed);
        try {
            run(seed);
        } catch (Throwable t) {
            AssertionError e = new AssertionError("seed " + seed + " (repeat with -Dpartita.elastic.seed=" + seed
                    + "): " + t, t);
            throw e;
        }
    }

    private void run(long seed) throws Exception {
        long start = System.nanoTime();
        try (ProcessCluster cluster = ProcessCluster.startFirst(root, 5, 3, RF, GROUPS, ElasticProcessTest::onRack)) {
            LOG.info("3 nodes ready in {} ms", (System.nanoTime() - start) / 1_000_000);
            try {
                exercise(cluster, seed, start);
            } catch (Exception | Error e) {
                // The nodes' logs go with the temporary directory: keep their last lines in the test's output.
                for (int i = 0; i < cluster.size(); i++) {
                    if (cluster.node(i) != null) {
                        LOG.error("last lines of n{}'s log:\n{}", i + 1, cluster.node(i).logTail());
                    }
                }
                throw e;
            }
        }
    }

    private void exercise(ProcessCluster cluster, long seed, long start) throws Exception {
        try (PartitaClient loader = connect(cluster);
             PartitaClient first = connect(cluster);
             PartitaClient second = connect(cluster)) {
            ClusterPlan initial = newestPlan(cluster);
            assertRacksDistinct(initial);

            Map<Integer, String> preloaded = new TreeMap<>();
            String filler = "p".repeat(1_000);
            // 64 writes in flight at a time; each acknowledged one is remembered (all must be).
            for (int from = 0; from < PRELOADED; from += 64) {
                List<java.util.concurrent.CompletableFuture<Integer>> puts = new ArrayList<>();
                for (int k = from; k < Math.min(PRELOADED, from + 64); k++) {
                    puts.add(loader.putAsync(patientWrite(), new Key(NAMESPACE, "pre", "k" + k),
                            Map.of("v", filler + k)));
                }
                for (int k = from; k < Math.min(PRELOADED, from + 64); k++) {
                    puts.get(k - from).get(60, TimeUnit.SECONDS);
                    preloaded.put(k, filler + k);
                }
            }
            LOG.info("{} records preloaded", PRELOADED);

            // Paced: the machine also runs five node JVMs.
            ClusterWorkload workload = new ClusterWorkload(List.of(first, second), LIN_KEYS, 5_000).withPause(5);
            workload.start(THREADS, seed);
            try {
                // Grow: n4 and n5 start with the others as seeds (they wait to join), then are added.
                for (int i = 3; i < 5; i++) {
                    cluster.launch(i, List.of());
                }
                for (int i = 3; i < 5; i++) {
                    cluster.awaitListening(i, System.nanoTime() + TimeUnit.SECONDS.toNanos(90));
                    String address = cluster.clientAddress(i);
                    AddNodeResponse added = admin(cluster.clientAddress(1), a -> a.addNode(
                            AddNodeRequest.newBuilder().setAddress(address).build()));
                    assertEquals(ResultCode.OK.code(), added.getStatus().getCode(), added.getStatus().getMessage());
                }
                long grow = System.nanoTime();
                ClusterPlan grown = awaitSettled(cluster, 5, Set.of(), "the cluster grown to 5 nodes");
                LOG.info("grown to 5 nodes and settled in {} ms: {}", (System.nanoTime() - grow) / 1_000_000,
                        loads(grown));
                for (String added : List.of("n4", "n5")) {
                    assertTrue(grown.getGroupsList().stream().anyMatch(g -> g.getReplicaNodeIdsList().contains(added)),
                            added + " holds no replica after the rebalance: " + grown);
                }
                assertRacksDistinct(grown);
                cluster.awaitHostingAsPlanned(grown, SETTLE);

                // Shrink: n1 (a member of the metadata group) and n5 leave.
                assertTrue(grown.getMetaNodeIdsList().contains("n1"), "n1 is a metadata member: " + grown);
                for (String leaving : List.of("n1", "n5")) {
                    DecommissionNodeResponse r = admin(cluster.clientAddress(1), a -> a.decommissionNode(
                            DecommissionNodeRequest.newBuilder().setNodeId(leaving).build()));
                    assertEquals(ResultCode.OK.code(), r.getStatus().getCode(), r.getStatus().getMessage());
                }
                long shrink = System.nanoTime();
                ClusterPlan shrunk = awaitSettled(cluster, 3, Set.of("n1", "n5"), "n1 and n5 decommissioned");
                LOG.info("shrunk to 3 nodes and settled in {} ms: {}", (System.nanoTime() - shrink) / 1_000_000,
                        loads(shrunk));
                assertEquals(List.of("n2", "n3", "n4"), shrunk.getNodesList().stream().map(PlanNode::getNodeId)
                        .sorted().toList());
                assertTrue(shrunk.getMetaNodeIdsList().stream().noneMatch(n -> n.equals("n1") || n.equals("n5")),
                        "the metadata group left n1 and n5: " + shrunk.getMetaNodeIdsList());
                for (int i : new int[] {0, 4}) {
                    if (cluster.node(i).alive()) {
                        cluster.node(i).terminate();
                    }
                }
                cluster.awaitHostingAsPlanned(shrunk, SETTLE);
                assertRacksDistinct(shrunk);
                // The clients keep going a little on the 3 remaining nodes.
                workload.awaitMoreOk(200, SETTLE);
            } finally {
                workload.stop();
            }

            awaitLeadersBalanced(cluster, List.of(1, 2, 3));
            workload.finalReads(first);
            LOG.info("workload: {} ok, {} failed {}, {} fresh writes acknowledged, {} in doubt, {} not applied",
                    workload.okOps.get(), workload.failedOps.get(), workload.failures, workload.acknowledged.size(),
                    workload.inDoubt.size(), workload.notApplied.size());
            assertTrue(workload.okOps.get() > 300, "the clients kept working: " + workload.okOps.get() + " ok ops, "
                    + workload.failures);

            List<String> lost = new ArrayList<>();
            Policy patient = Policy.builder().timeoutMs(30_000).maxRetries(100).build();
            try (PartitaClient reader = connect(cluster)) {
                // 64 reads in flight at a time (one by one took about 20 s on a loaded machine).
                List<Integer> keys = new ArrayList<>(preloaded.keySet());
                for (int from = 0; from < keys.size(); from += 64) {
                    Map<Integer, java.util.concurrent.CompletableFuture<Record>> reads = new TreeMap<>();
                    for (int k : keys.subList(from, Math.min(keys.size(), from + 64))) {
                        reads.put(k, reader.getAsync(patient, new Key(NAMESPACE, "pre", "k" + k)));
                    }
                    for (Map.Entry<Integer, java.util.concurrent.CompletableFuture<Record>> e : reads.entrySet()) {
                        Record r = e.getValue().get(60, TimeUnit.SECONDS);
                        if (r == null || !preloaded.get(e.getKey()).equals(r.getString("v"))) {
                            lost.add("preloaded k" + e.getKey() + " reads back as "
                                    + (r == null ? "nothing" : "another value"));
                        }
                    }
                }
                lost.addAll(workload.checkFreshWrites(reader));
            }
            assertEquals(List.of(), lost.subList(0, Math.min(20, lost.size())), lost.size() + " writes not as written");
            workload.assertLinearizable(Duration.ofSeconds(60));
            LOG.info("test body took {} s", (System.nanoTime() - start) / 1_000_000_000);
        }
    }

    private static PartitaClient connect(ProcessCluster cluster) {
        // n2 and n3 stay throughout; n1 leaves, and the client learns of n4 from the cluster map.
        return PartitaClient.connect(ClientConfig.builder().seeds(List.of(cluster.clientAddress(1),
                cluster.clientAddress(2), cluster.clientAddress(0))).build());
    }

    private static WritePolicy patientWrite() {
        return WritePolicy.builder().timeoutMs(30_000).maxRetries(100).build();
    }

    /** Every group's replicas on as many distinct nodes and racks as its replication factor. */
    private static void assertRacksDistinct(ClusterPlan plan) {
        Map<String, String> rack = plan.getNodesList().stream().collect(Collectors.toMap(PlanNode::getNodeId,
                PlanNode::getRack));
        assertEquals(GROUPS, plan.getGroupsCount(), "groups in " + plan);
        for (PlanGroup g : plan.getGroupsList()) {
            List<String> replicas = g.getReplicaNodeIdsList();
            assertEquals(RF, replicas.size(), "group " + g.getGroup() + " replicas " + replicas);
            assertEquals(RF, new TreeSet<>(replicas).size(), "group " + g.getGroup() + " on distinct nodes " + replicas);
            Set<String> racks = new TreeSet<>();
            for (String n : replicas) {
                assertTrue(rack.containsKey(n), "group " + g.getGroup() + " on unlisted node " + n);
                racks.add(rack.get(n));
            }
            assertEquals(RF, racks.size(), "group " + g.getGroup() + " on distinct racks: " + replicas + " on "
                    + racks);
        }
    }

    private static String loads(ClusterPlan p) {
        Map<String, Integer> load = new TreeMap<>();
        p.getNodesList().forEach(n -> load.put(n.getNodeId() + "@" + n.getRack(), 0));
        Map<String, String> rack = p.getNodesList().stream().collect(Collectors.toMap(PlanNode::getNodeId,
                PlanNode::getRack));
        p.getGroupsList().forEach(g -> g.getReplicaNodeIdsList().forEach(n -> load.merge(n + "@" + rack.get(n), 1,
                Integer::sum)));
        return "replicas per node " + load + ", metadata " + p.getMetaNodeIdsList() + ", version " + p.getVersion();
    }

    /**
     * The newest plan the live nodes hold once it lists {@code nodes} nodes, none of {@code gone}, no move in progress,
     * and the planner finds it balanced; the same for 3 s in a row (the rebalancer may plan moves in rounds).
     */
    private static ClusterPlan awaitSettled(ProcessCluster cluster, int nodes, Set<String> gone, String what)
            throws InterruptedException {
        Predicate<ClusterPlan> done = p -> p.getNodesCount() == nodes
                && p.getNodesList().stream().noneMatch(n -> gone.contains(n.getNodeId()))
                && Rebalance.movesInProgress(p) == 0 && Rebalance.balanced(p);
        long deadline = System.nanoTime() + SETTLE.toNanos();
        long since = -1;
        long version = -1;
        ClusterPlan newest = null;
        while (System.nanoTime() < deadline) {
            newest = newestPlan(cluster);
            if (newest != null && done.test(newest)) {
                if (since < 0 || newest.getVersion() != version) {
                    since = System.nanoTime();
                    version = newest.getVersion();
                } else if (System.nanoTime() - since > TimeUnit.SECONDS.toNanos(3)) {
                    return newest;
                }
            } else {
                since = -1;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not settled within " + SETTLE + ": " + what + "; newest plan: "
                + (newest == null ? "none" : loads(newest) + ", moves in progress "
                + Rebalance.movesInProgress(newest) + ", balanced " + Rebalance.balanced(newest) + "\n" + newest));
    }

    /** The plan of the highest version that the live nodes answer with. */
    private static ClusterPlan newestPlan(ProcessCluster cluster) {
        ClusterPlan newest = null;
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.node(i) == null || !cluster.node(i).alive()) {
                continue;
            }
            try {
                ClusterPlan p = admin(cluster.clientAddress(i), a -> a.withDeadlineAfter(5, TimeUnit.SECONDS)
                        .describeNode(DescribeNodeRequest.getDefaultInstance())).getPlan();
                if (newest == null || p.getVersion() > newest.getVersion()) {
                    newest = p;
                }
            } catch (RuntimeException e) {
                // busy or not up: the others answer
            }
        }
        return newest;
    }

    /**
     * Waits until every data group has one leader among {@code nodes}, as the nodes' status reports it, and none
     * leads more than ceil(groups/nodes)+1 (leaders move to the preferred replicas after the rebalance).
     */
    private static void awaitLeadersBalanced(ProcessCluster cluster, List<Integer> nodes) throws InterruptedException {
        int limit = (GROUPS + nodes.size() - 1) / nodes.size() + 1;
        long deadline = System.nanoTime() + SETTLE.toNanos();
        String problem;
        do {
            problem = null;
            Map<Integer, List<String>> leaders = new TreeMap<>();
            Map<String, Integer> led = new TreeMap<>();
            for (int i : nodes) {
                String id = "n" + (i + 1);
                led.put(id, 0);
                try {
                    for (GroupStatus g : cluster.status(i).getGroupsList()) {
                        if (g.getRole().equals("LEADER")) {
                            leaders.computeIfAbsent((int) g.getGroup(), x -> new ArrayList<>()).add(id);
                            led.merge(id, 1, Integer::sum);
                        }
                    }
                } catch (RuntimeException e) {
                    problem = id + " does not answer: " + e;
                }
            }
            if (problem == null) {
                for (int g = 0; g < GROUPS; g++) {
                    if (leaders.getOrDefault(g, List.of()).size() != 1) {
                        problem = "group " + g + " leaders " + leaders.get(g) + "; all " + leaders;
                        break;
                    }
                }
            }
            if (problem == null && led.values().stream().anyMatch(c -> c > limit)) {
                problem = "a node leads more than " + limit + " groups: " + led;
            }
            if (problem == null) {
                LOG.info("leaders: {}", led);
                return;
            }
            Thread.sleep(300);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("leaders not balanced within " + SETTLE + ": " + problem);
    }

    private static <T> T admin(String address, java.util.function.Function<AdminGrpc.AdminBlockingStub, T> call) {
        ManagedChannel ch = NettyChannelBuilder.forTarget(address).usePlaintext().build();
        try {
            return call.apply(AdminGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS));
        } finally {
            ch.shutdownNow();
        }
    }
}
