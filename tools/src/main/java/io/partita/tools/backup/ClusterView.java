package io.partita.tools.backup;

import io.grpc.StatusRuntimeException;
import io.partita.protocol.v1.ClusterMap;
import io.partita.protocol.v1.ClusterMapRequest;
import io.partita.protocol.v1.GroupInfo;
import io.partita.protocol.v1.NodeInfo;
import io.partita.protocol.v1.PartitaGrpc;
import io.partita.tools.cli.AdminClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The cluster as a backup sees it: its id, group count and, per group, the nodes to read it from -- the leader
 * first (it is the most up to date), then the other replicas. Maps are asked of every node, and per group the
 * leader seen in the highest Raft term wins, as in the client.
 */
record ClusterView(String clusterId, int groupCount, Map<Integer, List<String>> sources) {

    /**
     * Fetches the map from the first host that answers, then from every node it lists.
     *
     * @throws BackupException if no host answers or the cluster is not initialized
     */
    static ClusterView fetch(Channels channels, List<String> hosts, Duration timeout) {
        List<String> problems = new ArrayList<>();
        ClusterMap first = null;
        for (String host : hosts) {
            try {
                first = map(channels, host, timeout);
                break;
            } catch (StatusRuntimeException e) {
                problems.add(host + ": " + AdminClient.describe(e, timeout));
            }
        }
        if (first == null) {
            throw new BackupException("no node answered (" + String.join("; ", problems) + "). Check --hosts and "
                    + "that the nodes are running.");
        }
        if (first.getClusterId().isEmpty() || first.getGroupCount() == 0) {
            throw new BackupException("the cluster is not initialized yet (run 'partita cluster init').");
        }
        Map<String, String> addresses = new HashMap<>();
        for (NodeInfo n : first.getNodesList()) {
            addresses.put(n.getNodeId(), n.getClientAddress());
        }
        Map<Integer, GroupInfo> best = new HashMap<>();
        merge(best, first);
        for (NodeInfo n : first.getNodesList()) {
            try {
                merge(best, map(channels, n.getClientAddress(), timeout));
            } catch (StatusRuntimeException e) {
                // A node that is down has no say on leaders; its replicas are still tried last if listed.
            }
        }
        Map<Integer, List<String>> sources = new LinkedHashMap<>();
        for (int g = 0; g < first.getGroupCount(); g++) {
            GroupInfo info = best.get(g);
            List<String> order = new ArrayList<>();
            if (info != null && !info.getLeaderNodeId().isEmpty() && addresses.containsKey(info.getLeaderNodeId())) {
                order.add(addresses.get(info.getLeaderNodeId()));
            }
            if (info != null) {
                for (String replica : info.getReplicaNodeIdsList()) {
                    String a = addresses.get(replica);
                    if (a != null && !order.contains(a)) {
                        order.add(a);
                    }
                }
            }
            sources.put(g, List.copyOf(order));
        }
        return new ClusterView(first.getClusterId(), first.getGroupCount(), sources);
    }

    private static ClusterMap map(Channels channels, String address, Duration timeout) {
        return PartitaGrpc.newBlockingStub(channels.get(address))
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .getClusterMap(ClusterMapRequest.getDefaultInstance());
    }

    private static void merge(Map<Integer, GroupInfo> best, ClusterMap map) {
        for (GroupInfo g : map.getGroupsList()) {
            GroupInfo seen = best.get(g.getGroup());
            boolean knowsLeader = !g.getLeaderNodeId().isEmpty();
            if (seen == null || (knowsLeader && (seen.getLeaderNodeId().isEmpty() || g.getTerm() > seen.getTerm()))) {
                best.put(g.getGroup(), g);
            }
        }
    }
}
