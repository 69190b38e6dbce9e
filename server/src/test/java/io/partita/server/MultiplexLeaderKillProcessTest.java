package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.client.ClientConfig;
import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.PartitaException;
import io.partita.client.Policy;
import io.partita.client.Record;
import io.partita.client.WritePolicy;
import io.partita.protocol.KeyDigest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A group's leader is killed (kill -9) while multiplexed operations are in flight to it: a burst of fresh writes on
 * one client's Multiplex stream, and concurrent clients mixing gets, puts and compare-and-set writes on a few keys.
 * Every operation must then be reported as applied (its data present), not applied (absent) or in doubt, and the
 * history of the shared keys must be linearizable.
 */
class MultiplexLeaderKillProcessTest {
    private static final Logger LOG = LoggerFactory.getLogger(MultiplexLeaderKillProcessTest.class);
    private static final int GROUPS = 8;
    private static final int BURST = 300;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private static int groupOf(String set, String key) {
        return KeyDigest.partitionId(KeyDigest.compute(set, key)) % GROUPS;
    }

    private static PartitaClient connect(ProcessCluster cluster) {
        return PartitaClient.connect(ClientConfig.builder().seeds(cluster.clientAddresses()).multiplex(true).build());
    }

    @Test
    void everyOperationInFlightWhenTheLeaderDiesIsReportedTruthfully() throws Exception {
        try (ProcessCluster cluster = ProcessCluster.start(dir, 3, 3, GROUPS);
             PartitaClient client = connect(cluster);
             PartitaClient second = connect(cluster);
             PartitaClient burster = connect(cluster)) {
            int group = groupOf(ClusterWorkload.SET, "k0");
            ClusterWorkload workload = new ClusterWorkload(List.of(client, second), 4, 4_000);
            workload.start(12);
            Thread.sleep(2_000);

            // Fresh keys of the group whose leader dies; the burster learns that leader first.
            List<Key> burstKeys = new ArrayList<>();
            for (int i = 0; burstKeys.size() < BURST; i++) {
                if (groupOf("burst", "b" + i) == group) {
                    burstKeys.add(new Key(ClusterWorkload.NAMESPACE, "burst", "b" + i));
                }
            }
            burster.put(burstKeys.get(0), Map.of("v", -1L));
            int leader = cluster.awaitLeader(group);
            WritePolicy writes = WritePolicy.builder().timeoutMs(5_000).build();
            // Writes leave steadily, so when the leader dies some are answered, some in flight on the stream, and
            // the rest go out after the kill.
            List<CompletableFuture<Integer>> burst = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread submitter = new Thread(() -> {
                for (int i = 1; i < burstKeys.size(); i++) {
                    burst.add(burster.putAsync(writes, burstKeys.get(i), Map.of("v", (long) i)));
                    if (i % 5 == 0) {
                        try {
                            Thread.sleep(2);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "burst");
            submitter.start();
            while (burst.size() < BURST / 2 && submitter.isAlive()) {
                Thread.sleep(1);
            }
            long inFlight;
            long answered;
            synchronized (burst) {
                inFlight = burst.stream().filter(f -> !f.isDone()).count();
                answered = burst.size() - inFlight;
            }
            cluster.node(leader).kill9();
            LOG.info("killed leader n{} of group {} with {} burst writes answered and {} unanswered", leader + 1, group,
                    answered, inFlight);
            submitter.join();
            assertTrue(inFlight > 0, "the burst should still be in flight when the leader dies");

            int applied = 0;
            int notApplied = 0;
            int inDoubt = 0;
            List<String> problems = new ArrayList<>();
            Policy patient = Policy.builder().timeoutMs(30_000).maxRetries(100).build();
            for (int i = 1; i < burstKeys.size(); i++) {
                Key k = burstKeys.get(i);
                CompletableFuture<Integer> f = burst.get(i - 1);
                PartitaException failure = null;
                try {
                    assertEquals(1, f.get(30, TimeUnit.SECONDS), k + ": a fresh key's first write has generation 1");
                } catch (java.util.concurrent.ExecutionException e) {
                    failure = (PartitaException) e.getCause();
                }
                Record r = burster.get(patient, k);
                if (failure == null) {
                    applied++;
                    if (r == null || r.getLong("v") != i) {
                        problems.add(k + " was acknowledged but reads back as " + r);
                    }
                } else if (!failure.inDoubt()) {
                    notApplied++;
                    if (r != null) {
                        problems.add(k + " was reported as not applied (" + failure.resultCode() + ") but reads back"
                                + " as " + r);
                    }
                } else {
                    inDoubt++; // either outcome is truthful; the read settles it
                    if (inDoubt <= 3 || i == burstKeys.size() - 1) {
                        LOG.info("in doubt: {}", failure.getMessage());
                    }
                }
            }
            LOG.info("burst: {} applied, {} not applied, {} in doubt", applied, notApplied, inDoubt);
            assertEquals(List.of(), problems);

            Thread.sleep(2_000); // the workload goes on with the new leader (two of three replicas are a majority)
            workload.stopAndCheck(client);
        }
    }
}
