package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partita.client.ClientConfig;
import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.Policy;
import io.partita.client.ReadMode;
import io.partita.client.WritePolicy;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client finds the new leader by itself when the node it talks to goes away. */
class ClientFailoverTest {
    private static final int GROUPS = 16;

    @TempDir
    Path dir;

    @Test
    void killingTheNodeTheClientTalksToLeavesTheNextCallsWorking() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3, 3, GROUPS);
             // The client knows only n1 as a seed, and n1 leads the key's group: n1 is the node it talks to.
             // A generous budget: the point is that calls succeed without a new client, on a loaded machine too.
             PartitaClient client = PartitaClient.connect(ClientConfig.builder().seeds(cluster.clientAddress(0))
                     .defaultPolicy(Policy.builder().timeoutMs(15_000).build())
                     .defaultWritePolicy(WritePolicy.builder().timeoutMs(15_000).build()).build())) {
            Key key = keyLedBy(cluster, 0);
            assertEquals(1, client.put(key, Map.of("v", 1L)));

            cluster.stop(0);

            assertEquals(2, client.put(key, Map.of("v", 2L)), "the write goes to the new leader");
            assertEquals(2L, client.get(key).getLong("v"));
            Policy replica = Policy.builder().timeoutMs(15_000).readMode(ReadMode.ANY_REPLICA).build();
            assertEquals(2, client.get(replica, key).generation(), "a surviving replica has the write");
        }
    }

    private static int groupOf(Key key) {
        return key.partitionId() % GROUPS;
    }

    private static Key keyLedBy(TestCluster cluster, int node) {
        for (int i = 0; ; i++) {
            Key key = new Key("test", "failover", "key-" + i);
            if (cluster.node(node).raft().isLeader(groupOf(key))) {
                return key;
            }
        }
    }
}
