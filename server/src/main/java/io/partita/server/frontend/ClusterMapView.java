package io.partita.server.frontend;

import io.partita.protocol.Limits;
import io.partita.protocol.v1.ClusterMap;
import io.partita.protocol.v1.GroupInfo;
import io.partita.protocol.v1.NamespaceInfo;
import io.partita.protocol.v1.NodeInfo;
import io.partita.raft.group.GroupLayout;
import io.partita.raft.group.RaftHost;
import io.partita.server.config.NodeConfig.NamespaceConfig;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.server.RaftServer;

/**
 * The routing map this node serves to clients, derived on request from the live Raft state: partition -> group is
 * fixed by the {@link GroupLayout}; leaders and replicas come from each group's division.
 *
 * <p>The map's version is the sum of the groups' current terms: terms only grow and every leader change starts a new
 * term, so a client comparing versions always keeps the fresher map.
 */
public final class ClusterMapView {
    private final RaftHost host;
    private final Namespaces namespaces;
    private final Supplier<String> selfClientAddress;

    public ClusterMapView(RaftHost host, Namespaces namespaces, Supplier<String> selfClientAddress) {
        this.host = host;
        this.namespaces = namespaces;
        this.selfClientAddress = selfClientAddress;
    }

    public ClusterMap current() {
        GroupLayout layout = host.layout();
        ClusterMap.Builder map = ClusterMap.newBuilder()
                .setClusterId(layout.clusterId())
                .setPartitionCount(Limits.PARTITION_COUNT)
                .setGroupCount(layout.groupCount());
        for (int p = 0; p < Limits.PARTITION_COUNT; p++) {
            map.addPartitionGroups(layout.groupOf(p));
        }
        long version = 0;
        java.util.Map<String, String> clientAddresses = new java.util.TreeMap<>();
        clientAddresses.put(host.nodeId(), selfClientAddress.get());
        for (int g = 0; g < layout.groupCount(); g++) {
            GroupInfo.Builder group = GroupInfo.newBuilder().setGroup(g);
            try {
                RaftServer.Division d = host.division(g);
                version += d.getInfo().getCurrentTerm();
                host.leaderOf(g).ifPresent(group::setLeaderNodeId);
                for (RaftPeer peer : d.getGroup().getPeers()) {
                    String id = peer.getId().toString();
                    group.addReplicaNodeIds(id);
                    if (peer.getClientAddress() != null && !clientAddresses.containsKey(id)) {
                        clientAddresses.put(id, peer.getClientAddress());
                    }
                }
            } catch (IOException e) {
                // This node does not host the group; it contributes no leader information for it.
            }
            map.addGroups(group);
        }
        clientAddresses.forEach((id, address) ->
                map.addNodes(NodeInfo.newBuilder().setNodeId(id).setClientAddress(address)));
        for (NamespaceConfig ns : namespaces.all()) {
            map.addNamespaces(NamespaceInfo.newBuilder()
                    .setName(ns.name())
                    .setReplicationFactor(ns.replicationFactor())
                    .setDefaultTtlSeconds(ns.defaultTtlSeconds())
                    .setMaxRecordSize(ns.maxRecordSize()));
        }
        return map.setVersion(version).build();
    }

}
