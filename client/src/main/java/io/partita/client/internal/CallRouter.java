package io.partita.client.internal;

import java.util.List;

/**
 * Chooses the node for each attempt of one call: a node's leader hint (once), else for replica reads the next
 * replica of the key's group in turn, else the group's leader. Driven by one thread at a time, like the call.
 */
final class CallRouter {

    private final int partitionId;
    private final boolean anyReplica;
    private int turn;
    private String leaderHint;

    /**
     * A router.
     *
     * @param partitionId the key's partition
     * @param anyReplica  whether any replica may answer (a replica read)
     * @param firstTurn   where replica reads start in the replica list (rotated across calls)
     */
    CallRouter(int partitionId, boolean anyReplica, int firstTurn) {
        this.partitionId = partitionId;
        this.anyReplica = anyReplica;
        this.turn = firstTurn;
    }

    /** Sends the next attempt to {@code nodeId} (a NOT_LEADER hint), if the table has its address. */
    void hint(String nodeId) {
        leaderHint = nodeId;
    }

    /** The node for the next attempt, or {@code null} if none is known (no leader, no replica). */
    RoutingTable.Target next(RoutingTable table) {
        if (leaderHint != null) {
            RoutingTable.Target hinted = table.node(leaderHint);
            leaderHint = null;
            if (hinted != null) {
                return hinted;
            }
        }
        if (anyReplica) {
            List<RoutingTable.Target> replicas = table.replicasOf(partitionId);
            if (!replicas.isEmpty()) {
                return replicas.get(Math.floorMod(turn++, replicas.size()));
            }
        }
        return table.leaderOf(partitionId);
    }
}
