package io.partita.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The directory behind Ratis peer names: the newest plan wins, and a node a plan drops keeps its last address. */
class PeerAddressesTest {
    private final String cluster = UUID.randomUUID().toString();

    private static NodeAddress at(String id, String raft) {
        return new NodeAddress(id, raft, "unused:1");
    }

    @Test
    void aPeerIsNamedByClusterAndNodeIdNotByAddress() {
        assertEquals("partita://" + cluster + "/n1", PeerAddresses.target(cluster, "n1"));
    }

    @Test
    void theNewestPlanWinsAndAnOlderOneArrivingLateChangesNothing() {
        PeerAddresses.learn(cluster, 3, List.of(at("n1", "10.0.0.1:7301"), at("n2", "10.0.0.2:7301")));
        PeerAddresses.learn(cluster, 5, List.of(at("n1", "10.0.0.9:7301")));
        PeerAddresses.learn(cluster, 4, List.of(at("n1", "10.0.0.4:7301")));
        assertEquals("10.0.0.9:7301", PeerAddresses.lookup(cluster, "n1"));
        assertEquals("10.0.0.2:7301", PeerAddresses.lookup(cluster, "n2"), "dropped by plan 5: last address kept");
        assertNull(PeerAddresses.lookup(cluster, "n3"));
        assertNull(PeerAddresses.lookup(UUID.randomUUID().toString(), "n1"), "another cluster knows nothing");
    }

    @Test
    void aNodesOwnAddressIsOnlyAFallbackBehindAnyPlan() {
        PeerAddresses.learn(cluster, 1, List.of(at("n1", "10.0.0.1:7301")));
        PeerAddresses.learnSelf(cluster, at("n1", "10.0.0.7:7301"));
        PeerAddresses.learnSelf(cluster, at("n2", "10.0.0.2:7301"));
        assertEquals("10.0.0.1:7301", PeerAddresses.lookup(cluster, "n1"));
        assertEquals("10.0.0.2:7301", PeerAddresses.lookup(cluster, "n2"));
    }
}
