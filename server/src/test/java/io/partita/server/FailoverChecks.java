package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.partita.client.ClientConfig;
import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.WritePolicy;
import io.partita.protocol.KeyDigest;
import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.GetRequest;
import io.partita.protocol.v1.GetResponse;
import io.partita.protocol.v1.PartitaGrpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scripted failover checks on a {@link ProcessCluster} of three nodes, shared by the seeded fault run
 * ({@link SeededFaultsProcessTest}, after its schedule) and the scripted one ({@link ClusterFaultsProcessTest}).
 */
final class FailoverChecks {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverChecks.class);
    static final String PROBE = "pause-probe";

    private FailoverChecks() {
    }

    /** The group (of {@code groups}) that holds the probe key of {@link #pausedLeaderNeverServesAStaleRead}. */
    static int probeGroup(int groups) {
        return KeyDigest.partitionId(KeyDigest.compute(ClusterWorkload.SET, PROBE)) % groups;
    }

    /**
     * The leader of the probe key's group is paused (SIGSTOP) longer than the election timeout, a new leader takes a
     * write, and a read sent straight to the paused node waits in its socket. When it resumes it still believes it
     * leads; it must not answer that read from its old state (its lease ran out while it was paused).
     *
     * @param client a client that maps the group to the leader about to be paused
     */
    static void pausedLeaderNeverServesAStaleRead(ProcessCluster cluster, PartitaClient client, int groups)
            throws Exception {
        int group = probeGroup(groups);
        Key probe = new Key(ClusterWorkload.NAMESPACE, ClusterWorkload.SET, PROBE);
        assertEquals(group, probe.partitionId() % groups, "the probe key must live in the paused leader's group");
        client.put(probe, Map.of("v", 1L));
        int leader = cluster.awaitLeader(group);
        GetRequest read = GetRequest.newBuilder().setKey(io.partita.protocol.v1.Key.newBuilder()
                .setNamespace(probe.namespace()).setSet(probe.set()).setStringKey(PROBE)).build();
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
            List<String> live = new ArrayList<>(cluster.clientAddresses());
            live.remove(cluster.clientAddress(leader));
            try (PartitaClient fresh = PartitaClient.connect(ClientConfig.builder().seeds(live)
                    .defaultWritePolicy(WritePolicy.builder().timeoutMs(15_000).build()).build())) {
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
            assertTrue(!staleValue, "the resumed former leader n" + (leader + 1) + " served the old value: " + answer);
            LOG.info("(c) the resumed former leader answered {}", ResultCode.fromCode(answer.getStatus().getCode()));
        } finally {
            cluster.node(leader).signal("CONT");
            direct.shutdownNow();
        }
        assertEquals(2L, client.get(probe).getLong("v"));
    }

    /** (d) kill -9 of every node at once, then all are started again (same data) and must become ready. */
    static void killEveryNodeAtOnceAndRestart(ProcessCluster cluster) throws Exception {
        LOG.info("(d) kill -9 every node at once, then restart them all");
        for (int i = 0; i < cluster.size(); i++) {
            cluster.node(i).kill9();
        }
        for (int i = 0; i < cluster.size(); i++) {
            cluster.launch(i, List.of());
        }
        for (int i = 0; i < cluster.size(); i++) {
            cluster.node(i).awaitReady();
        }
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
}
