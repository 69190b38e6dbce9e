package io.partita.client.internal;

import io.partita.protocol.v1.GroupInfo;
import java.util.List;

/**
 * What the client knows about one Raft group: its replicas (placement order, from the topology) and the leader
 * last seen, with the Raft term in which it was seen leading.
 *
 * @param leader   node id of the leader, or "" if none is known
 * @param term     Raft term in which {@code leader} was seen leading (0 = unknown)
 * @param replicas node ids of the group's replicas in placement order; empty if the map did not list them
 */
record GroupRoute(String leader, long term, List<String> replicas) {

    GroupRoute {
        replicas = List.copyOf(replicas);
    }

    static GroupRoute of(GroupInfo g) {
        return new GroupRoute(g.getLeaderNodeId(), g.getTerm(), g.getReplicaNodeIdsList());
    }

    /**
     * Of two sightings of a group's leader, the one to believe: the one from the higher term; on equal terms a
     * named leader over none, then the later sighting.
     */
    static GroupRoute newerLeader(GroupRoute earlier, GroupRoute later) {
        if (later.term != earlier.term) {
            return later.term > earlier.term ? later : earlier;
        }
        return later.leader.isEmpty() && !earlier.leader.isEmpty() ? earlier : later;
    }

    /**
     * This group's replicas with the leader (and term) of {@code sighting}; unchanged if that leader is not one
     * of this group's replicas (it was seen under an older topology).
     */
    GroupRoute ledAs(GroupRoute sighting) {
        if (!sighting.leader.isEmpty() && !replicas.isEmpty() && !replicas.contains(sighting.leader)) {
            return this;
        }
        return new GroupRoute(sighting.leader, sighting.term, replicas);
    }
}
