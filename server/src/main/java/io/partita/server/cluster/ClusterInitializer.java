package io.partita.server.cluster;

import io.grpc.StatusRuntimeException;
import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.InitClusterResponse;
import io.partita.protocol.v1.JoinClusterResponse;
import io.partita.protocol.v1.NamespaceInfo;
import io.partita.protocol.v1.NodeDescription;
import io.partita.protocol.v1.PlanNode;
import io.partita.protocol.v1.Status;
import io.partita.raft.cluster.Placement;
import io.partita.raft.cluster.Rebalance;
import io.partita.server.config.NodeConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a cluster ({@code partita cluster init}): describes every host, checks that they can form one cluster,
 * places the groups, pushes the plan to every host and records it in the metadata group.
 *
 * <p>Running it again on the same hosts is harmless: it reports the existing cluster.
 */
public final class ClusterInitializer {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterInitializer.class);

    private final Membership self;
    private final Peers peers;
    /** Runs the per-host calls side by side; they block on the network or on starting Ratis. */
    private final java.util.concurrent.Executor executor;

    public ClusterInitializer(Membership self, Peers peers, java.util.concurrent.Executor calls) {
        this.self = self;
        this.peers = peers;
        this.executor = calls;
    }

    /** Thrown for a request that cannot succeed as given; the message says what to change. */
    static final class InitException extends Exception {
        private static final long serialVersionUID = 1L;
        final ResultCode code;

        InitException(ResultCode code, String message) {
            super(message);
            this.code = code;
        }
    }

    public synchronized InitClusterResponse init(List<String> hosts) {
        try {
            return initOrThrow(hosts);
        } catch (InitException e) {
            return InitClusterResponse.newBuilder().setStatus(status(e.code, e.getMessage())).build();
        }
    }

    private InitClusterResponse initOrThrow(List<String> hosts) throws InitException {
        if (hosts.isEmpty()) {
            throw new InitException(ResultCode.PARAMETER_ERROR, "no hosts given; list every node's client address");
        }
        Map<String, NodeDescription> byAddress = describeAll(hosts);
        List<NodeDescription> nodes = new ArrayList<>(byAddress.values());
        String selfId = self.config().nodeId();
        if (nodes.stream().noneMatch(n -> n.getNodeId().equals(selfId))) {
            throw new InitException(ResultCode.PARAMETER_ERROR, "node " + selfId
                    + " received the request but is not among the hosts; send it to one of them");
        }
        ClusterPlan existing = existingCluster(nodes);
        if (existing != null) {
            recordInMetaGroup(existing); // harmless if recorded already; completes an init interrupted before
            return InitClusterResponse.newBuilder().setStatus(status(ResultCode.OK, "already initialized"))
                    .setPlan(existing).setAlreadyInitialized(true).build();
        }
        ClusterPlan plan = newPlan(nodes);
        List<String> failures = push(plan, byAddress);
        if (!failures.isEmpty()) {
            throw new InitException(ResultCode.SERVER_ERROR, "cluster " + plan.getClusterId()
                    + " was created, but these nodes could not take the plan: " + String.join("; ", failures)
                    + ". They join by themselves once they run with a member in their seeds");
        }
        recordInMetaGroup(plan);
        LOG.info("Created cluster {}: {} nodes, {} groups, replication factor {}", plan.getClusterId(),
                plan.getNodesCount(), plan.getGroupCount(), plan.getReplicationFactor());
        return InitClusterResponse.newBuilder().setStatus(status(ResultCode.OK, "created")).setPlan(plan).build();
    }

    /**
     * Proposes the plan to the metadata group in the background: every node already stores the plan, and starting
     * hundreds of groups (before the metadata group can elect a leader) may take longer than a caller should wait.
     * Retries for up to 10 minutes; proposing a plan the group already holds changes nothing.
     */
    private void recordInMetaGroup(ClusterPlan plan) {
        executor.execute(() -> {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(10);
            while (true) {
                ClusterRuntime runtime = self.runtime();
                try {
                    if (runtime != null) {
                        runtime.host().proposeToMeta(PlanView.metaMembers(plan),
                                plan.toByteArray());
                        LOG.info("Plan version {} of cluster {} is recorded in the metadata group", plan.getVersion(),
                                plan.getClusterId());
                        return;
                    }
                } catch (IOException | RuntimeException e) {
                    if (System.nanoTime() > deadline) {
                        LOG.error("Could not record plan version {} in the metadata group; run cluster init again"
                                + " once all nodes are up", plan.getVersion(), e);
                        return;
                    }
                    LOG.debug("Metadata group not ready for the plan yet: {}", e.toString());
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return; // the node is stopping
                }
            }
        });
    }

    private Map<String, NodeDescription> describeAll(List<String> hosts) throws InitException {
        Map<String, CompletableFuture<NodeDescription>> calls = new LinkedHashMap<>();
        for (String host : new java.util.LinkedHashSet<>(hosts)) {
            calls.put(host, CompletableFuture.supplyAsync(() -> peers.describe(host), executor));
        }
        Map<String, NodeDescription> out = new LinkedHashMap<>();
        List<String> unreachable = new ArrayList<>();
        calls.forEach((host, call) -> {
            try {
                out.put(host, call.join());
            } catch (RuntimeException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                unreachable.add(host + " (" + (cause instanceof StatusRuntimeException s
                        ? s.getStatus().getCode() + ": " + s.getStatus().getDescription() : cause.toString()) + ")");
            }
        });
        if (!unreachable.isEmpty()) {
            throw new InitException(ResultCode.TIMEOUT, "cannot reach " + String.join(", ", unreachable)
                    + "; start every node first (with seeds configured) and check the addresses");
        }
        Map<String, String> addressById = new TreeMap<>();
        for (Map.Entry<String, NodeDescription> e : out.entrySet()) {
            String previous = addressById.put(e.getValue().getNodeId(), e.getKey());
            if (previous != null) {
                throw new InitException(ResultCode.PARAMETER_ERROR, previous + " and " + e.getKey()
                        + " both have node-id " + e.getValue().getNodeId() + "; every node needs its own node-id");
            }
        }
        return out;
    }

    /** The cluster the hosts already form, null if none of them is in one; fails on a mix. */
    private static ClusterPlan existingCluster(List<NodeDescription> nodes) throws InitException {
        List<NodeDescription> planned = nodes.stream().filter(NodeDescription::hasPlan).toList();
        if (planned.isEmpty()) {
            return null;
        }
        ClusterPlan plan = planned.get(0).getPlan();
        Set<String> planIds = plan.getNodesList().stream().map(PlanNode::getNodeId).collect(Collectors.toSet());
        Set<String> hostIds = nodes.stream().map(NodeDescription::getNodeId).collect(Collectors.toSet());
        boolean same = planned.size() == nodes.size() && planIds.equals(hostIds)
                && planned.stream().allMatch(n -> n.getPlan().getClusterId().equals(plan.getClusterId()));
        if (!same) {
            NodeDescription n = planned.get(0);
            throw new InitException(ResultCode.PARAMETER_ERROR, "node " + n.getNodeId() + " ("
                    + n.getClientAddress() + ") already belongs to cluster " + n.getPlan().getClusterId()
                    + " with nodes " + new java.util.TreeSet<>(planIds)
                    + "; leave it out, or stop it and empty its data-dir to start afresh");
        }
        return plan;
    }

    private ClusterPlan newPlan(List<NodeDescription> nodes) throws InitException {
        NodeDescription first = nodes.get(0);
        List<PlanNode> planNodes = new ArrayList<>();
        Set<String> raftAddresses = new HashSet<>();
        for (NodeDescription n : nodes) {
            if (n.getRaftAddress().endsWith(":0")) {
                throw new InitException(ResultCode.PARAMETER_ERROR, "node " + n.getNodeId()
                        + " has raft-port 0; cluster members need a fixed listen.raft-port");
            }
            if (!raftAddresses.add(n.getRaftAddress())) {
                throw new InitException(ResultCode.PARAMETER_ERROR, "two nodes use raft address "
                        + n.getRaftAddress() + "; give each node its own listen.raft-port");
            }
            if (n.getConfiguredRaftGroups() != first.getConfiguredRaftGroups()) {
                throw new InitException(ResultCode.PARAMETER_ERROR, "nodes disagree on raft-groups: "
                        + first.getNodeId() + " has " + NodeConfig.raftGroupsText(first.getConfiguredRaftGroups())
                        + ", " + n.getNodeId() + " has " + NodeConfig.raftGroupsText(n.getConfiguredRaftGroups())
                        + "; use the same value on every node");
            }
            disagree(ElectionTimeouts.MIN_KEY, first, n, NodeDescription::getConfiguredElectionTimeoutMinMs);
            disagree(ElectionTimeouts.MAX_KEY, first, n, NodeDescription::getConfiguredElectionTimeoutMaxMs);
            if (!sortedNamespaces(n).equals(sortedNamespaces(first))) {
                throw new InitException(ResultCode.PARAMETER_ERROR, "nodes disagree on namespaces: "
                        + first.getNodeId() + " has " + describe(first) + ", " + n.getNodeId() + " has "
                        + describe(n) + "; use the same namespaces section on every node");
            }
            planNodes.add(PlanNode.newBuilder().setNodeId(n.getNodeId()).setRaftAddress(n.getRaftAddress())
                    .setClientAddress(n.getClientAddress()).setRack(n.getRack()).build());
        }
        Set<Integer> factors = first.getNamespacesList().stream().map(NamespaceInfo::getReplicationFactor)
                .collect(Collectors.toSet());
        if (factors.size() != 1) {
            throw new InitException(ResultCode.PARAMETER_ERROR, "namespaces ask for different replication factors ("
                    + describe(first) + "), but all namespaces share the cluster's Raft groups;"
                    + " give every namespace the same replication-factor");
        }
        try {
            int groups = NodeConfig.raftGroupsFor(first.getConfiguredRaftGroups(), planNodes.size());
            // Placement spreads replicas and leaders by node; settling applies the rack rule too (Rebalance).
            return Rebalance.settle(Placement.plan(UUID.randomUUID().toString(), planNodes, groups,
                    factors.iterator().next(), System.currentTimeMillis()))
                    .toBuilder().addAllNamespaces(sortedNamespaces(first))
                    .setElectionTimeoutMinMs(first.getConfiguredElectionTimeoutMinMs())
                    .setElectionTimeoutMaxMs(first.getConfiguredElectionTimeoutMaxMs())
                    .build();
        } catch (IllegalArgumentException e) {
            throw new InitException(ResultCode.PARAMETER_ERROR, e.getMessage());
        }
    }

    /**
     * The election timeouts become the cluster's (the leader lease is only safe if every node uses the same), so
     * the nodes must agree on them; a node too old to report them (0) disagrees too.
     */
    private static void disagree(String key, NodeDescription first, NodeDescription n,
                                 java.util.function.ToIntFunction<NodeDescription> millis) throws InitException {
        int a = millis.applyAsInt(first);
        int b = millis.applyAsInt(n);
        if (a != b) {
            throw new InitException(ResultCode.PARAMETER_ERROR, "nodes disagree on " + key + ": " + first.getNodeId()
                    + " has " + a + "ms, " + n.getNodeId() + " has " + b + "ms; the cluster fixes it at init for"
                    + " every node (the leader lease relies on it), so use the same value on every node");
        }
    }

    private static List<NamespaceInfo> sortedNamespaces(NodeDescription n) {
        return n.getNamespacesList().stream().sorted(Comparator.comparing(NamespaceInfo::getName)).toList();
    }

    private static String describe(NodeDescription n) {
        return sortedNamespaces(n).stream().map(ns -> ns.getName() + "(replication-factor "
                + ns.getReplicationFactor() + ", default-ttl " + ns.getDefaultTtlSeconds() + "s, max-record-size "
                + ns.getMaxRecordSize() + ")").collect(Collectors.joining(", "));
    }

    /** Sends the plan to every host (this node directly); returns what failed. */
    private List<String> push(ClusterPlan plan, Map<String, NodeDescription> byAddress) {
        Map<String, CompletableFuture<String>> calls = new LinkedHashMap<>();
        for (Map.Entry<String, NodeDescription> e : byAddress.entrySet()) {
            String id = e.getValue().getNodeId();
            calls.put(id, CompletableFuture.supplyAsync(() -> {
                try {
                    if (id.equals(self.config().nodeId())) {
                        self.joinAsync(plan, executor);
                        return null;
                    }
                    JoinClusterResponse r = peers.join(e.getKey(), plan);
                    return r.getStatus().getCode() == ResultCode.OK.code() ? null : r.getStatus().getMessage();
                } catch (IOException | RuntimeException ex) {
                    return ex.getMessage();
                }
            }, executor));
        }
        List<String> failures = new ArrayList<>();
        calls.forEach((id, call) -> {
            String problem = call.join();
            if (problem != null) {
                failures.add(id + ": " + problem);
            }
        });
        return failures;
    }

    static Status status(ResultCode code, String message) {
        return Status.newBuilder().setCode(code.code()).setMessage(message).build();
    }
}
