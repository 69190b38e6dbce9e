package io.partita.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.NodeDescription;
import io.partita.protocol.v1.NodeState;
import io.partita.protocol.v1.PlanNode;
import org.junit.jupiter.api.Test;

/** What {@code node add} makes of a node's description: a new member, nothing, a member's new address, or a refusal. */
class NodeChangesTest {
    private static final ClusterPlan PLAN = ClusterPlan.newBuilder().setClusterId("c1").setVersion(7)
            .addNodes(node("n1", "10.0.0.1")).addNodes(node("n2", "10.0.0.2"))
            .addNodes(node("n3", "10.0.0.3").toBuilder().setState(NodeState.NODE_LEAVING).setRack("r3"))
            .build();

    private static PlanNode node(String id, String host) {
        return PlanNode.newBuilder().setNodeId(id).setRaftAddress(host + ":7301").setClientAddress(host + ":7300")
                .build();
    }

    /** A node as it describes itself; {@code plan} null for one that waits to join. */
    private static NodeDescription described(String id, String host, ClusterPlan plan) {
        NodeDescription.Builder d = NodeDescription.newBuilder().setNodeId(id).setRaftAddress(host + ":7301")
                .setClientAddress(host + ":7300");
        if (plan != null) {
            d.setPlan(plan);
        }
        return d.build();
    }

    @Test
    void aMemberAtItsRecordedAddressesChangesNothing() throws Exception {
        assertNull(NodeChanges.checkJoining(PLAN, described("n2", "10.0.0.2", PLAN)));
    }

    @Test
    void aMemberWithThisClustersDataAtNewAddressesKeepsItsEntryWithTheNewAddresses() throws Exception {
        PlanNode moved = NodeChanges.checkJoining(PLAN, described("n3", "10.0.9.9", PLAN));
        assertEquals(PLAN.getNodes(2).toBuilder().setRaftAddress("10.0.9.9:7301").setClientAddress("10.0.9.9:7300")
                .build(), moved, "state and rack kept, addresses replaced");
        NodeDescription newClientPortOnly = described("n2", "10.0.0.2", PLAN).toBuilder()
                .setClientAddress("10.0.0.2:7400").build();
        assertEquals("10.0.0.2:7400", NodeChanges.checkJoining(PLAN, newClientPortOnly).getClientAddress());
    }

    @Test
    void aStrangerWithAMembersIdIsRefused() {
        NodeChanges.Refused e = assertThrows(NodeChanges.Refused.class,
                () -> NodeChanges.checkJoining(PLAN, described("n2", "10.0.9.9", null)));
        assertEquals("node-id n2 is taken by the member at 10.0.0.2:7301; give the new node its own node-id",
                e.getMessage());
    }

    @Test
    void aMemberMovingOntoAnotherMembersAddressIsRefused() {
        NodeChanges.Refused e = assertThrows(NodeChanges.Refused.class,
                () -> NodeChanges.checkJoining(PLAN, described("n3", "10.0.0.1", PLAN)));
        assertEquals("member n1 already uses raft address 10.0.0.1:7301; give node n3 its own listen.raft-port",
                e.getMessage());
    }

    @Test
    void aNodeOfAnotherClusterIsRefused() {
        ClusterPlan other = PLAN.toBuilder().setClusterId("c2").build();
        NodeChanges.Refused e = assertThrows(NodeChanges.Refused.class,
                () -> NodeChanges.checkJoining(PLAN, described("n3", "10.0.9.9", other)));
        assertEquals("node n3 belongs to cluster c2, not c1; stop it and start it with an empty data-dir to add it"
                + " here", e.getMessage());
    }
}
