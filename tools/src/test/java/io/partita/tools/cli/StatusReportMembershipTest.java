package io.partita.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.GroupStatus;
import io.partita.protocol.v1.Move;
import io.partita.protocol.v1.NodeState;
import io.partita.protocol.v1.NodeStatusResponse;
import io.partita.protocol.v1.PlanGroup;
import io.partita.protocol.v1.PlanNode;
import io.partita.protocol.v1.RebalanceProgress;
import io.partita.protocol.v1.SnapshotTransferStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@code partita status} shows of membership changes, on hand-built plans: racks, leaving nodes, replica
 * moves ({@link Rebalancing} and {@link StatusReport}).
 */
class StatusReportMembershipTest {

    private static PlanNode node(String id, int port, String rack, NodeState state) {
        return PlanNode.newBuilder().setNodeId(id).setClientAddress("127.0.0.1:" + port)
                .setRaftAddress("127.0.0.1:" + (port + 1)).setRack(rack).setState(state).build();
    }

    private static PlanGroup group(int g, String... replicas) {
        return PlanGroup.newBuilder().setGroup(g).addAllReplicaNodeIds(List.of(replicas)).build();
    }

    private static Move move(String from, String to) {
        return Move.newBuilder().setFromNodeId(from).setToNodeId(to).build();
    }

    /** n4 is leaving: group 0 moves off it to n3; the metadata group drops n3's seat without a replacement. */
    private static ClusterPlan leavingPlan() {
        return ClusterPlan.newBuilder().setClusterId("c-7").setVersion(9).setGroupCount(3).setReplicationFactor(3)
                .addNodes(node("n1", 7300, "r1", NodeState.NODE_ACTIVE))
                .addNodes(node("n2", 7303, "r2", NodeState.NODE_ACTIVE))
                .addNodes(node("n3", 7306, "", NodeState.NODE_ACTIVE))
                .addNodes(node("n4", 7309, "r1", NodeState.NODE_LEAVING))
                .addGroups(group(0, "n1", "n2", "n4").toBuilder().setMove(move("n4", "n3")))
                .addGroups(group(1, "n2", "n3", "n4"))
                .addGroups(group(2, "n3", "n1", "n2"))
                .addAllMetaNodeIds(List.of("n1", "n2", "n3"))
                .setMetaMove(move("n3", ""))
                .build();
    }

    /**
     * Every node up, hosting the groups the plan gives it (a move's target without a vote), each group led by its
     * first replica.
     */
    private static ClusterHealth healthy(ClusterPlan plan) {
        return ClusterHealth.analyze(plan, answers(plan), Map.of(), 100);
    }

    /** What {@link #healthy} analyzes: every node's answer. */
    private static Map<String, NodeStatusResponse> answers(ClusterPlan plan) {
        Map<String, NodeStatusResponse.Builder> answers = new HashMap<>();
        for (PlanNode n : plan.getNodesList()) {
            NodeStatusResponse.Builder b = NodeStatusResponse.newBuilder().setNodeId(n.getNodeId())
                    .setClusterId(plan.getClusterId()).setPlanVersion(plan.getVersion()).setUptimeMs(61_000);
            if (plan.getMetaNodeIdsList().contains(n.getNodeId())) {
                b.setMeta(GroupStatus.newBuilder().setRole(n.getNodeId().equals("n1") ? "LEADER" : "FOLLOWER")
                        .setTerm(2).setLeaderNodeId("n1"));
            }
            answers.put(n.getNodeId(), b);
        }
        for (PlanGroup g : plan.getGroupsList()) {
            String leader = g.getReplicaNodeIds(0);
            for (String r : g.getReplicaNodeIdsList()) {
                answers.get(r).addGroups(GroupStatus.newBuilder().setGroup(g.getGroup()).setTerm(1)
                        .setLeaderNodeId(leader).setCommitIndex(50).setAppliedIndex(50)
                        .setRole(r.equals(leader) ? "LEADER" : "FOLLOWER"));
            }
            if (g.hasMove() && !g.getMove().getToNodeId().isEmpty()) {
                answers.get(g.getMove().getToNodeId()).addGroups(GroupStatus.newBuilder().setGroup(g.getGroup())
                        .setTerm(1).setLeaderNodeId(leader).setCommitIndex(50).setAppliedIndex(50)
                        .setRole("LISTENER"));
            }
        }
        Map<String, NodeStatusResponse> built = new HashMap<>();
        answers.forEach((id, b) -> built.put(id, b.build()));
        return built;
    }

