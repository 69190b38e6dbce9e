package io.partita.client.internal;

import io.partita.protocol.Limits;
import io.partita.protocol.v1.ClusterMap;
import io.partita.protocol.v1.GroupInfo;
import io.partita.protocol.v1.NodeInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Immutable routing view merged from the cluster maps nodes answered: partition to group to leader node (or
 * replicas) to address.
 */
public final class RoutingTable {

    /** A node to send a request to. */
    public static final class Target {
        private final String nodeId;
        private final String address;

        Target(String nodeId, String address) {
            this.nodeId = nodeId;
            this.address = address;
        }

        /** The node's id. */
        public String nodeId() {
            return nodeId;
        }

        /** The node's client address, host:port. */
        public String address() {
            return address;
        }

        @Override
        public String toString() {
            return nodeId + " (" + address + ")";
        }
    }

    private final long version;
    private final int[] partitionGroups;
    private final Map<Integer, GroupRoute> groups;
    private final Map<String, String> nodeAddresses;
    private final List<String> addresses;

    private RoutingTable(long version, int[] partitionGroups, Map<Integer, GroupRoute> groups,
                         Map<String, String> nodeAddresses, List<String> addresses) {
        this.version = version;
        this.partitionGroups = partitionGroups;
        this.groups = groups;
        this.nodeAddresses = nodeAddresses;
        this.addresses = addresses;
    }

    /**
     * The routing view of a map.
     *
     * @throws IllegalArgumentException if the map cannot route every partition
     */
    public static RoutingTable of(ClusterMap map) {
        if (map.getPartitionGroupsCount() != Limits.PARTITION_COUNT) {
            throw new IllegalArgumentException("cluster map version " + map.getVersion() + " has "
                + map.getPartitionGroupsCount() + " partition entries, expected " + Limits.PARTITION_COUNT);
        }
        int[] partitionGroups = new int[Limits.PARTITION_COUNT];
        for (int p = 0; p < partitionGroups.length; p++) {
            partitionGroups[p] = map.getPartitionGroups(p);
        }
        Map<Integer, GroupRoute> groups = new HashMap<>();
        for (GroupInfo g : map.getGroupsList()) {
            groups.put(g.getGroup(), GroupRoute.of(g));
        }
        Map<String, String> addrs = new HashMap<>();
        List<String> list = new ArrayList<>();
        for (NodeInfo n : map.getNodesList()) {
            if (!n.getClientAddress().isEmpty()) {
                addrs.put(n.getNodeId(), n.getClientAddress());
                if (!list.contains(n.getClientAddress())) {
                    list.add(n.getClientAddress());
                }
            }
        }
        return new RoutingTable(map.getVersion(), partitionGroups, groups, addrs, Collections.unmodifiableList(list));
    }

    /**
     * This table merged with a map one node answered. A map of a higher topology version replaces the topology
     * (nodes, partition groups, replicas); a map of the same version only contributes leaders; an older map is
     * ignored. Leaders are merged per group: the one seen in the higher Raft term wins; on equal terms a named
     * leader beats none, then the map's beats the table's. A leader that is not a replica of its group in the
     * resulting topology is dropped.
     *
     * @throws IllegalArgumentException if the map cannot route every partition
     */
    public RoutingTable merge(ClusterMap map) {
        if (map.getVersion() < version) {
            return this;
        }
        RoutingTable seen = of(map);
        boolean newTopology = map.getVersion() > version;
        RoutingTable base = newTopology ? seen : this;
        Map<Integer, GroupRoute> merged = new HashMap<>(base.groups);
        for (Map.Entry<Integer, GroupRoute> e : base.groups.entrySet()) {
            GroupRoute mine = groups.get(e.getKey());
            GroupRoute theirs = seen.groups.get(e.getKey());
            if (mine != null && theirs != null) {
                merged.put(e.getKey(), e.getValue().ledAs(GroupRoute.newerLeader(mine, theirs)));
            }
        }
        if (base == this && merged.equals(groups)) {
            return this;
        }
        return new RoutingTable(base.version, base.partitionGroups, merged, base.nodeAddresses, base.addresses);
    }

    /**
     * This table with {@code nodeId} as the leader of {@code group}, in the term already known for the group (a
     * node's hint carries no term: any map sighting in the same or a higher term replaces it). Unchanged if the
     * table has no address for the node.
     */
    public RoutingTable withLeader(int group, String nodeId) {
        if (!nodeAddresses.containsKey(nodeId)) {
            return this;
        }
        GroupRoute current = groups.getOrDefault(group, new GroupRoute("", 0, List.of()));
        if (nodeId.equals(current.leader())) {
            return this;
        }
        Map<Integer, GroupRoute> updated = new HashMap<>(groups);
        updated.put(group, current.ledAs(new GroupRoute(nodeId, current.term(), List.of())));
        return new RoutingTable(version, partitionGroups, updated, nodeAddresses, addresses);
    }

    /** The map's topology version. */
    public long version() {
        return version;
    }

    /** The group owning a partition. */
    public int groupOf(int partitionId) {
        return partitionGroups[partitionId];
    }

    /** The leader of the partition's group, or {@code null} if no leader (or its address) is known. */
    public Target leaderOf(int partitionId) {
        GroupRoute g = groups.get(partitionGroups[partitionId]);
        return g == null || g.leader().isEmpty() ? null : node(g.leader());
    }

    /** The Raft term in which the group's known leader was seen leading (0 if unknown). */
    public long termOf(int group) {
        GroupRoute g = groups.get(group);
        return g == null ? 0 : g.term();
    }

    /** The replicas of the partition's group that have an address, in placement order; empty if none is known. */
    public List<Target> replicasOf(int partitionId) {
        GroupRoute g = groups.get(partitionGroups[partitionId]);
        if (g == null) {
            return List.of();
        }
        List<Target> out = new ArrayList<>(g.replicas().size());
        for (String id : g.replicas()) {
            Target t = node(id);
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    /** A node by id, or {@code null} if the map has no address for it. */
    public Target node(String nodeId) {
        String address = nodeAddresses.get(nodeId);
        return address == null ? null : new Target(nodeId, address);
    }

    /** Client addresses of all nodes in the map. */
    public List<String> addresses() {
        return addresses;
    }
}
