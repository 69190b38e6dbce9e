package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.Record;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.PlanGroup;
import io.partita.server.cluster.PlanView;
import io.partita.server.cluster.SeedWatcher;
import io.partita.server.config.NodeConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code auto-join: true}: a fourth node started with the members as seeds joins the running 3-node cluster by itself
 * (no {@code node add}), the rebalancer moves replicas onto it, and a record written before stays readable through it.
 * A node whose namespaces differ from the cluster's is refused by the seed; it stays out and logs the seed's reason
 * once, however often it asks again.
 */
class AutoJoinClusterTest {

    @TempDir
    Path dir;

    @Test
    void aNodeWithSeedsAndAutoJoinBecomesAMemberAndReceivesReplicas() throws Exception {
        Logger seedLog = (Logger) LoggerFactory.getLogger(SeedWatcher.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        seedLog.addAppender(logged);
        // n4 joins by itself; n5 asks too but keeps other namespaces, so the seeds refuse it.
        try (TestCluster cluster = TestCluster.startFirst(dir, 5, 3, 3, ElasticClusterTest.GROUPS, c -> switch (
                c.nodeId()) {
                    case "n4" -> c.withAutoJoin(true);
                    case "n5" -> c.withAutoJoin(true).withNamespaces(List.of(
                            new NodeConfig.NamespaceConfig("other", 3, 0, 1 << 20)));
                    default -> c;
                });
             PartitaClient client = PartitaClient.connect(cluster.clientAddress(0), cluster.clientAddress(1))) {
            Key key = new Key("test", "autojoin", "before");
            client.put(key, Map.of("v", 42L));
            ClusterPlan before = ElasticClusterTest.plan(cluster);
            assertEquals(3, before.getNodesCount());

            cluster.restart(4);
            long n5Started = System.nanoTime();
            cluster.restart(3);

            ClusterPlan grown = ElasticClusterTest.awaitPlan(cluster, p -> PlanView.node(p, "n4").isPresent()
                    && ElasticClusterTest.settled(p) && ElasticClusterTest.imbalance(p, 4) == null);
            ElasticClusterTest.awaitHostingAsPlanned(cluster, 4);
            assertEquals(List.of("n1", "n2", "n3", "n4"), grown.getNodesList().stream().map(n -> n.getNodeId())
                    .sorted().toList());
            long onN4 = grown.getGroupsList().stream().filter(g -> g.getReplicaNodeIdsList().contains("n4")).count();
            assertTrue(onN4 >= 4, "n4 holds " + onN4 + " replicas: " + grown.getGroupsList());
            long moved = 0;
            for (int i = 0; i < 4; i++) {
                moved += cluster.node(i).metrics().registry().counter("partita.rebalance.moves_completed").getCount();
            }
            assertTrue(moved >= onN4, moved + " moves completed for " + onN4 + " replicas on n4");
            for (PlanGroup g : grown.getGroupsList()) {
                assertTrue(g.getMove().getFromNodeId().isEmpty(), "no move in progress: " + g);
            }
            assertTrue(cluster.node(3).membership().plans().current().isPresent(), "n4 holds the plan");

            try (PartitaClient throughN4 = PartitaClient.connect(cluster.clientAddress(3))) {
                Record r = throughN4.get(key);
                assertTrue(r != null, "the record written before n4 joined is readable");
                assertEquals(42L, r.getLong("v"));
            }

            // n5 asked at every poll (2 s) throughout and was refused each time, for the same reason.
            long polls = 3;
            Thread.sleep(Math.max(0, polls * 2_000 + 1_000 - (System.nanoTime() - n5Started) / 1_000_000));
            assertFalse(cluster.node(4).membership().plans().current().isPresent(), "n5 has no plan");
            assertTrue(PlanView.node(ElasticClusterTest.plan(cluster), "n5").isEmpty(), "n5 is not a member");
            List<String> refusals = logged.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("refused to add node n5")).toList();
            assertEquals(1, refusals.size(), refusals::toString);
            assertTrue(refusals.get(0).contains("PARAMETER_ERROR: node n5 has other namespaces than the cluster"),
                    refusals.get(0));
            assertTrue(logged.list.stream().noneMatch(e -> e.getFormattedMessage().contains("node n4")
                    && e.getFormattedMessage().contains("refused")), "n4 was never refused");
        } finally {
            seedLog.detachAppender(logged);
        }
    }
}
