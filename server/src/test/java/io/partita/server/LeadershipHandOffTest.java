package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.client.ClientConfig;
import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.PlanGroup;
import io.partita.raft.group.RaftHost;
import io.partita.server.cluster.Leadership;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A planned stop hands leadership off (every group the node led gets a caught-up follower as leader while the node
 * still answers), and the node, once back, takes back the leaderships the plan gives it.
 */
class LeadershipHandOffTest {
    private static final int GROUPS = 6;

    @TempDir
    Path dir;

    @Test
    void aNodeHandsItsLeadershipsOffAndTakesThemBackAfterARestart() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3, 3, GROUPS)) {
            cluster.awaitReady(Duration.ofSeconds(60));
            // A node that does not lead the metadata group: a new metadata leader re-applies the plan's priorities
            // to every group by itself, which would hide whether the node restores its own.
            int n = 0;
            while (cluster.node(n).raft().leadsMeta()) {
                n++;
            }
            Set<Integer> preferred = preferredGroups(cluster.node(n));
            assertFalse(preferred.isEmpty(), "placement makes every node the preferred leader of some groups");
            awaitLeads(cluster.node(n), preferred, Duration.ofSeconds(30));

            List<Leadership.Outcome> outcomes = cluster.node(n).handOffLeadership(Duration.ofSeconds(30));

            assertTrue(outcomes.size() >= preferred.size(), "one outcome per group led: " + outcomes);
            for (Leadership.Outcome o : outcomes) {
                assertTrue(o.handed(), "handed off: " + o);
            }
            RaftHost host = cluster.node(n).raft();
            for (var id : host.hostedGroups()) {
                assertFalse(host.leads(id), "the node leads no group after the hand-off: " + id);
            }
            try (PartitaClient client = PartitaClient.connect(ClientConfig.builder()
                    .seeds(cluster.clientAddresses().toArray(String[]::new)).build())) {
                for (int i = 0; i < 50; i++) {
                    assertEquals(1, client.put(new Key("test", "handoff", "k" + i), Map.of("v", (long) i)));
                }
            }

            cluster.stop(n);
            Node back = cluster.restart(n);
            // The hand-off left n1 the lowest priority in those groups; back and caught up, it restores the plan's.
            awaitLeads(back, preferred, Duration.ofSeconds(60));
        }
    }

    @Test
    void theMetadataLeaderHandsOffAndItsSuccessorDoesNotHandLeadershipBack() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3, 3, GROUPS)) {
            cluster.awaitReady(Duration.ofSeconds(60));
            int n = -1;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (n < 0 && System.nanoTime() < deadline) {
                for (int i = 0; i < 3; i++) {
                    if (cluster.node(i).raft().leadsMeta()) {
                        n = i;
                    }
                }
                Thread.sleep(100);
            }
            assertTrue(n >= 0, "a metadata leader");
            awaitLeads(cluster.node(n), preferredGroups(cluster.node(n)), Duration.ofSeconds(30));

            for (Leadership.Outcome o : cluster.node(n).handOffLeadership(Duration.ofSeconds(30))) {
                assertTrue(o.handed(), "handed off: " + o);
            }
            // The new metadata leader's rebalancer runs every second; the node, about to stop, must stay without
            // leaderships (before, a new metadata leader applied the plan's leader order to every group again).
            Thread.sleep(6_000);
            RaftHost host = cluster.node(n).raft();
            for (var id : host.hostedGroups()) {
                assertFalse(host.leads(id), "the node leads no group after the hand-off: " + id);
            }
        }
    }

    /** The data groups whose first replica in the plan is this node. */
    private static Set<Integer> preferredGroups(Node node) {
        ClusterPlan plan = node.membership().plans().current().orElseThrow();
        Set<Integer> groups = new TreeSet<>();
        for (PlanGroup g : plan.getGroupsList()) {
            if (g.getReplicaNodeIds(0).equals(node.config().nodeId())) {
                groups.add((int) g.getGroup());
            }
        }
        return groups;
    }

    private static void awaitLeads(Node node, Set<Integer> groups, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Set<Integer> led = new TreeSet<>();
            for (int g : groups) {
                if (node.raft().isLeader(g)) {
                    led.add(g);
                }
            }
            if (led.equals(groups)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(node.config().nodeId() + " leads " + led + " of its preferred groups "
                        + groups + " after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
    }
}
