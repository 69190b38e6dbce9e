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

/** Immutable routing view of one {@link ClusterMap}: partition to group to leader node to address. */
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
    private final Map<Integer, String> groupLeaders;
    private final Map<String, String> nodeAddresses;
    private final List<String> addresses;

    private RoutingTable(ClusterMap map) {
        if (map.getPartitionGroupsCount() != Limits.PARTITION_COUNT) {
            throw new IllegalArgumentException("cluster map version " + map.getVersion() + " has "
                + map.getPartitionGroupsCount() + " partition entries, expected " + Limits.PARTITION_COUNT);
        }
        this.version = map.getVersion();
        this.partitionGroups = new int[Limits.PARTITION_COUNT];
        for (int p = 0; p < partitionGroups.length; p++) {
            partitionGroups[p] = map.getPartitionGroups(p);
        }
        Map<Integer, String> leaders = new HashMap<>();
        for (GroupInfo g : map.getGroupsList()) {
            if (!g.getLeaderNodeId().isEmpty()) {
                leaders.put(g.getGroup(), g.getLeaderNodeId());
            }
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
        this.groupLeaders = leaders;
        this.nodeAddresses = addrs;
        this.addresses = Collections.unmodifiableList(list);
    }

    /**
     * The routing view of a map.
     *
     * @throws IllegalArgumentException if the map cannot route every partition
     */
    public static RoutingTable of(ClusterMap map) {
        return new RoutingTable(map);
    }

    /** The map's version. */
    public long version() {
        return version;
    }

    /** The group owning a partition. */
    public int groupOf(int partitionId) {
        return partitionGroups[partitionId];
    }

    /** The leader of the partition's group, or {@code null} if no leader (or its address) is known. */
    public Target leaderOf(int partitionId) {
        String leader = groupLeaders.get(partitionGroups[partitionId]);
        return leader == null ? null : node(leader);
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
