package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.PartitaException;
import io.partita.client.Policy;
import io.partita.client.Record;
import io.partita.raft.cluster.ReadmissionFile;
import io.partita.raft.group.RaftHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.ratis.protocol.RaftGroupId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raft "amnesia": a node that lost its disk must not count in any majority until it has caught up again. The
 * issue's reproduction, with in-process nodes and one group: K is acknowledged by n1 and n2 only; n2 then loses its
 * data and n1 stops. n3 (which never saw K) and the wiped n2 together are a majority of the old configuration, but
 * they must not elect a leader: K exists only on n1. Once n1 is back, K is read again and n2 is rebuilt.
 */
class WipedNodeVoteTest {
    @TempDir
    Path root;

    @Test
    void aWipedNodeDoesNotHelpElectALeaderThatLacksAnAcknowledgedWrite() throws Exception {
        try (TestCluster cluster = TestCluster.start(root, 3, 3, 1)) {
            Key key = new Key("test", "s", "K");
            // Ratis never counts the vote of a replica with an empty log: n3 must hold its groups' first entries, or
            // no majority could form without the wiped node even once n1 is back.
            awaitEntries(cluster.node(2));
            cluster.stop(2); // n3 misses K
            try (PartitaClient client = PartitaClient.connect(cluster.clientAddress(0), cluster.clientAddress(1))) {
                client.put(key, Map.of("v", 1L));
            }
            Path n2Data = cluster.config(1).dataDir();
            cluster.stop(1);
            WipeAndRejoinTest.deleteRecursively(n2Data);
            cluster.stop(0);

            cluster.restart(2);
            Node wiped = cluster.restart(1);
            // Give the wiped node time to take the plan from n3 (seeds are polled every 2 s) and n3 time to campaign.
            long until = System.nanoTime() + Duration.ofSeconds(12).toNanos();
            Policy quick = Policy.builder().timeoutMs(1_500).attemptTimeoutMs(1_000).build();
            int answered = 0;
            try (PartitaClient client = PartitaClient.connect(cluster.clientAddress(2), cluster.clientAddress(1))) {
                while (System.nanoTime() < until) {
                    try {
                        Record r = client.get(quick, key);
                        answered++;
                        if (r == null) {
                            fail("an acknowledged write was lost: n3 and the wiped n2 elected a leader without K");
                        }
                    } catch (PartitaException expected) {
                        // No leader: the only majority that holds K needs n1.
                    }
                    Thread.sleep(200);
                }
            }
            assertEquals(0, answered, "no group leader can exist without n1");
            assertTrue(wiped.membership().runtime() != null, "the wiped node took the plan from n3");

            cluster.restart(0);
            cluster.awaitReady(Duration.ofSeconds(60));
            try (PartitaClient client = PartitaClient.connect(cluster.clientAddress(0))) {
                Policy patient = Policy.builder().timeoutMs(30_000).build();
                Record r = client.get(patient, key);
                assertNotNull(r, "K is back with n1");
                assertEquals(1L, r.getLong("v"));
            }
            // The wiped node is taken back into the group once it has caught up: it then holds K too.
            WipeAndRejoinTest.awaitFullReplication(cluster, "n2", 1, Duration.ofSeconds(60));
            assertNotNull(cluster.node(1).store().group(0).read("test",
                    io.partita.protocol.KeyDigest.compute("s", "K"), System.currentTimeMillis()));
        }
    }

    /**
     * Re-admission outlives restarts: while a group cannot drop the wiped node (one of its other replicas is down),
     * the node records the group as pending, keeps it unhosted across a restart, and finishes once the group can.
     */
    @Test
    void aPendingReadmissionIsRecordedAndResumedAfterARestart() throws Exception {
        try (TestCluster cluster = TestCluster.start(root, 3, 3, 2)) {
            try (PartitaClient client = PartitaClient.connect(cluster.clientAddress(0))) {
                client.put(new Key("test", "s", "a"), Map.of("v", 1L));
            }
            awaitEntries(cluster.node(2));
            Path n2Data = cluster.config(1).dataDir();
            cluster.stop(1);
            WipeAndRejoinTest.deleteRecursively(n2Data);
            cluster.stop(2); // removing n2 needs both n1 and n3: no group can drop it now

            Node wiped = cluster.restart(1);
            Path pending = n2Data.resolve(ReadmissionFile.FILE_NAME);
            awaitTrue(() -> Files.exists(pending), Duration.ofSeconds(30), "the wiped node records what it must rejoin");
            assertEquals(List.of("partita-readmission 1", "meta", "0", "1"), Files.readAllLines(pending));
            Thread.sleep(3_000);
            assertFalse(wiped.raft().hosts(wiped.raft().layout().raftGroupId(0)), "no group is hosted before it"
                    + " has dropped the node");

            cluster.stop(1);
            Node restarted = cluster.restart(1); // a restart in the middle keeps the pending groups
            assertTrue(Files.exists(pending));
            assertFalse(restarted.raft().hosts(restarted.raft().layout().raftGroupId(1)));
            assertTrue(restarted.membership().runtime().recovery().pending(1));

            cluster.restart(2);
            assertTrue(restarted.awaitReady(Duration.ofSeconds(90)), "re-admitted once n3 is back");
            assertFalse(Files.exists(pending), "nothing left pending");
            WipeAndRejoinTest.awaitFullReplication(cluster, "n2", 2, Duration.ofSeconds(60));
        }
    }

    /** Waits until every replica of {@code node} (the metadata group's too) holds at least one log entry. */
    private static void awaitEntries(Node node) throws Exception {
        RaftHost host = node.raft();
        List<RaftGroupId> groups = new java.util.ArrayList<>(List.of(host.layout().metaGroupId()));
        for (int g = 0; g < host.layout().groupCount(); g++) {
            groups.add(host.layout().raftGroupId(g));
        }
        for (RaftGroupId id : groups) {
            awaitTrue(() -> {
                try {
                    return host.division(id).getRaftLog().getLastEntryTermIndex() != null;
                } catch (java.io.IOException e) {
                    return false;
                }
            }, Duration.ofSeconds(30), node.config().nodeId() + " receives the first entry of " + id);
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(100);
        }
    }
}
