package io.partita.tools.cli;

import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.NamespaceInfo;
import io.partita.protocol.v1.PlanGroup;
import io.partita.protocol.v1.PlanNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A cluster plan for people: what {@code partita cluster init} prints. */
public final class PlanSummary {
    private PlanSummary() {
    }

    /** Groups per node: how many it replicates and how many it is the preferred leader of. */
    record NodeShare(int replicaOf, int preferredLeaderOf) {
    }

    static Map<String, NodeShare> shares(ClusterPlan plan) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (PlanNode n : plan.getNodesList()) {
            counts.put(n.getNodeId(), new int[2]);
        }
        for (PlanGroup g : plan.getGroupsList()) {
            List<String> replicas = g.getReplicaNodeIdsList();
            for (int i = 0; i < replicas.size(); i++) {
                int[] c = counts.computeIfAbsent(replicas.get(i), k -> new int[2]);
                c[0]++;
                if (i == 0) {
                    c[1]++;
                }
            }
        }
        Map<String, NodeShare> out = new LinkedHashMap<>();
        counts.forEach((id, c) -> out.put(id, new NodeShare(c[0], c[1])));
        return out;
    }

    /**
     * The summary lines.
     *
     * @param alreadyInitialized whether the hosts formed this cluster before (nothing was changed)
     */
    public static List<String> lines(ClusterPlan plan, boolean alreadyInitialized) {
        List<String> out = new ArrayList<>();
        String shape = plan.getNodesCount() + (plan.getNodesCount() == 1 ? " node, " : " nodes, ")
                + plan.getGroupCount() + (plan.getGroupCount() == 1 ? " group, " : " groups, ")
                + "replication factor " + plan.getReplicationFactor();
        if (alreadyInitialized) {
            out.add("Cluster " + plan.getClusterId() + " is already initialized (plan version " + plan.getVersion()
                    + ", created " + Instant.ofEpochMilli(plan.getCreatedMs()).truncatedTo(ChronoUnit.SECONDS)
                    + "): " + shape + ". Nothing was changed.");
        } else {
            out.add("Created cluster " + plan.getClusterId() + ": " + shape + ".");
        }
        out.add("");
        Map<String, NodeShare> shares = shares(plan);
        TextTable t = new TextTable("NODE", "CLIENT ADDRESS", "REPLICA OF", "PREFERRED LEADER OF", "METADATA GROUP");
        for (PlanNode n : plan.getNodesList()) {
            NodeShare s = shares.get(n.getNodeId());
            t.row(n.getNodeId(), n.getClientAddress(), groups(s.replicaOf()), groups(s.preferredLeaderOf()),
                    plan.getMetaNodeIdsList().contains(n.getNodeId()) ? "member" : "-");
        }
        out.addAll(t.lines("  "));
        out.add("");
        out.add("Metadata group: " + String.join(", ", plan.getMetaNodeIdsList()) + " ("
                + plan.getMetaNodeIdsCount() + (plan.getMetaNodeIdsCount() == 1 ? " member)" : " members)"));
        if (plan.getNamespacesCount() > 0) {
            out.add("Namespaces:     " + plan.getNamespacesList().stream().map(NamespaceInfo::getName)
                    .collect(Collectors.joining(", ")));
        }
        return out;
    }

    private static String groups(int n) {
        return n + (n == 1 ? " group" : " groups");
    }
}
