package io.partita.server.frontend;

import io.partita.protocol.Limits;
import io.partita.protocol.v1.ClusterMap;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.GroupInfo;
import io.partita.protocol.v1.NodeInfo;
import io.partita.protocol.v1.PlanGroup;
import io.partita.protocol.v1.PlanNode;
import io.partita.raft.group.GroupLayout;
import io.partita.raft.group.GroupOps;
import io.partita.server.cluster.ClusterRuntime;
import io.partita.server.cluster.Membership;
import java.util.Optional;

/**
 * The routing map this node serves to clients: nodes, groups and replicas come from the cluster plan (its version is
 * the map's version); each group's leader and term come from this node's replica of the group, if it has one.
 * Clients merge the maps of several nodes group by group, keeping the leader seen in the highest term.
 */
public final class ClusterMapView {
    private final Membership membership;

    public ClusterMapView(Membership membership) {
        this.membership = membership;
    }

    /** The current map, or empty while the node has not joined a cluster. */
    public Optional<ClusterMap> current() {
        ClusterRuntime runtime = membership.runtime();
        ClusterPlan plan = membership.plans().current().orElse(null);
        if (runtime == null || plan == null) {
            return Optional.empty();
        }
        GroupLayout layout = runtime.layout();
        ClusterMap.Builder map = ClusterMap.newBuilder()
                .setVersion(plan.getVersion())
                .setClusterId(plan.getClusterId())
                .setPartitionCount(Limits.PARTITION_COUNT)
                .setGroupCount(layout.groupCount())
                .addAllNamespaces(plan.getNamespacesCount() > 0 ? plan.getNamespacesList()
                        : membership.namespaceInfos());
        for (int p = 0; p < Limits.PARTITION_COUNT; p++) {
            map.addPartitionGroups(layout.groupOf(p));
        }
        String selfId = membership.config().nodeId();
        for (PlanNode n : plan.getNodesList()) {
            // This node's own address as bound now (a single node started on port 0 gets a new port each start).
            String address = n.getNodeId().equals(selfId) ? membership.self().clientAddress() : n.getClientAddress();
            map.addNodes(NodeInfo.newBuilder().setNodeId(n.getNodeId()).setClientAddress(address));
        }
        GroupOps groups = runtime.groupOps();
        for (PlanGroup pg : plan.getGroupsList()) {
            GroupInfo.Builder group = GroupInfo.newBuilder().setGroup(pg.getGroup())
                    .addAllReplicaNodeIds(pg.getReplicaNodeIdsList());
            // Without a replica here, other nodes' maps carry this group's leader.
            groups.leadership(pg.getGroup()).ifPresent(l -> {
                group.setTerm(l.term());
                if (l.leaderId() != null) {
                    group.setLeaderNodeId(l.leaderId());
                }
            });
            map.addGroups(group);
        }
        return Optional.of(map.build());
    }
}