    @Test
    void movesAndReplicasHeldComeFromThePlan() {
        ClusterPlan plan = leavingPlan();
        assertEquals(List.of(new Rebalancing.Moving(0, "n4", "n3"), new Rebalancing.Moving(null, "n3", null)),
                Rebalancing.moves(plan));
        assertEquals("group 0: n4 -> n3", Rebalancing.moves(plan).get(0).text());
        assertEquals("metadata: n3 -> (none)", Rebalancing.moves(plan).get(1).text());
        assertEquals(2, Rebalancing.replicasHeld(plan, "n4"), "a moving replica counts on its source");
        assertEquals(3, Rebalancing.replicasHeld(plan, "n1"), "two groups and the metadata group");
        assertEquals(0, Rebalancing.replicasHeld(plan, "n9"));
        assertEquals("1 replica left", Rebalancing.replicasLeft(1));
        assertEquals(List.of(
                "Moves:                2 in progress (group 0: n4 -> n3, metadata: n3 -> (none))",
                "Leaving nodes:        n4 (2 replicas left)"), Rebalancing.lines(plan));
    }

    @Test
    void aSettledPlanHasNoMembershipLines() {
        ClusterPlan plan = leavingPlan().toBuilder().clearMetaMove()
                .setGroups(0, group(0, "n1", "n2", "n3"))
                .setNodes(3, node("n4", 7309, "r1", NodeState.NODE_ACTIVE)).build();
        assertTrue(Rebalancing.moves(plan).isEmpty());
        assertEquals(List.of(), Rebalancing.lines(plan));
        // An empty Move (from_node_id unset) is no move either.
        assertEquals(List.of(), Rebalancing.lines(plan.toBuilder().setMetaMove(Move.getDefaultInstance()).build()));
    }

