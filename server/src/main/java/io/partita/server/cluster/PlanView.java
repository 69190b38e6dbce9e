package io.partita.server.cluster;

import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.Move;
import io.partita.protocol.v1.PlanGroup;
import io.partita.protocol.v1.PlanNode;
import io.partita.raft.group.NodeAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Lookups on a {@link ClusterPlan}. */
public final class PlanView {
    private PlanView() {
    }

    public static Optional<PlanNode> node(ClusterPlan plan, String nodeId) {
        for (PlanNode n : plan.getNodesList()) {
            if (n.getNodeId().equals(nodeId)) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    public static NodeAddress address(ClusterPlan plan, String nodeId) {
        return address(node(plan, nodeId).orElseThrow(() -> new IllegalArgumentException(
                "cluster plan version " + plan.getVersion() + " names node " + nodeId + " but does not list it")));
    }

    /** Whether a plan entry records a node at these addresses (where it runs now, or describes itself). */
    public static boolean recordsAt(PlanNode n, String raftAddress, String clientAddress) {
        return n.getRaftAddress().equals(raftAddress) && n.getClientAddress().equals(clientAddress);
    }

    private static NodeAddress address(PlanNode n) {
        return new NodeAddress(n.getNodeId(), n.getRaftAddress(), n.getClientAddress());
    }

    public static List<NodeAddress> addresses(ClusterPlan plan, List<String> nodeIds) {
        List<NodeAddress> out = new ArrayList<>(nodeIds.size());
        for (String id : nodeIds) {
            out.add(address(plan, id));
        }
        return out;
    }

    public static boolean replicates(ClusterPlan plan, int group, String nodeId) {
        PlanGroup g = plan.getGroups(group);
        return g.getReplicaNodeIdsList().contains(nodeId);
    }

    /** Whether a move (possibly unset) brings a replica to {@code nodeId}. */
    public static boolean movesTo(Move move, String nodeId) {
        return !move.getToNodeId().isEmpty() && move.getToNodeId().equals(nodeId);
    }

    public static boolean inMetaGroup(ClusterPlan plan, String nodeId) {
        return plan.getMetaNodeIdsList().contains(nodeId);
    }

    /**
     * The members of the metadata group as {@code plans} name them, in order and without repeats: the ones an
     * earlier plan names are asked first, a later plan's may have replaced them since.
     */
    public static List<NodeAddress> metaMembers(ClusterPlan... plans) {
        java.util.Map<String, NodeAddress> out = new java.util.LinkedHashMap<>();
        for (ClusterPlan plan : plans) {
            for (String id : plan.getMetaNodeIdsList()) {
                out.putIfAbsent(id, address(plan, id));
            }
        }
        return List.copyOf(out.values());
    }

    /**
     * Every node the plan lists, {@code self} where it actually runs: a node restarted at a new address knows it
     * before the plan records it.
     */
    public static List<NodeAddress> addressesWithSelf(ClusterPlan plan, NodeAddress self) {
        List<NodeAddress> out = new ArrayList<>(plan.getNodesCount());
        for (PlanNode n : plan.getNodesList()) {
            out.add(n.getNodeId().equals(self.nodeId()) ? self : address(n));
        }
        return out;
    }

    /** The plan without its users and token key: what a caller that is not a node of the cluster may see. */
    public static ClusterPlan withoutUsers(ClusterPlan plan) {
        return plan.hasSecurity() ? plan.toBuilder().clearSecurity().build() : plan;
    }
}
