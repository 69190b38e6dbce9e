package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.client.ClientConfig;
import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.server.metrics.PrometheusText;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node processes on a 2-CPU JVM (the CI machine's size) do not start a thread per replicated write. Before
 * {@link CommonPoolParallelism}, each AppendEntries a follower received ran on a new thread (CompletableFuture's
 * thread-per-task fallback), about two new threads per write in a 3-node cluster.
 */
class ThreadChurnProcessTest {
    private static final int WRITES = 400;

    @TempDir
    Path dir;

    @Test
    void writesDoNotStartAThreadEach() throws Exception {
        try (ProcessCluster cluster = ProcessCluster.start(dir, 3, 3, 4, c -> c, List.of("-XX:ActiveProcessorCount=2"));
             PartitaClient client = PartitaClient.connect(ClientConfig.builder().seeds(cluster.clientAddresses())
                     .build())) {
            for (int i = 0; i < 50; i++) { // warm-up: connections and pools exist before counting
                client.put(new Key("test", "churn", "warm-" + i), Map.of("v", (long) i));
            }
            double before = startedThreads(cluster);
            for (int i = 0; i < WRITES; i++) {
                client.put(new Key("test", "churn", "k-" + i), Map.of("v", (long) i));
            }
            double started = startedThreads(cluster) - before;
            assertTrue(started < WRITES / 4.0, started + " threads started on the three nodes during " + WRITES
                    + " writes");
        }
    }

    /** Threads started so far, summed over the nodes (the gauge is refreshed every 5 s, so wait past that). */
    private static double startedThreads(ProcessCluster cluster) throws Exception {
        Thread.sleep(5_500);
        double sum = 0;
        for (int i = 0; i < cluster.size(); i++) {
            Double v = PrometheusText.scrape(cluster.config(i).listen().adminPort())
                    .value("jvm_threads_state", "state=total_started");
            assertTrue(v != null, "node " + (i + 1) + " serves jvm_threads_state{state=\"total_started\"}");
            sum += v;
        }
        return sum;
    }
}
