package io.partita.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.partita.bench.driver.EtcdDriver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the generator against a real 3-member etcd cluster started by {@code bench/etcd-cluster.sh}. Skipped when
 * the machine has no etcd binary ({@code $ETCD_BIN}, {@code etcd} on the PATH or {@code /usr/bin/etcd}); the test
 * never installs one ({@code bench/etcd-cluster.sh start DIR} does, or {@code apt-get install etcd-server}).
 */
class EtcdEndToEndTest {

    private static final ServerScript SCRIPT = new ServerScript("etcd-cluster.sh");

    @TempDir
    Path dir;
    private Path clusterDir;
    private String endpoints;

    @BeforeEach
    void startCluster() throws Exception {
        Assumptions.assumeTrue(ServerScript.installed("etcd", "ETCD_BIN"),
            "no etcd binary on this machine: etcd end-to-end test skipped");
        clusterDir = dir.resolve("etcd");
        ServerScript.Result start = script("start", clusterDir.toString());
        assertEquals(0, start.code(), start.output());
        endpoints = start.stdout().strip();
        assertTrue(endpoints.matches("127\\.0\\.0\\.1:\\d+(,127\\.0\\.0\\.1:\\d+){2}"), start.output());
    }

    @AfterEach
    void stopCluster() throws Exception {
        if (endpoints != null) {
            ServerScript.Result stop = script("stop", clusterDir.toString());
            assertEquals(0, stop.code(), stop.output());
            for (String m : List.of("m1", "m2", "m3")) {
                assertFalse(Files.exists(clusterDir.resolve(m + ".data")), m + " data left after stop");
            }
            assertNotEquals(0, script("status", clusterDir.toString()).code(), "status after stop");
        }
    }

    @Test
    @Timeout(180)
    void loadsThenRunsMixedWorkloadAgainstThreeMembersWithoutErrors() throws Exception {
        Path json = dir.resolve("report.json");
        GeneratorRun run = GeneratorRun.of("--target", "etcd", "--hosts", endpoints, "--threads", "4", "--keys",
            "1000", "--value-size", "100", "--load", "--read-percent", "50", "--duration", "3s", "--warmup", "1s",
            "--progress-interval", "1s", "--seed", "42", "--json", json.toString());
        System.out.println(run.err() + run.out()); // kept in target/surefire-reports as a sample
        run.assertCleanLoadedRun(json, 1000);
        assertTrue(run.out().contains("  target         etcd\n"), run.out());
        assertTrue(run.out().contains("command: partita bench --target etcd --hosts " + endpoints), run.out());

        // The records are in etcd under the generator's key names, each value-size bytes long.
        try (Client client = Client.builder().endpoints(urls(endpoints.split(","))).build()) {
            for (long i : new long[] {0, 500, 999}) {
                List<KeyValue> kvs = client.getKVClient()
                    .get(ByteSequence.from("test/bench/" + i, StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS)
                    .getKvs();
                assertEquals(1, kvs.size(), "test/bench/" + i);
                assertEquals(100, kvs.get(0).getValue().size());
            }
        }
    }

    @Test
    @Timeout(120)
    void workloadEScansKeyRangesAndInsertsNewRecords() throws Exception {
        Path json = dir.resolve("e.json");
        GeneratorRun run = GeneratorRun.of("--target", "etcd", "--hosts", endpoints, "--threads", "2", "--records",
            "300", "--load", "--workload", "E", "--scan-length", "10", "--duration", "2s", "--warmup", "0s",
            "--seed", "3", "--json", json.toString());
        assertEquals(0, run.code(), run.err());
        JsonNode ops = new ObjectMapper().readTree(json.toFile()).path("operations");
        assertTrue(ops.path("scan").path("count").asLong() > 0, ops.toString());
        assertTrue(ops.path("insert").path("count").asLong() > 0, ops.toString());
        assertEquals(0, ops.path("total").path("error-count").asLong(), ops.toString());
        assertEquals(0, ops.path("scan").path("misses").asLong(), "every scan starts at a loaded key");
        assertTrue(run.out().contains("  mix            insert 5%, scan 95%\n"), run.out());
    }

    @Test
    @Timeout(120)
    void aReadOnOneMemberSeesAPutAcknowledgedByAnother() throws Exception {
        String[] members = endpoints.split(",");
        Workload workload = Workload.readWrite("test", "linearizable", 1, 10, 50);
        try (EtcdDriver first = new EtcdDriver(List.of(members[0]), 5000, workload);
             EtcdDriver last = new EtcdDriver(List.of(members[2]), 5000, workload)) {
            for (long i = 0; i < 20; i++) {
                assertFalse(last.get(last.key(i)), "not written yet: " + i);
                first.put(first.key(i), first.value(Map.of("bin0", "value" + i)));
                assertTrue(last.get(last.key(i)), "written through " + members[0] + ", read on " + members[2]);
            }
        }
    }

    @Test
    @Timeout(120)
    void startIsIdempotentAndStatusListsThreeHealthyMembers() throws Exception {
        ServerScript.Result again = script("start", clusterDir.toString());
        assertEquals(0, again.code(), again.output());
        assertEquals(endpoints, again.stdout().strip(), "a second start reports the running cluster");
        ServerScript.Result status = script("status", clusterDir.toString());
        assertEquals(0, status.code(), status.output());
        assertEquals(3, status.stdout().lines().filter(l -> l.endsWith(" healthy")).count(), status.output());
    }

    private static String[] urls(String... hosts) {
        return Arrays.stream(hosts).map(h -> "http://" + h).toArray(String[]::new);
    }

    private ServerScript.Result script(String... args) throws IOException, InterruptedException {
        return SCRIPT.run(dir, args);
    }
}
