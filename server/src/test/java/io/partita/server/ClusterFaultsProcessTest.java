package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.partita.client.ClientConfig;
import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.protocol.KeyDigest;
import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.GetRequest;
import io.partita.protocol.v1.GetResponse;
import io.partita.protocol.v1.PartitaGrpc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three nodes as separate OS processes, replication factor 3, concurrent clients throughout: a follower is killed and
 * restarted, a leader is killed with kill -9, a leader is paused (SIGSTOP) past the election timeout and resumed, and
 * finally every node is killed at once and restarted. Acknowledged writes must all be there, writes reported as not
 * applied must not be, and the recorded history must be linearizable.
 */
class ClusterFaultsProcessTest {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterFaultsProcessTest.class);
    private static final int GROUPS = 16;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void acknowledgedWritesSurviveKillsAndPausesAndTheHistoryIsLinearizable() throws Exception {
        try (ProcessCluster cluster = ProcessCluster.start(dir, 3, 3, GROUPS);
             PartitaClient client = connect(cluster);
             PartitaClient second = connect(cluster);
             PartitaClient third = connect(cluster)) {
            int group = KeyDigest.partitionId(KeyDigest.compute(ClusterWorkload.SET, "pause-probe")) % GROUPS;
            ClusterWorkload workload = new ClusterWorkload(List.of(client, second, third), 4, 4_000);
            workload.start(6);
            Thread.sleep(2_000);

            int leader = cluster.awaitLeader(group);
            int follower = (leader + 1) % 3;
            LOG.info("(a) kill -9 follower n{} of group {}", follower + 1, group);
            cluster.node(follower).kill9();
            Thread.sleep(3_000);
            cluster.restart(follower);
            Thread.sleep(2_000);

            leader = cluster.awaitLeader(group);
            LOG.info("(b) kill -9 leader n{} of group {}", leader + 1, group);
            cluster.node(leader).kill9();
            Thread.sleep(4_000);
            cluster.restart(leader);
            Thread.sleep(2_000);

            leader = cluster.awaitLeader(group);
            leader = cluster.awaitLeader(group);
            pausedLeaderNeverServesAStaleRead(cluster, client, leader, group);
            workload.stopAndCheck(client);

            LOG.info("(d) kill -9 every node at once, then restart them all");
            for (int i = 0; i < 3; i++) {
                cluster.node(i).kill9();
            }
            for (int i = 0; i < 3; i++) {
                cluster.node(i).launch();
            }
            for (int i = 0; i < 3; i++) {
                cluster.node(i).awaitReady();
            }
            assertEquals(List.of(), workload.checkFreshWrites(client), "after every node was killed at once");
        }
    }

    /**
     * (c) The leader of the key's group is paused (SIGSTOP) longer than the election timeout, a new leader takes a
     * write, and a read sent straight to the paused node waits in its socket. When it resumes it still believes it
     * leads; it must not answer that read from its old state (its lease ran out while it was paused).
     */
    private static void pausedLeaderNeverServesAStaleRead(ProcessCluster cluster, PartitaClient client, int leader,
                                                          int group) throws Exception {
        Key probe = new Key(ClusterWorkload.NAMESPACE, ClusterWorkload.SET, "pause-probe");
        assertEquals(group, probe.partitionId() % GROUPS, "the probe key must live in the paused leader's group");
        client.put(probe, Map.of("v", 1L));
        GetRequest read = GetRequest.newBuilder().setKey(io.partita.protocol.v1.Key.newBuilder()
                .setNamespace(probe.namespace()).setSet(probe.set()).setStringKey("pause-probe")).build();
        ManagedChannel direct = NettyChannelBuilder.forTarget(cluster.clientAddress(leader)).usePlaintext().build();
        try {
            // Connect first, so the request below sits in the paused node's socket, read the moment it resumes.
            assertEquals(ResultCode.OK.code(), PartitaGrpc.newBlockingStub(direct).withDeadlineAfter(10,
                    TimeUnit.SECONDS).get(read).getStatus().getCode());
            LOG.info("(c) SIGSTOP leader n{} of group {}", leader + 1, group);
            cluster.node(leader).signal("STOP");
            awaitOtherLeader(cluster, group, leader);
            // A plain write sent to the paused node would wait there for its answer (giving up would leave it in
            // doubt); one started now from the live nodes learns the new leader, which acknowledges the write.
            List<String> live = new java.util.ArrayList<>(cluster.clientAddresses());
            live.remove(cluster.clientAddress(leader));
            try (PartitaClient fresh = PartitaClient.connect(ClientConfig.builder().seeds(live)
                    .defaultWritePolicy(io.partita.client.WritePolicy.builder().timeoutMs(15_000).build()).build())) {
                fresh.put(probe, Map.of("v", 2L));
            }
            // A read from the client that still maps the group to the paused node gives up on it after the
            // attempt timeout and finds the new leader, while the old one is still paused.
            long readStart = System.nanoTime();
            assertEquals(2L, client.get(probe).getLong("v"), "read during the pause");
            LOG.info("(c) read during the pause answered in {} ms", (System.nanoTime() - readStart) / 1_000_000);
            ListenableFuture<GetResponse> stale = PartitaGrpc.newFutureStub(direct)
                    .withDeadlineAfter(30, TimeUnit.SECONDS).get(read);
            Thread.sleep(500); // the request reaches the paused node's socket
            cluster.node(leader).signal("CONT");
            GetResponse answer = stale.get(30, TimeUnit.SECONDS);
            boolean staleValue = answer.getStatus().getCode() == ResultCode.OK.code()
                    && answer.getRecord().getBinsList().stream().anyMatch(b -> b.getValue().getLongValue() == 1L);
            assertTrue(!staleValue, "the resumed former leader served the old value: " + answer);
            LOG.info("(c) the resumed former leader answered {}", ResultCode.fromCode(answer.getStatus().getCode()));
        } finally {
            cluster.node(leader).signal("CONT");
            direct.shutdownNow();
        }
        assertEquals(2L, client.get(probe).getLong("v"));
    }

    private static void awaitOtherLeader(ProcessCluster cluster, int group, int paused) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            int leader = cluster.leaderOf(group);
            if (leader >= 0 && leader != paused) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no new leader for group " + group + " within 30 s of pausing n" + (paused + 1));
    }

    private static PartitaClient connect(ProcessCluster cluster) {
        return PartitaClient.connect(ClientConfig.builder().seeds(cluster.clientAddresses()).build());
    }
}
