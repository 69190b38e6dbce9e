package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.partita.client.ClientConfig;
import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.Policy;
import io.partita.client.ReadMode;
import io.partita.client.Record;
import io.partita.engine.storage.StorageFaults;
import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.GetRequest;
import io.partita.protocol.v1.GetResponse;
import io.partita.protocol.v1.GroupStatus;
import io.partita.protocol.v1.NodeStatusRequest;
import io.partita.protocol.v1.NodeStatusResponse;
import io.partita.protocol.v1.PartitaGrpc;
import io.partita.protocol.v1.ReplicaState;
import io.partita.raft.group.ReplicaHealth;
import io.partita.server.metrics.PrometheusText;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.server.RaftServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three in-process nodes; on one follower a real RocksDB error (its column family of the key's group dropped) makes
 * the next apply throw, so Ratis closes that replica while the node keeps running. (The failed write also puts that
 * node's RocksDB in its read-only background-error state, as a disk error would.) The node must say so everywhere
 * (/ready 503 with the reason, NodeStatus STOPPED, the metrics) and never answer a replica read from the frozen
 * replica; a replica whose Raft division is gone altogether is reported the same way; a restart brings both back.
 */
class StoppedReplicaTest {
    private static final int GROUPS = 2;

    @TempDir
    Path root;

    @Test
    @Timeout(240)
    void aReplicaWhoseApplyFailedIsReportedAndNeverServesReplicaReads() throws Exception {
        try (TestCluster cluster = TestCluster.start(root, 3, 3, GROUPS);
             PartitaClient client = PartitaClient.connect(cluster.clientAddress(0))) {
            Key key = new Key("test", "s", "frozen");
            int group = cluster.node(0).raft().layout().groupOf(key.partitionId());
            int f = follower(cluster, group);
            Node node = cluster.node(f);
            client.put(key, Map.of("v", 1L));
            await(() -> node.store().group(group).read("test", key.digest(), System.currentTimeMillis()) != null,
                    "the follower applies the first write");
            assertEquals(200, PrometheusText.get(node.adminPort(), "/ready").statusCode());

            StorageFaults.dropColumnFamily(node.store().group(group));
            client.put(key, Map.of("v", 2L)); // acknowledged by the other two
            await(() -> node.raft().replicaHealth(group).state() == ReplicaHealth.State.STOPPED,
                    "the follower's replica stops");

            HttpResponse<String> ready = PrometheusText.get(node.adminPort(), "/ready");
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().contains("group " + group + ": replica stopped (applying log entry"),
                    ready::body);
            assertEquals(200, PrometheusText.get(node.adminPort(), "/health").statusCode());

            GroupStatus status = nodeStatus(cluster, f, group);
            assertEquals(ReplicaState.REPLICA_STOPPED, status.getReplicaState());
            assertTrue(status.getReplicaProblem().contains("applying log entry"), status::toString);

            PrometheusText m = PrometheusText.scrape(node.adminPort());
            assertEquals(2.0, m.value("partita_raft_replica_state", "group=" + group), m::toString);
            assertEquals(1.0, m.value("partita_node_replicas_stopped"), m::toString);
            assertEquals(0.0, PrometheusText.scrape(cluster.node((f + 1) % 3).adminPort())
                    .value("partita_node_replicas_stopped"));

            // Straight at the frozen replica: refused with NOT_LEADER (the client's "try another replica"), never
            // the stale v=1 it still holds.
            GetResponse direct = replicaRead(cluster.clientAddress(f), "frozen");
            assertEquals(ResultCode.NOT_LEADER.code(), direct.getStatus().getCode(), direct::toString);
            assertTrue(direct.getStatus().getMessage().contains("stopped"), direct::toString);
            // Through a client reading from any replica, rotating over all three: always the acknowledged value.
            try (PartitaClient anyReplica = PartitaClient.connect(ClientConfig.builder()
                    .seeds(java.util.List.of(cluster.clientAddress(f)))
                    .defaultPolicy(Policy.builder().readMode(ReadMode.ANY_REPLICA).build()).build())) {
                for (int i = 0; i < 9; i++) {
                    Record r = anyReplica.get(key);
                    assertNotNull(r, "read " + i);
                    assertEquals(2L, r.bins().get("v"), "read " + i);
                }
            }

            // The other group's division on the same node vanishes altogether: reported as missing.
            int other = (group + 1) % GROUPS;
            RaftServer server = node.raft().division(other).getRaftServer();
            RaftClientReply removed = server.groupManagement(GroupManagementRequest.newRemove(ClientId.randomId(),
                    server.getId(), 1, node.raft().layout().raftGroupId(other), false, false));
            assertTrue(removed.isSuccess(), removed::toString);
            assertEquals(ReplicaHealth.State.MISSING, node.raft().replicaHealth(other).state());
            assertEquals(ReplicaState.REPLICA_MISSING, nodeStatus(cluster, f, other).getReplicaState());
            assertEquals(2.0, PrometheusText.scrape(node.adminPort()).value("partita_node_replicas_stopped"));
            assertEquals(503, PrometheusText.get(node.adminPort(), "/ready").statusCode());

            // What the operator does: restart the node. The stopped replica applies the log again (from its start:
            // the dropped column family is recreated empty) and the removed one is found again on disk.
            cluster.stop(f);
            Node restarted = cluster.restart(f);
            assertTrue(restarted.awaitReady(Duration.ofSeconds(60)), "the restarted node becomes ready");
            assertEquals(200, PrometheusText.get(restarted.adminPort(), "/ready").statusCode());
            assertEquals(0.0, PrometheusText.scrape(restarted.adminPort()).value("partita_node_replicas_stopped"));
            GetResponse after = replicaRead(cluster.clientAddress(f), "frozen");
            assertEquals(ResultCode.OK.code(), after.getStatus().getCode(), after::toString);
        }
    }

    /** A node that follows {@code group}. */
    private static int follower(TestCluster cluster, int group) throws Exception {
        for (int i = 0; i < cluster.size(); i++) {
            if (!cluster.node(i).raft().division(group).getInfo().isLeader()) {
                return i;
            }
        }
        throw new IllegalStateException("every node leads group " + group);
    }

    private static GroupStatus nodeStatus(TestCluster cluster, int node, int group) {
        ManagedChannel ch = NettyChannelBuilder.forTarget(cluster.clientAddress(node)).usePlaintext().build();
        try {
            NodeStatusResponse r = AdminGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .nodeStatus(NodeStatusRequest.getDefaultInstance());
            return r.getGroupsList().stream().filter(g -> g.getGroup() == group).findFirst().orElseThrow(
                    () -> new AssertionError("node " + node + " does not report group " + group + ": " + r));
        } finally {
            ch.shutdownNow();
        }
    }

    private static GetResponse replicaRead(String address, String userKey) {
        ManagedChannel ch = NettyChannelBuilder.forTarget(address).usePlaintext().build();
        try {
            return PartitaGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS).get(GetRequest.newBuilder()
                    .setKey(io.partita.protocol.v1.Key.newBuilder().setNamespace("test").setSet("s")
                            .setStringKey(userKey))
                    .setAllowReplicaRead(true).build());
        } finally {
            ch.shutdownNow();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
            Thread.sleep(20);
        }
    }
}
