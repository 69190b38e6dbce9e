package io.partita.server.cluster;

import io.partita.protocol.HostPort;
import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.AddNodeResponse;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.DecommissionNodeResponse;
import io.partita.protocol.v1.NamespaceInfo;
import io.partita.protocol.v1.NodeDescription;
import io.partita.protocol.v1.NodeState;
import io.partita.protocol.v1.PlanNode;
import io.partita.server.config.NodeConfig;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator's membership changes: adding a node that waits to join ({@code partita node add}) and starting to
 * drain one ({@code partita node decommission}). Each is a new plan version; the rebalancer
 * ({@link Rebalancer}) then moves the replicas.
 */
public final class NodeChanges {
    private static final Logger LOG = LoggerFactory.getLogger(NodeChanges.class);

    private final PlanChanges plans;
    private final Peers peers;

    public NodeChanges(PlanChanges plans, Peers peers) {
        this.plans = plans;
        this.peers = peers;
    }

    /** Thrown for a change that cannot be made as asked; the message says why and what to do. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    public AddNodeResponse add(String address) {
        AddNodeResponse.Builder r = AddNodeResponse.newBuilder();
        try {
            if (!HostPort.isValid(address)) { // else the describe below would wait for a node that cannot exist
                throw new Refused("'" + address + "' is not a host:port client address (e.g. 10.0.0.4:7300)");
            }
            NodeDescription d;
            try {
                d = peers.describePatiently(address);
            } catch (RuntimeException e) {
                String why = Peers.failure(e);
                throw new Refused("cannot reach a node at " + address + " (" + why + "); start it with this"
                        + " cluster's nodes as seeds and give its client address");
            }
            boolean[] already = new boolean[1];
            boolean[] moved = new boolean[1];
            ClusterPlan plan = plans.update(current -> {
                try {
                    PlanNode joining = checkJoining(current, d);
                    already[0] = joining == null;
                    moved[0] = joining != null && PlanView.node(current, joining.getNodeId()).isPresent();
                    return joining == null ? current : withNode(current, joining);
                } catch (Refused e) {
                    throw new RefusedChange(e);
                }
            });
            if (moved[0]) {
                LOG.info("Node {} now runs at {} (raft {}); plan version {} records it", d.getNodeId(), address,
                        d.getRaftAddress(), plan.getVersion());
            } else if (!already[0]) {
                LOG.info("Node {} ({}) joins cluster {} in plan version {}", d.getNodeId(), address,
                        plan.getClusterId(), plan.getVersion());
            }
            return r.setStatus(ClusterInitializer.status(ResultCode.OK,
                            already[0] ? "already a member" : moved[0] ? "new address recorded" : "added"))
                    .setPlan(plan).setAlreadyMember(already[0]).build();
        } catch (Refused e) {
            return r.setStatus(ClusterInitializer.status(ResultCode.PARAMETER_ERROR, e.getMessage())).build();
        } catch (RefusedChange e) {
            return r.setStatus(ClusterInitializer.status(ResultCode.PARAMETER_ERROR, e.getCause().getMessage()))
                    .build();
        } catch (IOException e) {
            return r.setStatus(ClusterInitializer.status(ResultCode.TIMEOUT, e.getMessage())).build();
        }
    }

    /**
     * The node's new plan entry, or null if the plan already lists it as it is. A member that describes itself at
     * other addresses with this cluster's plan (it restarted with its data somewhere else) gets its entry updated:
     * a node is its id and its data, not its address.
     */
    static PlanNode checkJoining(ClusterPlan plan, NodeDescription d) throws Refused {
        String id = d.getNodeId();
        if (d.hasPlan() && !d.getPlan().getClusterId().equals(plan.getClusterId())) {
            throw new Refused("node " + id + " belongs to cluster " + d.getPlan().getClusterId() + ", not "
                    + plan.getClusterId() + "; stop it and start it with an empty data-dir to add it here");
        }
        Optional<PlanNode> listed = PlanView.node(plan, id);
        if (listed.isPresent() && PlanView.recordsAt(listed.get(), d.getRaftAddress(), d.getClientAddress())) {
            return null;
        }
        if (listed.isPresent() && !d.hasPlan()) {
            throw new Refused("node-id " + id + " is taken by the member at " + listed.get().getRaftAddress()
                    + "; give the new node its own node-id");
        }
        if (d.getRaftAddress().endsWith(":0")) {
            throw new Refused("node " + id + " has raft-port 0; cluster members need a fixed listen.raft-port");
        }
        for (PlanNode n : plan.getNodesList()) {
            if (!n.getNodeId().equals(id) && n.getRaftAddress().equals(d.getRaftAddress())) {
                throw new Refused("member " + n.getNodeId() + " already uses raft address " + d.getRaftAddress()
                        + "; give node " + id + " its own listen.raft-port");
            }
        }
        if (listed.isPresent()) {
            return listed.get().toBuilder().setRaftAddress(d.getRaftAddress()).setClientAddress(d.getClientAddress())
                    .build();
        }
        if (d.getConfiguredRaftGroups() != NodeConfig.RAFT_GROUPS_AUTO
                && d.getConfiguredRaftGroups() != plan.getGroupCount()) {
            throw new Refused("node " + id + " is configured with raft-groups: " + d.getConfiguredRaftGroups()
                    + " but the cluster has " + plan.getGroupCount() + " groups; set raft-groups: auto or "
                    + plan.getGroupCount());
        }
        if (plan.getElectionTimeoutMinMs() != 0
                && (d.getConfiguredElectionTimeoutMinMs() != plan.getElectionTimeoutMinMs()
                || d.getConfiguredElectionTimeoutMaxMs() != plan.getElectionTimeoutMaxMs())) {
            throw new Refused("node " + id + " has raft.election-timeout-min/max " + d.getConfiguredElectionTimeoutMinMs()
                    + "ms/" + d.getConfiguredElectionTimeoutMaxMs() + "ms but the cluster fixed "
                    + plan.getElectionTimeoutMinMs() + "ms/" + plan.getElectionTimeoutMaxMs()
                    + "ms; use the cluster's values");
        }
        if (!sorted(d.getNamespacesList()).equals(sorted(plan.getNamespacesList()))) {
            throw new Refused("node " + id + " has other namespaces than the cluster (" + names(d.getNamespacesList())
                    + " against " + names(plan.getNamespacesList()) + "); copy the cluster's namespaces section");
        }
        return PlanNode.newBuilder().setNodeId(id).setRaftAddress(d.getRaftAddress())
                .setClientAddress(d.getClientAddress()).setRack(d.getRack()).setState(NodeState.NODE_ACTIVE).build();
    }

