package io.partita.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.partita.engine.time.Clock;
import io.partita.protocol.testing.TestPorts;
import io.partita.server.Node;
import io.partita.server.config.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the generator against a real in-process node. */
class LoadGeneratorEndToEndTest {

    @TempDir
    Path dir;
    private Node node;

    @BeforeEach
    void startNode() throws Exception {
        int raftPort;
        raftPort = TestPorts.free();
        node = Node.start(NodeConfig.defaults("n1", dir.resolve("node")).withPorts(0, raftPort, 0), Clock.SYSTEM);
        assertTrue(node.awaitReady(Duration.ofSeconds(30)), "node not ready");
    }

    @AfterEach
    void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Timeout(120)
    void loadsThenRunsMixedWorkloadWithoutErrorsAndReportsConsistentCounts() throws Exception {
        Path json = dir.resolve("report.json");
        Path hlog = dir.resolve("latency.hlog");
        String[] args = {"--hosts", node.clientAddress(), "--threads", "4", "--keys", "1000", "--load",
            "--read-percent", "50", "--duration", "3s", "--warmup", "1s", "--progress-interval", "1s",
            "--seed", "42", "--json", json.toString(), "--histogram-log", hlog.toString()};
        GeneratorRun run = GeneratorRun.of(args);
        String report = run.out();
        String progress = run.err();
        System.out.println(progress + report); // kept in target/surefire-reports as a sample
        JsonNode root = run.assertCleanLoadedRun(json, 1000);
        JsonNode ops = root.path("operations");
        long reads = ops.path("read").path("count").asLong();
        long updates = ops.path("update").path("count").asLong();
        double seconds = root.path("seconds").asDouble();
        // Workers stop at a fixed deadline; the recorded window opens when the collector wakes after the warm-up,
        // a few milliseconds late on a busy machine, so it may be slightly shorter than --duration.
        assertTrue(seconds >= 2.8 && seconds < 6.0, "recorded seconds " + seconds);

        // The interval histograms in the log add up to exactly the reported counts.
        Map<String, Long> logged = new HashMap<>();
        try (HistogramLogReader reader = new HistogramLogReader(hlog.toFile())) {
            for (EncodableHistogram h; (h = reader.nextIntervalHistogram()) != null; ) {
                logged.merge(h.getTag(), ((org.HdrHistogram.Histogram) h).getTotalCount(), Long::sum);
            }
        }
        assertEquals(Map.of("read", reads, "update", updates), logged);

        // The text table shows the command line that produced it.
        assertTrue(report.contains("command: partita bench --hosts " + node.clientAddress() + " --threads 4"),
            report);
        assertTrue(progress.contains("\nrun ") || progress.startsWith("run "), progress);
        assertTrue(progress.contains("errors 0"), progress);
    }

    /** Workload F: every read-modify-write is one operate() call that finds the loaded record and rewrites it. */
    @Test
    @Timeout(120)
    void workloadFRunsItsReadModifyWritesAsOperateCalls() throws Exception {
        Path json = dir.resolve("f.json");
        String[] args = {"--hosts", node.clientAddress(), "--threads", "4", "--keys", "500", "--load",
            "--workload", "F", "--duration", "2s", "--warmup", "0s", "--seed", "7", "--json", json.toString()};
        GeneratorRun run = GeneratorRun.of(args);
        assertEquals(0, run.code(), run.err());
        JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
        assertEquals(500, root.path("load").path("written").asLong());
        JsonNode rmw = root.path("operations").path("rmw");
        assertTrue(rmw.path("count").asLong() > 0, root.toString());
        assertEquals(0, rmw.path("error-count").asLong(), rmw.toString());
        assertEquals(0, rmw.path("misses").asLong(), "every record was loaded, so every RMW found it");
        long operates = node.metrics().registry().counter("partita.op.results.operate.test.ok").getCount();
        // One operate call per read-modify-write; a worker's last one may complete outside the recorded window.
        long reported = rmw.path("count").asLong();
        assertTrue(operates >= reported && operates <= reported + 4, reported + " RMWs, " + operates + " operates");
    }
}
