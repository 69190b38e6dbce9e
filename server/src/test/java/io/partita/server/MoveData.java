package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.Record;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.NodeStatusRequest;
import io.partita.protocol.v1.NodeStatusResponse;
import io.partita.server.config.NodeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Data that a replica moved onto a new node has to copy by snapshot transfer, for the move tests: incompressible
 * records (so the snapshot's SST files are as large as the data) written until every group's leader has purged its
 * log past its first entry, so a new replica cannot catch up from the log. Each record's value follows from its
 * index, so the tests read back exactly what was written.
 */
final class MoveData {
    /** Raw bytes per record (Base64 in the record: about 2 KB stored). */
    static final int VALUE_BYTES = 1500;
    private static final int BATCH = 400;

    private MoveData() {
    }

    /**
     * Snapshots every 100 entries, 1 MiB log segments (so logs purge), snapshot transfers at 1 MiB/s (the slowest
     * setting) and two moves at a time.
     */
    static NodeConfig slowCopies(NodeConfig c, Duration moveTimeout) {
        return c.withRaft(c.raft().withSnapshots(100, 1).withSegmentSize(1 << 20))
                .withRebalance(new NodeConfig.Rebalance(2, moveTimeout));
    }

    static Key key(int k) {
        return new Key("test", "moved", "k" + k);
    }

    static String value(int k) {
        byte[] bytes = new byte[VALUE_BYTES];
        new Random(k).nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * Writes records 0, 1, 2, ... until at least {@code minRecords} are written and every group's leader among the
     * running nodes has purged its log's first entry. Returns how many were written.
     */
    static int writeUntilSnapshotsNeeded(TestCluster cluster, PartitaClient client, int groups, int minRecords,
                                         Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int written = 0;
        while (written < minRecords || !logsPurged(cluster, groups)) {
            assertTrue(System.nanoTime() < deadline, "the leaders did not purge their logs within " + timeout
                    + " (" + written + " records written)");
            List<CompletableFuture<Integer>> batch = new ArrayList<>();
            for (int i = 0; i < BATCH; i++, written++) {
                batch.add(client.putAsync(key(written), Map.of("v", value(written))));
            }
            batch.forEach(CompletableFuture::join);
        }
        return written;
    }

    /** Whether every group's leader has purged the log entries a replica starting from nothing would need. */
    private static boolean logsPurged(TestCluster cluster, int groups) throws Exception {
        for (int g = 0; g < groups; g++) {
            Node leader = SnapshotCatchUpTest.leaderOf(cluster, g);
            if (leader == null || leader.raft().division(g).getRaftLog().getStartIndex() <= 1) {
                return false;
            }
        }
        return true;
    }

    /** Reads back records 0 to {@code count - 1}. */
    static void assertReadable(PartitaClient client, int count) {
        for (int k = 0; k < count; k++) {
            Record r = client.get(key(k));
            assertTrue(r != null, "record " + k + " is lost");
            assertEquals(value(k), r.getString("v"), "record " + k);
        }
    }

    /** A node's status, as {@code partita status} asks for it. */
    static NodeStatusResponse status(String address) {
        ManagedChannel ch = NettyChannelBuilder.forTarget(address).usePlaintext().build();
        try {
            return AdminGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .nodeStatus(NodeStatusRequest.getDefaultInstance());
        } finally {
            ch.shutdownNow();
        }
    }

    /** The sum over the running nodes of a counter of theirs. */
    static long counterSum(TestCluster cluster, String name) {
        long sum = 0;
        for (int i = 0; i < cluster.size(); i++) {
            Node n = cluster.node(i);
            if (n != null) {
                sum += n.metrics().registry().counter(name).getCount();
            }
        }
        return sum;
    }
}
