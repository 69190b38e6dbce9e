package io.partita.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.partita.protocol.Limits;
import io.partita.protocol.v1.ClusterMap;
import io.partita.protocol.v1.GroupInfo;
import io.partita.protocol.v1.NodeInfo;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RoutingTableTest {

    /** Every partition in group 0 (partition 0 is the one routed below). */
    private static final int P = 0;

    /** A one-group map; {@code replicas} are also the map's nodes (address "host-{id}:1"). */
    private static ClusterMap map(long version, String leader, long term, String... replicas) {
        ClusterMap.Builder b = ClusterMap.newBuilder().setVersion(version).setPartitionCount(Limits.PARTITION_COUNT)
            .setGroupCount(1);
        for (int p = 0; p < Limits.PARTITION_COUNT; p++) {
            b.addPartitionGroups(0);
        }
        for (String id : replicas) {
            b.addNodes(NodeInfo.newBuilder().setNodeId(id).setClientAddress("host-" + id + ":1"));
        }
        b.addGroups(GroupInfo.newBuilder().setGroup(0).setLeaderNodeId(leader).setTerm(term)
            .addAllReplicaNodeIds(List.of(replicas)));
        return b.build();
    }

    private static String leader(RoutingTable t) {
        RoutingTable.Target target = t.leaderOf(P);
        return target == null ? null : target.nodeId();
    }

    private static List<String> replicas(RoutingTable t) {
        return t.replicasOf(P).stream().map(RoutingTable.Target::nodeId).collect(Collectors.toList());
    }

    @Test
    void sameVersionWithAHigherTermReplacesTheLeader() {
        RoutingTable t = RoutingTable.of(map(1, "a", 3, "a", "b", "c"));
        RoutingTable merged = t.merge(map(1, "b", 4, "a", "b", "c"));
        assertEquals("b", leader(merged));
        assertEquals(4, merged.termOf(0));
        assertEquals(1, merged.version());
    }

    @Test
    void aLowerTermNeverReplacesTheLeader() {
        RoutingTable t = RoutingTable.of(map(1, "b", 4, "a", "b", "c"));
        assertEquals("b", leader(t.merge(map(1, "a", 3, "a", "b", "c"))));
        // Not even from a newer topology: the leader is merged by term, the topology is replaced.
        RoutingTable newer = t.merge(map(2, "a", 3, "a", "b", "c", "d"));
        assertEquals("b", leader(newer));
        assertEquals(4, newer.termOf(0));
        assertEquals(2, newer.version());
        assertEquals(List.of("a", "b", "c", "d"), replicas(newer));
    }

    @Test
    void onEqualTermsANamedLeaderBeatsNone() {
        RoutingTable t = RoutingTable.of(map(1, "a", 3, "a", "b"));
        // A node that does not host the group answers with no leader and term 0; one that does, with its term.
        assertEquals("a", leader(t.merge(map(1, "", 0, "a", "b"))));
        assertEquals("a", leader(t.merge(map(1, "", 3, "a", "b"))));
        RoutingTable none = RoutingTable.of(map(1, "", 3, "a", "b"));
        assertEquals("a", leader(none.merge(map(1, "a", 3, "a", "b"))));
    }

    @Test
    void anElectionInAHigherTermClearsTheLeader() {
        RoutingTable t = RoutingTable.of(map(1, "a", 3, "a", "b"));
        assertNull(leader(t.merge(map(1, "", 4, "a", "b"))));
    }

    @Test
    void anOlderTopologyIsIgnoredEvenWithAHigherTerm() {
        RoutingTable t = RoutingTable.of(map(5, "a", 3, "a", "b"));
        assertSame(t, t.merge(map(4, "b", 9, "a", "b")));
    }

    @Test
    void aLeaderThatIsNoLongerAReplicaIsDropped() {
        RoutingTable t = RoutingTable.of(map(1, "a", 7, "a", "b", "c"));
        RoutingTable moved = t.merge(map(2, "b", 6, "b", "c", "d"));
        assertEquals("b", leader(moved)); // "a" left the group: the new map's leader stands despite its lower term
        assertEquals(List.of("b", "c", "d"), replicas(moved));
    }

    @Test
    void aHintIsUsedUntilTheNextSightingInTheSameTerm() {
        RoutingTable t = RoutingTable.of(map(1, "a", 3, "a", "b", "c"));
        RoutingTable hinted = t.withLeader(0, "b");
        assertEquals("b", leader(hinted));
        assertEquals(3, hinted.termOf(0));
        assertEquals("c", leader(hinted.merge(map(1, "c", 3, "a", "b", "c"))));
        assertEquals("b", leader(hinted.merge(map(1, "a", 2, "a", "b", "c"))));
        // A node the table has no address for (or that is not a replica) is not taken.
        assertSame(t, t.withLeader(0, "zz"));
    }

    @Test
    void replicasWithoutAnAddressAreSkipped() {
        ClusterMap m = map(1, "a", 1, "a", "b").toBuilder()
            .setGroups(0, GroupInfo.newBuilder().setGroup(0).setLeaderNodeId("a").setTerm(1)
                .addAllReplicaNodeIds(List.of("a", "ghost", "b")))
            .build();
        assertEquals(List.of("a", "b"), replicas(RoutingTable.of(m)));
    }
}
