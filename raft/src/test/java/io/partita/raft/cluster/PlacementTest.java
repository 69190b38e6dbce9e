package io.partita.raft.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.PlanGroup;
import io.partita.protocol.v1.PlanNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PlacementTest {

    private static List<PlanNode> nodes(int n) {
        List<PlanNode> out = new ArrayList<>();
        for (int i = n; i >= 1; i--) { // out of order on purpose: placement sorts by id
            out.add(PlanNode.newBuilder().setNodeId("n" + i).setRaftAddress("h:" + i).setClientAddress("h:" + i)
                    .build());
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"3,3,16", "5,3,16", "4,2,64", "1,1,16", "7,3,256", "9,5,100"})
    void replicasAreDistinctAndPreferredLeadersAndReplicasAreSpreadEvenly(int n, int rf, int groups) {
        ClusterPlan plan = Placement.plan("c", nodes(n), groups, rf, 0);
        assertEquals(groups, plan.getGroupsCount());
        Map<String, Integer> leads = new HashMap<>();
        Map<String, Integer> holds = new HashMap<>();
        for (PlanGroup g : plan.getGroupsList()) {
            assertEquals(rf, g.getReplicaNodeIdsCount());
            assertEquals(rf, new HashSet<>(g.getReplicaNodeIdsList()).size(), "distinct replicas in " + g);
            leads.merge(g.getReplicaNodeIds(0), 1, Integer::sum);
            g.getReplicaNodeIdsList().forEach(id -> holds.merge(id, 1, Integer::sum));
        }
        int maxLeads = leads.values().stream().max(Integer::compare).orElse(0);
        assertTrue(maxLeads <= (groups + n - 1) / n, "preferred leaders " + leads);
        int spread = holds.values().stream().max(Integer::compare).orElse(0)
                - holds.values().stream().min(Integer::compare).orElse(0);
        assertTrue(spread <= rf, "replicas per node " + holds);
        assertEquals(Math.min(n, n >= 5 ? 5 : n >= 3 ? 3 : n), plan.getMetaNodeIdsCount());
        assertEquals("n1", plan.getNodes(0).getNodeId(), "nodes are listed in id order");
    }

    @Test
    void aFailedNodesGroupsFailOverToDifferentSurvivors() {
        ClusterPlan plan = Placement.plan("c", nodes(3), 16, 3, 0);
        Map<String, Integer> successors = new HashMap<>();
        for (PlanGroup g : plan.getGroupsList()) {
            if (g.getReplicaNodeIds(0).equals("n1")) {
                successors.merge(g.getReplicaNodeIds(1), 1, Integer::sum);
            }
        }
        assertEquals(2, successors.size(), "n1's groups have both survivors as next in line: " + successors);
    }

    @Test
    void refusesMoreCopiesThanNodesAndRepeatedIds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Placement.plan("c", nodes(2), 16, 3, 0));
        assertTrue(e.getMessage().contains("replication-factor 3 needs at least 3 nodes"), e.getMessage());
        List<PlanNode> twice = new ArrayList<>(nodes(2));
        twice.add(nodes(1).get(0));
        assertThrows(IllegalArgumentException.class, () -> Placement.plan("c", twice, 16, 1, 0));
    }

    @Test
    void autoGroupCountIsTwoPerNode() {
        assertEquals(2, Placement.autoGroupCount(1));
        assertEquals(6, Placement.autoGroupCount(3));
        assertEquals(10, Placement.autoGroupCount(5));
        assertEquals(4096, Placement.autoGroupCount(4000));
        assertThrows(IllegalArgumentException.class, () -> Placement.autoGroupCount(0));
    }
}
