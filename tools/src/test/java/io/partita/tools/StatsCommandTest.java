package io.partita.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.partita.client.ClientConfig;
import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.protocol.testing.TestPorts;
import io.partita.tools.CliRunner.Result;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code partita stats} against three in-process nodes while a client writes. */
@Timeout(300)
class StatsCommandTest {
    private static final int GROUPS = 6;

    @TempDir
    Path root;

    @Test
    void everyNodeReportsItsRatesGroupsAndSizes() throws Exception {
        try (InProcessCluster cluster = InProcessCluster.start(root, 3, 3, GROUPS);
             PartitaClient client = PartitaClient.connect(ClientConfig.builder().seeds(cluster.addresses()).build())) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong written = new AtomicLong();
            Thread writer = new Thread(() -> {
                for (long i = 0; !stop.get(); i++) {
                    client.put(new Key("test", "s", i), Map.of("v", i));
                    written.incrementAndGet();
                }
            });
            writer.start();
            Result r;
            Result text;
            try {
                Thread.sleep(500);
                r = CliRunner.run("stats", "--hosts", cluster.addresses().get(0), "--json", "--interval", "2s");
                text = CliRunner.run("stats", "--hosts", cluster.addresses().get(1));
            } finally {
                stop.set(true);
                writer.join();
            }
            assertEquals(0, r.exitCode(), r.toString());
            JsonNode nodes = new ObjectMapper().readTree(r.out()).get("nodes");
            assertEquals(3, nodes.size(), r.out());
            double ops = 0;
            double led = 0;
            for (JsonNode n : nodes) {
                assertEquals(GROUPS, n.get("groups_hosted").asDouble(), n.toString());
                assertTrue(n.get("log_bytes").asDouble() > 0, n.toString());
                assertTrue(n.get("heap_used_bytes").asDouble() > 0, n.toString());
                ops += n.get("ops_per_second").asDouble();
                led += n.get("groups_led").asDouble();
            }
            assertEquals(GROUPS, led, "every group is led by exactly one node: " + r.out());
            assertTrue(ops > 0, "the writer's puts show as ops/s: " + r.out());
            assertTrue(written.get() > 0);

            assertEquals(0, text.exitCode(), text.toString());
            assertTrue(text.out().startsWith("NODE ") && text.out().lines().findFirst().orElseThrow()
                    .contains("OPS/S  P99 MS  GROUPS  LEADS  APPLY LAG"), text.out());
            assertTrue(text.out().lines().anyMatch(l -> l.startsWith("total ")), text.out());
        }
    }

    @Test
    void noReachableNodeExits4() {
        Result r = CliRunner.run("stats", "--hosts", "127.0.0.1:" + TestPorts.free(), "--timeout", "1s");
        assertEquals(4, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("partita stats: no node answered"), r.toString());
    }
}
