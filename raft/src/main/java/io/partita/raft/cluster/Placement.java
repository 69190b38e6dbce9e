package io.partita.raft.cluster;

import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.PlanGroup;
import io.partita.protocol.v1.PlanNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Places every Raft group's replicas on distinct nodes so that replicas and preferred leaders are spread evenly.
 *
 * <p>Nodes are taken in id order. Group {@code g}'s preferred leader is node {@code g mod n}; the remaining replicas
 * follow in an order that rotates with {@code g / n}, so when a node fails its groups' leadership (which moves to the
 * second replica) is shared among the survivors instead of landing on one neighbour.
 */
public final class Placement {
    /** The metadata group has 5 members from 5 nodes on, 3 from 3 nodes on, otherwise every node. */
    static int metaGroupSize(int nodeCount) {
        return nodeCount >= 5 ? 5 : nodeCount >= 3 ? 3 : nodeCount;
    }

    /** Raft groups per node of a cluster created with {@code raft-groups: auto}: see {@link #autoGroupCount}. */
    public static final int AUTO_GROUPS_PER_NODE = 2;

    private Placement() {
    }

    /**
     * The group count of a cluster created with {@code raft-groups: auto}: {@value #AUTO_GROUPS_PER_NODE} per node it
     * is created with, so every node leads that many groups. Few groups per node is what makes writes cheap: a log
     * entry costs about the same Raft work (an fsync on every replica, an append and its reply per follower) however
     * many writes it carries, and group commit packs the writes waiting for one group into one entry, so the fewer
     * groups the same writes are spread over, the fuller their entries (bench/RESULTS.md, issue 10). More than one
     * per node leaves room to spread groups over nodes added later.
     */
    public static int autoGroupCount(int nodeCount) {
        if (nodeCount < 1) {
            throw new IllegalArgumentException("a cluster has at least one node, got " + nodeCount);
        }
        return Math.min(io.partita.protocol.Limits.PARTITION_COUNT, AUTO_GROUPS_PER_NODE * nodeCount);
    }

    /**
     * A version-1 plan for a new cluster.
     *
     * @throws IllegalArgumentException if the nodes cannot hold {@code replicationFactor} distinct copies, or ids
     *                                  repeat
     */
    public static ClusterPlan plan(String clusterId, List<PlanNode> nodes, int groupCount, int replicationFactor,
                                   long createdMs) {
        List<PlanNode> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparing(PlanNode::getNodeId));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).getNodeId().equals(sorted.get(i - 1).getNodeId())) {
                throw new IllegalArgumentException("two nodes have node-id '" + sorted.get(i).getNodeId()
                        + "'; every node needs its own node-id");
            }
        }
        int n = sorted.size();
        if (replicationFactor < 1 || replicationFactor > n) {
            throw new IllegalArgumentException("replication-factor " + replicationFactor + " needs at least "
                    + replicationFactor + " nodes, but the cluster has " + n
                    + "; add nodes or lower the namespaces' replication-factor");
        }
        ClusterPlan.Builder plan = ClusterPlan.newBuilder()
                .setClusterId(clusterId)
                .setVersion(1)
                .setGroupCount(groupCount)
                .setReplicationFactor(replicationFactor)
                .setCreatedMs(createdMs)
                .addAllNodes(sorted);
        for (int g = 0; g < groupCount; g++) {
            plan.addGroups(PlanGroup.newBuilder().setGroup(g).addAllReplicaNodeIds(replicas(sorted, g,
                    replicationFactor)));
        }
        for (int i = 0; i < metaGroupSize(n); i++) {
            plan.addMetaNodeIds(sorted.get(i).getNodeId());
        }
        return plan.build();
    }

    private static List<String> replicas(List<PlanNode> sorted, int group, int replicationFactor) {
        int n = sorted.size();
        int first = group % n;
        List<String> out = new ArrayList<>(replicationFactor);
        out.add(sorted.get(first).getNodeId());
        int others = n - 1;
        int rotation = others == 0 ? 0 : (group / n) % others;
        for (int k = 0; k < replicationFactor - 1; k++) {
            int step = 1 + (rotation + k) % others;
            out.add(sorted.get((first + step) % n).getNodeId());
        }
        return out;
    }
}