    /** The plan with {@code node} in place of the entry of the same id, or added at the end. */
    private static ClusterPlan withNode(ClusterPlan plan, PlanNode node) {
        ClusterPlan.Builder b = plan.toBuilder();
        for (int i = 0; i < b.getNodesCount(); i++) {
            if (b.getNodes(i).getNodeId().equals(node.getNodeId())) {
                return b.setNodes(i, node).build();
            }
        }
        return b.addNodes(node).build();
    }

    public DecommissionNodeResponse decommission(String nodeId) {
        DecommissionNodeResponse.Builder r = DecommissionNodeResponse.newBuilder();
        try {
            boolean[] already = new boolean[1];
            ClusterPlan plan = plans.update(current -> {
                try {
                    return leaving(current, nodeId, already);
                } catch (Refused e) {
                    throw new RefusedChange(e);
                }
            });
            if (!already[0]) {
                LOG.info("Node {} is decommissioned in plan version {}: its replicas move to the other nodes",
                        nodeId, plan.getVersion());
            }
            return r.setStatus(ClusterInitializer.status(ResultCode.OK, already[0] ? "already leaving" : "leaving"))
                    .setPlan(plan).setAlreadyLeaving(already[0]).build();
        } catch (RefusedChange e) {
            return r.setStatus(ClusterInitializer.status(ResultCode.PARAMETER_ERROR, e.getCause().getMessage()))
                    .build();
        } catch (IOException e) {
            return r.setStatus(ClusterInitializer.status(ResultCode.TIMEOUT, e.getMessage())).build();
        }
    }

    /** The plan with the node marked leaving; sets already[0] when it is leaving or gone. */
    static ClusterPlan leaving(ClusterPlan plan, String nodeId, boolean[] already) throws Refused {
        Optional<PlanNode> node = PlanView.node(plan, nodeId);
        if (node.isEmpty() || node.get().getState() == NodeState.NODE_LEAVING) {
            already[0] = true;
            return plan;
        }
        long active = plan.getNodesList().stream().filter(n -> n.getState() == NodeState.NODE_ACTIVE).count();
        if (active - 1 < plan.getReplicationFactor()) {
            throw new Refused("cannot decommission " + nodeId + ": " + (active - 1) + " active nodes would be left"
                    + " for replication factor " + plan.getReplicationFactor() + ", so some group would lose a"
                    + " replica; add a node first (partita node add), then decommission " + nodeId);
        }
        ClusterPlan.Builder b = plan.toBuilder();
        for (int i = 0; i < b.getNodesCount(); i++) {
            if (b.getNodes(i).getNodeId().equals(nodeId)) {
                b.setNodes(i, b.getNodes(i).toBuilder().setState(NodeState.NODE_LEAVING));
            }
        }
        return b.build();
    }

    private static List<NamespaceInfo> sorted(List<NamespaceInfo> namespaces) {
        return namespaces.stream().sorted(Comparator.comparing(NamespaceInfo::getName)).toList();
    }

    private static String names(List<NamespaceInfo> namespaces) {
        return String.join(", ", sorted(namespaces).stream().map(NamespaceInfo::getName).toList());
    }

    /** Carries a {@link Refused} out of a plan change function. */
    private static final class RefusedChange extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RefusedChange(Refused cause) {
            super(cause);
        }
    }
}
