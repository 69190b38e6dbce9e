package io.partita.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.NamespaceInfo;
import io.partita.protocol.v1.PlanNode;
import io.partita.raft.cluster.Placement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanSummaryTest {

    private static ClusterPlan plan(int nodes, int rf) {
        List<PlanNode> list = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            list.add(PlanNode.newBuilder().setNodeId("n" + i).setClientAddress("127.0.0.1:" + (7297 + 3 * i))
                    .setRaftAddress("127.0.0.1:" + (7298 + 3 * i)).build());
        }
        return Placement.plan("c-42", list, 16, rf, 1_700_000_000_000L).toBuilder()
                .addNamespaces(NamespaceInfo.newBuilder().setName("test").setReplicationFactor(rf)).build();
    }

    @Test
    void createdClusterOfThree() {
        List<String> lines = PlanSummary.lines(plan(3, 3), false);
        assertEquals(List.of(
                "Created cluster c-42: 3 nodes, 16 groups, replication factor 3.",
                "",
                "  NODE  CLIENT ADDRESS  REPLICA OF  PREFERRED LEADER OF  METADATA GROUP",
                "  n1    127.0.0.1:7300  16 groups   6 groups             member",
                "  n2    127.0.0.1:7303  16 groups   5 groups             member",
                "  n3    127.0.0.1:7306  16 groups   5 groups             member",
                "",
                "Metadata group: n1, n2, n3 (3 members)",
                "Namespaces:     test"), lines);
    }

    @Test
    void alreadyInitializedSaysNothingChanged() {
        String first = PlanSummary.lines(plan(3, 3), true).get(0);
        assertEquals("Cluster c-42 is already initialized (plan version 1, created 2023-11-14T22:13:20Z): 3 nodes, "
                + "16 groups, replication factor 3. Nothing was changed.", first);
    }

    @Test
    void sharesAddUp() {
        ClusterPlan p = plan(5, 3);
        var shares = PlanSummary.shares(p);
        assertEquals(16 * 3, shares.values().stream().mapToInt(PlanSummary.NodeShare::replicaOf).sum());
        assertEquals(16, shares.values().stream().mapToInt(PlanSummary.NodeShare::preferredLeaderOf).sum());
        List<String> lines = PlanSummary.lines(p, false);
        assertTrue(lines.contains("Metadata group: n1, n2, n3, n4, n5 (5 members)"), lines.toString());
    }
}
