package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.client.ClientConfig;
import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.PartitaException;
import io.partita.client.Policy;
import io.partita.client.Record;
import io.partita.client.WritePolicy;
import io.partita.protocol.ResultCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Durability and failure behaviour of a node running as a separate OS process. */
class NodeProcessTest {
    @TempDir
    Path dir;

    private static PartitaClient connect(String address) {
        return PartitaClient.connect(ClientConfig.builder().seeds(address)
                .defaultPolicy(Policy.builder().timeoutMs(10_000).build())
                .defaultWritePolicy(WritePolicy.builder().timeoutMs(10_000).build())
                .build());
    }

    private static Key key(int i) {
        return new Key("test", "durable", "k" + i);
    }

    @Test
    void acknowledgedWritesSurviveKillMinus9AndACleanRestart() throws Exception {
        var config = TestNodes.config(dir.resolve("n1"));
        int records = 400;
        try (NodeProcess node = new NodeProcess(config).start()) {
            try (PartitaClient client = connect(node.clientAddress())) {
                // Async puts arrive together and are batched into shared log entries: the acknowledgement of each
                // must still mean it is durable.
                List<CompletableFuture<Integer>> acks = new ArrayList<>();
                for (int i = 0; i < records; i++) {
                    acks.add(client.putAsync(key(i), Map.of("i", (long) i, "pad", "x".repeat(200))));
                }
                for (CompletableFuture<Integer> ack : acks) {
                    assertEquals(1, ack.get(30, TimeUnit.SECONDS));
                }
                for (int i = 0; i < 50; i++) {
                    client.put(key(0), Map.of("i", 0L, "round", (long) i));
                }
            }
            node.kill9();
        }
        try (NodeProcess node = new NodeProcess(config).start();
             PartitaClient client = connect(node.clientAddress())) {
            for (int i = 0; i < records; i++) {
                Record r = client.get(key(i));
                assertNotNull(r, "acknowledged record " + i + " lost after kill -9");
                assertEquals((long) i, r.getLong("i"));
            }
            assertEquals(51, client.get(key(0)).generation(), "no write lost or applied twice");
            assertEquals(52, client.put(key(0), Map.of("after", "kill")));
            assertEquals(0, node.terminate(), "SIGTERM stops the node cleanly");
            assertTrue(node.logTail().contains("Node n1 stopped"), node.logTail());
        }
        try (NodeProcess node = new NodeProcess(config).start();
             PartitaClient client = connect(node.clientAddress())) {
            assertEquals(52, client.get(key(0)).generation());
            assertEquals("kill", client.get(key(0)).getString("after"));
            assertEquals((long) (records - 1), client.get(key(records - 1)).getLong("i"));
        }
    }

    @Test
    void aStoppedNodeTimesOutWithTypedCodesAndServesAgainWhenResumed() throws Exception {
        var config = TestNodes.config(dir.resolve("n1"));
        try (NodeProcess node = new NodeProcess(config).start();
             PartitaClient client = connect(node.clientAddress())) {
            client.put(key(1), Map.of("v", 1L));
            node.signal("STOP");
            Policy quick = Policy.builder().timeoutMs(300).build();
            PartitaException read = assertThrows(PartitaException.class, () -> client.get(quick, key(1)));
            assertEquals(ResultCode.TIMEOUT, read.resultCode());
            assertFalse(read.inDoubt(), "a read that timed out changed nothing");
            PartitaException write = assertThrows(PartitaException.class, () ->
                    client.put(WritePolicy.builder().timeoutMs(300).build(), key(2), Map.of("v", 2L)));
            assertEquals(ResultCode.TIMEOUT, write.resultCode());
            assertTrue(write.inDoubt(), "a write that timed out after being sent is in doubt");
            node.signal("CONT");
            assertEquals(1L, client.get(key(1)).getLong("v"));
            assertEquals(2, client.put(key(1), Map.of("v", 3L)));
        }
    }

    @Test
    void badConfigurationEndsTheProcessWithOneLineAndExitCode2() throws Exception {
        Path conf = dir.resolve("bad.yaml");
        Files.writeString(conf, "node-id: n1\nraft-groups: 0\n");
        Path log = dir.resolve("bad.log");
        Process p = NodeProcess.launch(conf, log);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
        String out = Files.readString(log).strip();
        assertFalse(out.contains("\n"), "one line, no stack trace: " + out);
        assertTrue(out.contains("raft-groups") && out.contains("0"), out);
    }
}