    @Test
    void manyMovesAreCounted() {
        ClusterPlan.Builder b = ClusterPlan.newBuilder().setClusterId("c").setGroupCount(12).setReplicationFactor(1)
                .addNodes(node("n1", 7300, "", NodeState.NODE_ACTIVE))
                .addNodes(node("n2", 7303, "", NodeState.NODE_ACTIVE));
        for (int g = 0; g < 12; g++) {
            b.addGroups(group(g, "n1").toBuilder().setMove(move("n1", "n2")));
        }
        List<String> lines = Rebalancing.lines(b.build());
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("Moves:                12 in progress (group 0: n1 -> n2, group 1: n1 -> "
                + "n2, "), lines.get(0));
        assertTrue(lines.get(0).endsWith(", group 7: n1 -> n2, and 4 more)"), lines.get(0));
    }

    @Test
    void statusShowsRacksLeavingNodesAndMoves() {
        List<String> text = StatusReport.text(healthy(leavingPlan()));
        String all = String.join("\n", text);
        assertEquals("Health: OK, every node is up and every group has a leader", text.get(1), all);
        assertEquals(List.of(
                "  NODE  ADDRESS         RACK  STATE        UPTIME  GROUPS  LEADS  META",
                "  n1    127.0.0.1:7300  r1    up           1m 1s   2       1      leader",
                "  n2    127.0.0.1:7303  r2    up           1m 1s   3       1      member",
                "  n3    127.0.0.1:7306  -     up           1m 1s   3       1      member",
                "  n4    127.0.0.1:7309  r1    up, leaving  1m 1s   2       0      -"), text.subList(3, 8), all);
        int moves = text.indexOf("Moves:                2 in progress (group 0: n4 -> n3, metadata: n3 -> (none))");
        assertTrue(moves > 0, all);
        assertEquals("Leaving nodes:        n4 (2 replicas left)", text.get(moves + 1), all);
        assertEquals("Lagging replicas:     none", text.get(text.size() - 1), all);
    }

    @Test
    void aMovesTargetCountsTheGroupAsPlanned() {
        ClusterHealth h = healthy(leavingPlan());
        ClusterHealth.NodeRow n3 = h.nodes().get(2);
        assertEquals(3, n3.groupsHosted());
        assertEquals(3, n3.groupsPlanned(), "groups 1 and 2, and group 0 moving onto it");
        assertTrue(h.healthy(), h.problems().toString());
    }

    @Test
    void withoutRacksOrChangesTheTableIsAsBefore() {
        ClusterPlan plan = leavingPlan().toBuilder().clearMetaMove().clearNodes()
                .addNodes(node("n1", 7300, "", NodeState.NODE_ACTIVE))
                .addNodes(node("n2", 7303, "", NodeState.NODE_ACTIVE))
                .addNodes(node("n3", 7306, "", NodeState.NODE_ACTIVE))
                .clearGroups().addGroups(group(0, "n1", "n2", "n3")).addGroups(group(1, "n2", "n3", "n1"))
                .addGroups(group(2, "n3", "n1", "n2")).build();
        List<String> text = StatusReport.text(healthy(plan));
        assertEquals("  NODE  ADDRESS         STATE  UPTIME  GROUPS  LEADS  META", text.get(3));
        assertFalse(text.stream().anyMatch(l -> l.startsWith("Moves:") || l.startsWith("Leaving nodes:")),
                String.join("\n", text));
        JsonNode j = StatusReport.json(healthy(plan));
        assertEquals(0, j.get("moves").size());
        assertTrue(j.get("meta").get("move").isNull());
        assertTrue(j.get("nodes").get(0).get("rack").isNull());
        assertEquals("active", j.get("nodes").get(0).get("membership").asText());
        assertFalse(j.get("nodes").get(0).has("replicas_left"));
    }

    @Test
    void jsonHasTheSameFields() {
        JsonNode j = StatusReport.json(healthy(leavingPlan()));
        List<String> racks = new ArrayList<>();
        j.get("nodes").forEach(n -> racks.add(n.get("rack").isNull() ? null : n.get("rack").asText()));
        assertEquals(java.util.Arrays.asList("r1", "r2", null, "r1"), racks);
        JsonNode n4 = j.get("nodes").get(3);
        assertEquals("leaving", n4.get("membership").asText());
        assertEquals(2, n4.get("replicas_left").asInt());
        assertEquals(1, j.get("moves").size());
        JsonNode m = j.get("moves").get(0);
        assertEquals(0, m.get("group").asInt());
        assertEquals("n4", m.get("from").asText());
        assertEquals("n3", m.get("to").asText());
        assertEquals("n3", j.get("meta").get("move").get("from").asText());
        assertTrue(j.get("meta").get("move").get("to").isNull());
    }

    // ---- move progress ----

    private static final long MIB = 1 << 20;

    /** The answers with {@code node} reporting more. */
    private static Map<String, NodeStatusResponse> with(Map<String, NodeStatusResponse> answers, String node,
                                                        java.util.function.UnaryOperator<NodeStatusResponse.Builder>
                                                                more) {
        Map<String, NodeStatusResponse> out = new HashMap<>(answers);
        out.put(node, more.apply(out.get(node).toBuilder()).build());
        return out;
    }

    private static SnapshotTransferStatus receiving(int group, String from, long bytes, long elapsedMs) {
        return SnapshotTransferStatus.newBuilder().setGroup(group).setPeerNodeId(from).setBytes(bytes)
                .setElapsedMs(elapsedMs).setForMove(true).build();
    }

    private static SnapshotTransferStatus sending(int group, long bytes, long total) {
        return SnapshotTransferStatus.newBuilder().setGroup(group).setSending(true).setBytes(bytes)
                .setTotalBytes(total).setElapsedMs(1000).build();
    }

    private static RebalanceProgress rebalance(int completed, int inProgress, int toPlan, long elapsedMs) {
        return RebalanceProgress.newBuilder().setActive(true).setMovesCompleted(completed)
                .setMovesInProgress(inProgress).setMovesToPlan(toPlan).setElapsedMs(elapsedMs).build();
    }

    @Test
    void ratesAndEtasAreUnknownWithoutAnythingToEstimateFrom() {
        assertTrue(MoveProgress.rate(0, 1000).isEmpty(), "nothing counted yet");
        assertTrue(MoveProgress.rate(100, 0).isEmpty(), "no time passed");
        assertEquals(1024.0, MoveProgress.rate(2048, 2000).getAsDouble());
        assertEquals(0L, MoveProgress.eta(0, java.util.OptionalDouble.empty(), 1000).getAsLong(), "nothing left");
        assertTrue(MoveProgress.eta(10, java.util.OptionalDouble.empty(), 1000).isEmpty());
        assertEquals(5000L, MoveProgress.eta(10, java.util.OptionalDouble.of(2), 1000).getAsLong());
        assertEquals("rate unknown", MoveProgress.bytesRate(java.util.OptionalDouble.empty()));
        assertEquals("1.5 MiB/s", MoveProgress.bytesRate(java.util.OptionalDouble.of(1.5 * MIB)));
        assertEquals("ETA unknown", MoveProgress.eta(java.util.OptionalLong.empty()));
        assertEquals("ETA 1m 5s", MoveProgress.eta(java.util.OptionalLong.of(65_000)));
    }

    @Test
    void theDriversCountGivesMovesDoneOfTotalWithRateAndEta() {
        ClusterPlan plan = leavingPlan();
        Map<String, NodeStatusResponse> answers = with(answers(plan), "n1", b -> b.setRebalance(
                rebalance(3, 2, 1, 60_000).toBuilder().setMovesTakenBack(1)));
        // A former driver's stale count loses to the metadata group's leader's.
        answers = with(answers, "n2", b -> b.setRebalance(rebalance(9, 0, 0, 1_000)));
        MoveProgress p = MoveProgress.of(plan, answers, "n1");
        assertEquals("Rebalance:            3 of 6 moves done (2 in progress, 1 to plan, 1 taken back), 1m 0s, "
                + "3.0 moves/min, ETA 1m 0s", p.lines().get(0));
        JsonNode j = StatusReport.json(ClusterHealth.analyze(plan, answers, Map.of(), 100), p).get("rebalance");
        assertEquals("n1", j.get("driver").asText());
        assertEquals(6, j.get("moves_total").asInt());
        assertEquals(3, j.get("moves_completed").asInt());
        assertEquals(2, j.get("moves_in_progress").asInt());
        assertEquals(1, j.get("moves_to_plan").asInt());
        assertEquals(1, j.get("moves_taken_back").asInt());
        assertEquals(3.0, j.get("moves_per_minute").asDouble());
        assertEquals(60_000, j.get("eta_ms").asLong());

        // Nothing completed yet: no pace, so no ETA; a driver that took over says its count starts then.
        MoveProgress early = MoveProgress.of(plan, with(answers(plan), "n1", b -> b.setRebalance(
                rebalance(0, 2, 4, 5_000).toBuilder().setResumed(true))), "n1");
        assertEquals("Rebalance:            0 of 6 moves done (2 in progress, 4 to plan), 5s, rate unknown, "
                + "ETA unknown; counted by n1 since it took over (moves done before are not counted)",
                early.lines().get(0));
        JsonNode e = StatusReport.json(healthy(plan), early).get("rebalance");
        assertTrue(e.get("moves_per_minute").isNull() && e.get("eta_ms").isNull(), e.toString());
        assertTrue(e.get("resumed").asBoolean());
    }

    @Test
    void aMovesCopyShowsBytesReceivedRateAndEtaFromTheSendersSize() {
        ClusterPlan plan = leavingPlan(); // group 0 moves n4 -> n3; n1 leads it and sends the snapshot
        Map<String, NodeStatusResponse> answers = with(answers(plan), "n3",
                b -> b.addTransfers(receiving(0, "n1", MIB, 2_000)).setMoveBytesReceived(MIB));
        MoveProgress unsized = MoveProgress.of(plan, answers, "n1");
        MoveProgress.Copy c = unsized.copy(Rebalancing.moves(plan).get(0));
        assertEquals(MIB, c.received().getAsLong());
        assertEquals(512.0 * 1024, c.bytesPerSecond().getAsDouble());
        assertTrue(c.total().isEmpty() && c.etaMs().isEmpty(), "the receiver alone does not know the size");
        assertEquals(List.of("Copies:", "  group 0: n4 -> n3  1.0 MiB from n1  512.0 KiB/s  ETA unknown"),
                unsized.lines());

        answers = with(answers, "n1", b -> b.addTransfers(sending(0, MIB, 4 * MIB)));
        MoveProgress sized = MoveProgress.of(plan, answers, "n1");
        assertEquals(6_000, sized.copy(Rebalancing.moves(plan).get(0)).etaMs().getAsLong(), "3 MiB at 512 KiB/s");
        List<String> text = StatusReport.text(ClusterHealth.analyze(plan, answers, Map.of(), 100), sized);
        int copies = text.indexOf("Copies:");
        assertTrue(copies > 0, String.join("\n", text));
        assertEquals("  group 0: n4 -> n3  1.0 MiB of 4.0 MiB from n1  512.0 KiB/s  ETA 6s", text.get(copies + 1));
        JsonNode j = StatusReport.json(ClusterHealth.analyze(plan, answers, Map.of(), 100), sized);
        JsonNode m = j.get("moves").get(0);
        assertEquals(MIB, m.get("bytes_received").asLong());
        assertEquals(4 * MIB, m.get("total_bytes").asLong());
        assertEquals(512 * 1024, m.get("bytes_per_second").asLong());
        assertEquals(6_000, m.get("eta_ms").asLong());
        assertEquals("n1", m.get("copy_source").asText());
        assertTrue(j.get("meta").get("move").get("bytes_received").isNull(), "the metadata group copies no snapshot");
        assertEquals(MIB, j.get("nodes").get(2).get("move_bytes_received").asLong());

        // Two snapshots of the group leave n1 (another replica catches up too): whose size is ours is unknown.
        answers = with(answers, "n1", b -> b.addTransfers(sending(0, 0, 5 * MIB)));
        assertTrue(MoveProgress.of(plan, answers, "n1").copy(Rebalancing.moves(plan).get(0)).total().isEmpty());
    }

    @Test
    void aMoveWithoutATransferHasNoBytesAndNoRate() {
        ClusterPlan plan = leavingPlan();
        MoveProgress p = MoveProgress.of(plan, answers(plan), "n1");
        assertEquals(List.of("Copies:", "  group 0: n4 -> n3  no snapshot transfer  rate unknown  ETA unknown"),
                p.lines(), "no driver count: no Rebalance line");
        JsonNode m = StatusReport.json(healthy(plan), p).get("moves").get(0);
        assertTrue(m.get("bytes_received").isNull() && m.get("bytes_per_second").isNull()
                && m.get("eta_ms").isNull(), m.toString());
        assertTrue(StatusReport.json(healthy(plan), p).get("rebalance").isNull());
    }
}
