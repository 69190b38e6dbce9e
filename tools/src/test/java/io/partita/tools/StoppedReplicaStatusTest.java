package io.partita.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.engine.storage.StorageFaults;
import io.partita.raft.group.ReplicaHealth;
import io.partita.server.Node;
import io.partita.tools.CliRunner.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code partita status} against three in-process nodes after a real RocksDB error stopped one follower's replica
 * of a group (its column family dropped, so its next apply throws and Ratis closes the replica): the group still
 * has its leader, but status names the stopped replica per group and exits 1.
 */
class StoppedReplicaStatusTest {
    @TempDir
    Path root;

    @Test
    @Timeout(240)
    void statusShowsTheStoppedReplicaAndExits1() throws Exception {
        try (InProcessCluster cluster = InProcessCluster.start(root, 3, 3, 2);
             PartitaClient client = PartitaClient.connect(cluster.addresses().get(0))) {
            Key key = new Key("test", "s", "frozen");
            int group = cluster.node(0).raft().layout().groupOf(key.partitionId());
            int f = 0;
            while (cluster.node(f).raft().division(group).getInfo().isLeader()) {
                f++;
            }
            Node follower = cluster.node(f);
            client.put(key, Map.of("v", 1L));
            await(() -> follower.store().group(group).read("test", key.digest(), System.currentTimeMillis()) != null);
            StorageFaults.dropColumnFamily(follower.store().group(group));
            client.put(key, Map.of("v", 2L));
            await(() -> follower.raft().replicaHealth(group).state() == ReplicaHealth.State.STOPPED);

            String id = "n" + (f + 1);
            Result r = CliRunner.run("status", "--hosts", cluster.hosts());
            assertEquals(1, r.exitCode(), r::toString);
            assertTrue(r.out().contains(id + "'s replica of group " + group + " is stopped (applying log entry"), r.out());
            assertTrue(r.out().contains("  " + id + "  group " + group + ": replica STOPPED at applied index "), r.out());
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  " + id + " ") && l.contains("replica stopped")),
                    r.out());
            assertTrue(r.out().contains("Groups with a leader: 2/2"), r.out());

            JsonNode json = new ObjectMapper().readTree(CliRunner.run("status", "--json", "--hosts", cluster.hosts())
                    .out());
            assertTrue(!json.get("healthy").asBoolean(), json::toString);
            boolean listed = false;
            for (JsonNode l : json.get("lagging")) {
                if (l.get("group").asInt() == group && l.get("node_id").asText().equals(id)) {
                    assertEquals("stopped", l.get("reason").asText());
                    listed = true;
                }
            }
            assertTrue(listed, json::toString);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(20);
        }
    }
}
