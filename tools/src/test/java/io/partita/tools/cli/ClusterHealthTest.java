package io.partita.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.FollowerProgress;
import io.partita.protocol.v1.GroupStatus;
import io.partita.protocol.v1.NodeStatusResponse;
import io.partita.protocol.v1.PlanGroup;
import io.partita.protocol.v1.PlanNode;
import io.partita.protocol.v1.ReplicaState;
import io.partita.raft.cluster.Placement;
import io.partita.tools.cli.ClusterHealth.Lag;
import io.partita.tools.cli.ClusterHealth.LagKind;
import io.partita.tools.cli.ClusterHealth.NodeState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The status analysis on hand-made plans and node answers. */
class ClusterHealthTest {

    private static final ClusterPlan PLAN = Placement.plan("c-1", List.of(node("n1", 7300), node("n2", 7303),
            node("n3", 7306)), 16, 3, 0);

    private static PlanNode node(String id, int port) {
        return PlanNode.newBuilder().setNodeId(id).setClientAddress("127.0.0.1:" + port)
                .setRaftAddress("127.0.0.1:" + (port + 1)).build();
    }

    /** Every node answers; each group led by its preferred replica at commit index 500, followers caught up. */
    private static Map<String, NodeStatusResponse.Builder> healthyAnswers() {
        Map<String, NodeStatusResponse.Builder> answers = new HashMap<>();
        for (PlanNode n : PLAN.getNodesList()) {
            NodeStatusResponse.Builder b = NodeStatusResponse.newBuilder().setNodeId(n.getNodeId())
                    .setClusterId("c-1").setPlanVersion(1).setUptimeMs(61_000);
            boolean metaLeader = n.getNodeId().equals("n1");
            b.setMeta(GroupStatus.newBuilder().setRole(metaLeader ? "LEADER" : "FOLLOWER").setTerm(2)
                    .setLeaderNodeId("n1"));
            answers.put(n.getNodeId(), b);
        }
        for (PlanGroup g : PLAN.getGroupsList()) {
            String leader = g.getReplicaNodeIds(0);
            for (String r : g.getReplicaNodeIdsList()) {
                GroupStatus.Builder s = GroupStatus.newBuilder().setGroup(g.getGroup()).setTerm(1)
                        .setLeaderNodeId(leader).setCommitIndex(500).setAppliedIndex(500)
                        .setRole(r.equals(leader) ? "LEADER" : "FOLLOWER");
                if (r.equals(leader)) {
                    for (String f : g.getReplicaNodeIdsList()) {
                        if (!f.equals(leader)) {
                            s.addFollowers(FollowerProgress.newBuilder().setNodeId(f).setCommitIndex(500));
                        }
                    }
                }
                answers.get(r).addGroups(s);
            }
        }
        return answers;
    }

    private static ClusterHealth analyze(Map<String, NodeStatusResponse.Builder> answers,
                                         Map<String, String> problems) {
        Map<String, NodeStatusResponse> built = new HashMap<>();
        answers.forEach((id, b) -> built.put(id, b.build()));
        return ClusterHealth.analyze(PLAN, built, problems, 100);
    }

    /** Replaces group {@code g}'s status on node {@code id}. */
    private static void setGroup(Map<String, NodeStatusResponse.Builder> answers, String id, GroupStatus s) {
        NodeStatusResponse.Builder b = answers.get(id);
        for (int i = 0; i < b.getGroupsCount(); i++) {
            if (b.getGroups(i).getGroup() == s.getGroup()) {
                b.setGroups(i, s);
                return;
            }
        }
        b.addGroups(s);
    }

    private static GroupStatus group(Map<String, NodeStatusResponse.Builder> answers, String id, int g) {
        return answers.get(id).getGroupsList().stream().filter(s -> s.getGroup() == g).findFirst().orElseThrow();
    }

    @Test
    void healthyCluster() {
        ClusterHealth h = analyze(healthyAnswers(), Map.of());
        assertTrue(h.healthy());
        assertEquals(0, h.exitCode());
        assertEquals(16, h.groupsWithLeader());
        assertEquals(16, h.ledByPreferred());
        assertEquals("n1", h.metaLeader());
        assertTrue(h.lagging().isEmpty());
        assertTrue(h.problems().isEmpty());
        assertEquals(List.of(6, 5, 5), h.nodes().stream().map(ClusterHealth.NodeRow::groupsLed).toList());
        assertEquals(List.of(16, 16, 16), h.nodes().stream().map(ClusterHealth.NodeRow::groupsHosted).toList());

        List<String> text = StatusReport.text(h);
        assertEquals("Cluster c-1  (plan version 1, 3 nodes, 16 groups, replication factor 3)", text.get(0));
        assertEquals("Health: OK, every node is up and every group has a leader", text.get(1));
        assertEquals(List.of(
                "  NODE  ADDRESS         STATE  UPTIME  GROUPS  LEADS  META",
                "  n1    127.0.0.1:7300  up     1m 1s   16      6      leader",
                "  n2    127.0.0.1:7303  up     1m 1s   16      5      member",
                "  n3    127.0.0.1:7306  up     1m 1s   16      5      member"), text.subList(3, 7));
        assertTrue(text.contains("Groups with a leader: 16/16"), String.join("\n", text));
        assertTrue(text.contains("Metadata group:       leader n1 (members n1, n2, n3)"), String.join("\n", text));
        assertTrue(text.contains("Leader balance:       n1 6, n2 5, n3 5  (16/16 groups led by their preferred "
                + "replica)"), String.join("\n", text));
        assertEquals("Lagging replicas:     none", text.get(text.size() - 1));
    }

    @Test
    void nodeDownIsDegradedAndItsReplicasLag() {
        Map<String, NodeStatusResponse.Builder> answers = healthyAnswers();
        answers.remove("n2");
        // n2's groups were taken over by their second replica.
        for (PlanGroup g : PLAN.getGroupsList()) {
            if (g.getReplicaNodeIds(0).equals("n2")) {
                String next = g.getReplicaNodeIds(1);
                setGroup(answers, next, group(answers, next, g.getGroup()).toBuilder().setRole("LEADER").setTerm(2)
                        .setLeaderNodeId(next).build());
            }
        }
        ClusterHealth h = analyze(answers, Map.of("n2", "UNAVAILABLE: Connection refused"));
        assertFalse(h.healthy());
        assertEquals(1, h.exitCode());
        assertEquals(NodeState.DOWN, h.nodes().get(1).state());
        assertEquals(16, h.groupsWithLeader());
        assertEquals(11, h.ledByPreferred());
        assertEquals(16, h.lagging().size());
        assertTrue(h.lagging().stream().allMatch(l -> l.kind() == LagKind.DOWN && l.nodeId().equals("n2")));
        assertEquals(List.of("1 of 3 nodes down (n2)"), h.problems());

        String text = String.join("\n", StatusReport.text(h));
        assertTrue(text.contains("Health: DEGRADED, 1 of 3 nodes down (n2)"), text);
        assertTrue(text.contains("  n2    127.0.0.1:7303  down   -       -       -      member"), text);
        assertTrue(text.contains("Lagging replicas:\n  n2  down (UNAVAILABLE: Connection refused): replica of 16 "
                + "groups (0-15)"), text);
        assertTrue(text.contains("Leader balance:       n1 8, n3 8  (11/16"), text);
    }

    @Test
    void leaderlessGroupsAndMetaAreDegraded() {
        Map<String, NodeStatusResponse.Builder> answers = healthyAnswers();
        for (int g : new int[] {3, 4, 5, 9}) {
            for (String id : PLAN.getGroups(g).getReplicaNodeIdsList()) {
                setGroup(answers, id, group(answers, id, g).toBuilder().setRole("CANDIDATE").clearFollowers()
                        .build());
            }
        }
        answers.get("n1").setMeta(GroupStatus.newBuilder().setRole("CANDIDATE").setTerm(3));
        ClusterHealth h = analyze(answers, Map.of());
        assertEquals(1, h.exitCode());
        assertEquals(List.of(3, 4, 5, 9), h.leaderlessGroups());
        assertNull(h.metaLeader());
        assertEquals(List.of("4 groups without a leader (3-5, 9)", "the metadata group has no leader"), h.problems());
        String text = String.join("\n", StatusReport.text(h));
        assertTrue(text.contains("Groups with a leader: 12/16 (no leader: 3-5, 9)"), text);
        assertTrue(text.contains("Metadata group:       no leader (members n1, n2, n3)"), text);
    }

    @Test
    void followerFarBehindLags() {
        Map<String, NodeStatusResponse.Builder> answers = healthyAnswers();
        PlanGroup g7 = PLAN.getGroups(7);
        String leader = g7.getReplicaNodeIds(0);
        String slow = g7.getReplicaNodeIds(2);
        setGroup(answers, leader, group(answers, leader, 7).toBuilder().setCommitIndex(1500).clearFollowers()
                .addFollowers(FollowerProgress.newBuilder().setNodeId(g7.getReplicaNodeIds(1)).setCommitIndex(1499))
                .addFollowers(FollowerProgress.newBuilder().setNodeId(slow).setCommitIndex(1200)).build());
        setGroup(answers, g7.getReplicaNodeIds(1), group(answers, g7.getReplicaNodeIds(1), 7).toBuilder()
                .setCommitIndex(1400).build()); // 100 behind by its own report: not lagging
        setGroup(answers, slow, group(answers, slow, 7).toBuilder().setCommitIndex(1100).build());
        ClusterHealth h = analyze(answers, Map.of());
        assertEquals(1, h.exitCode(), "a replica that is catching up is not fully replicated yet");
        assertEquals(List.of(new Lag(7, slow, LagKind.BEHIND, 1200, 1500)), h.lagging());
        assertEquals(List.of(slow + " catching up (1 of 16 groups not hosted yet or behind)"), h.problems());
        String text = String.join("\n", StatusReport.text(h));
        assertTrue(text.contains("  " + slow + "    127.0.0.1:"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("  " + slow + " ") && l.contains(" catching up ")), text);
        assertEquals("catching_up", StatusReport.json(h).get("nodes").get(Integer.parseInt(slow.substring(1)) - 1)
                .get("state").asText());
        assertTrue(text.contains("Lagging replicas:\n  " + slow + "  group 7: commit index 1200, leader " + leader
                + " at 1500 (300 behind)"), text);
        JsonNode lag = StatusReport.json(h).get("lagging").get(0);
        assertEquals("behind", lag.get("reason").asText());
        assertEquals(300, lag.get("behind").asLong());
    }

    @Test
    void aDeposedLeaderWithAnOlderTermLoses() {
        Map<String, NodeStatusResponse.Builder> answers = healthyAnswers();
        PlanGroup g0 = PLAN.getGroups(0);
        String other = g0.getReplicaNodeIds(1);
        setGroup(answers, other, group(answers, other, 0).toBuilder().setRole("LEADER").setTerm(5).build());
        ClusterHealth h = analyze(answers, Map.of());
        assertEquals(other, h.groups().get(0).leader());
        assertEquals(5, h.groups().get(0).term());
    }

    @Test
    void replicaNotHostedAndNodeOfAnotherCluster() {
        Map<String, NodeStatusResponse.Builder> answers = healthyAnswers();
        NodeStatusResponse.Builder n3 = answers.get("n3");
        List<GroupStatus> rest = n3.getGroupsList().stream().filter(s -> s.getGroup() != 2).toList();
        n3.clearGroups().addAllGroups(rest);
        answers.get("n2").setClusterId("c-other");
        ClusterHealth h = analyze(answers, Map.of());
        assertEquals(1, h.exitCode());
        assertEquals(NodeState.OTHER, h.nodes().get(1).state());
        assertEquals(15, h.nodes().get(2).groupsHosted());
        assertTrue(h.lagging().contains(new Lag(2, "n3", LagKind.NOT_HOSTED, 0, 0)), h.lagging().toString());
        String text = String.join("\n", StatusReport.text(h));
        assertTrue(text.contains("  n3    127.0.0.1:7306  catching up  1m 1s   15 of 16"), text);
        assertTrue(text.contains("n3 catching up (1 of 16 groups not hosted yet or behind)"), text);
        assertTrue(text.contains("n3  does not host group 2 it is a replica of"), text);
        assertTrue(text.contains("n2  other (is a member of cluster c-other): replica of 16 groups (0-15)"), text);
        assertTrue(text.contains("1 of 3 nodes not serving this cluster (n2)"), text);
    }

    @Test
    void aReplicaBeingReadmittedIsReportedWithItsGroupShortOfAReplica() {
        Map<String, NodeStatusResponse.Builder> answers = healthyAnswers();
        // n3 lost its data: group 2 has dropped it (reported, not hosted), group 6 catches it up without a vote.
        setGroup(answers, "n3", GroupStatus.newBuilder().setGroup(2).setRole("NONE").setReadmission("REMOVING")
                .build());
        setGroup(answers, "n3", group(answers, "n3", 6).toBuilder().setReadmission("REJOINING").build());
        ClusterHealth h = analyze(answers, Map.of());
        assertEquals(1, h.exitCode());
        assertTrue(h.lagging().stream().anyMatch(l -> l.group() == 2 && l.kind() == LagKind.REMOVED),
                h.lagging().toString());
        assertTrue(h.lagging().stream().anyMatch(l -> l.group() == 6 && l.kind() == LagKind.READMITTING),
                h.lagging().toString());
        assertEquals(15, h.nodes().get(2).groupsHosted());
        String text = String.join("\n", StatusReport.text(h));
        assertTrue(text.contains("n3  lost its data: being removed from group 2 before re-admission (one replica"
                + " fewer until it is back)"), text);
        assertTrue(text.contains("n3  lost its data: re-admitted to group 6, catching up without a vote (one replica"
                + " fewer until it is back)"), text);
        assertTrue(StatusReport.json(h).toString().contains("\"reason\":\"readmitting\""),
                StatusReport.json(h).toString());
    }

    @Test
    void noAnswerAtAllExits4() {
        ClusterHealth h = analyze(new HashMap<>(), Map.of("n1", "UNAVAILABLE: Connection refused"));
        assertEquals(4, h.exitCode());
        assertFalse(h.anyAnswered());
    }

    @Test
    void jsonCarriesTheSameContent() {
        ClusterHealth h = analyze(healthyAnswers(), Map.of());
        JsonNode j = StatusReport.json(h);
        assertTrue(j.get("healthy").asBoolean());
        assertEquals("c-1", j.get("cluster_id").asText());
        assertEquals(16, j.get("groups_with_leader").asInt());
        assertEquals(3, j.get("nodes").size());
        assertEquals("up", j.get("nodes").get(0).get("state").asText());
        assertEquals(6, j.get("nodes").get(0).get("groups_led").asInt());
        assertEquals("leader", j.get("nodes").get(0).get("meta").asText());
        assertEquals("n1", j.get("meta").get("leader").asText());
        assertEquals(16, j.get("groups").size());
        assertEquals(PLAN.getGroups(4).getReplicaNodeIds(0), j.get("groups").get(4).get("leader").asText());
        assertEquals(500, j.get("groups").get(4).get("commit_index").asLong());
        assertEquals(0, j.get("lagging").size());
    }

    @Test
    void rangesAreCompact() {
        assertEquals("0-3, 7, 9-10", ClusterHealth.ranges(List.of(0, 1, 2, 3, 7, 9, 10)));
        assertEquals("5", ClusterHealth.ranges(List.of(5)));
        assertEquals("", ClusterHealth.ranges(List.of()));
    }

    /**
     * Replicas their nodes report stopped (an apply failed), stuck or missing: listed per group, never taken as
     * leader (a stopped replica may still say LEADER), and the cluster is unhealthy (exit 1).
     */
    @Test
    void stoppedStuckAndMissingReplicasAreUnhealthy() {
        Map<String, NodeStatusResponse.Builder> answers = healthyAnswers();
        PlanGroup g4 = PLAN.getGroups(4);
        String leader = g4.getReplicaNodeIds(0);
        String stopped = g4.getReplicaNodeIds(1);
        String failure = "applying log entry 481 failed: group 4: cannot apply entry 481: No space left on device";
        setGroup(answers, stopped, group(answers, stopped, 4).toBuilder().setRole("LEADER").setTerm(9)
                .setAppliedIndex(480).setReplicaState(ReplicaState.REPLICA_STOPPED).setReplicaProblem(failure).build());
        PlanGroup g9 = PLAN.getGroups(9);
        String stuck = g9.getReplicaNodeIds(2);
        String still = "applied index 300 has not advanced for 45 s while the commit index is 500";
        setGroup(answers, stuck, group(answers, stuck, 9).toBuilder().setAppliedIndex(300)
                .setReplicaState(ReplicaState.REPLICA_STUCK).setReplicaProblem(still).build());
        PlanGroup g11 = PLAN.getGroups(11);
        String missing = g11.getReplicaNodeIds(1);
        setGroup(answers, missing, GroupStatus.newBuilder().setGroup(11).setReplicaState(ReplicaState.REPLICA_MISSING)
                .setReplicaProblem("this node holds no replica of it").build());

        ClusterHealth h = analyze(answers, Map.of());
        assertFalse(h.healthy());
        assertEquals(1, h.exitCode());
        assertEquals(leader, h.groups().get(4).leader(), "a stopped replica is never the leader");
        assertEquals(16, h.groupsWithLeader());
        assertTrue(h.lagging().contains(new Lag(4, stopped, LagKind.STOPPED, 480, 500, failure)), h.lagging()::toString);
        assertTrue(h.lagging().contains(new Lag(9, stuck, LagKind.STUCK, 300, 500, still)), h.lagging()::toString);
        assertTrue(h.lagging().contains(new Lag(11, missing, LagKind.NOT_HOSTED, 0, 500,
                "this node holds no replica of it")), h.lagging()::toString);
        int missingRow = Integer.parseInt(missing.substring(1)) - 1;
        assertEquals(15, h.nodes().get(missingRow).groupsHosted());
        assertTrue(h.problems().contains(stopped + "'s replica of group 4 is stopped (" + failure + "): restart "
                + stopped), h.problems()::toString);
        assertTrue(h.problems().contains(stuck + "'s replica of group 9 is stuck (" + still + ")"),
                h.problems()::toString);
        assertTrue(h.problems().contains(missing + "'s replica of group 11 is missing (this node holds no replica of"
                + " it): restart " + missing), h.problems()::toString);
        assertEquals("replica stopped", h.nodes().get(missingRow).stateLabel(), "not catching up: it will not by itself");

        String text = String.join("\n", StatusReport.text(h));
        assertTrue(text.contains("  " + stopped + "  group 4: replica STOPPED at applied index 480 (" + failure + ")"),
                text);
        assertTrue(text.contains("  " + stuck + "  group 9: replica STUCK at applied index 300 (" + still + ")"), text);
        assertTrue(text.contains(missing + "  does not host group 11 it is a replica of (this node holds no replica"
                + " of it)"), text);
        int stoppedRow = Integer.parseInt(stopped.substring(1)) - 1;
        assertEquals("replica stopped", h.nodes().get(stoppedRow).stateLabel());
        JsonNode json = StatusReport.json(h);
        assertFalse(json.get("healthy").asBoolean());
        assertEquals("replica_stopped", json.get("nodes").get(stoppedRow).get("state").asText());
        boolean found = false;
        for (JsonNode l : json.get("lagging")) {
            if (l.get("group").asInt() == 4) {
                assertEquals("stopped", l.get("reason").asText());
                assertEquals(480, l.get("applied_index").asLong());
                assertEquals(failure, l.get("problem").asText());
                found = true;
            }
        }
        assertTrue(found, json::toString);
    }

    @Test
    void aStoppedMetadataReplicaIsUnhealthy() {
        Map<String, NodeStatusResponse.Builder> answers = healthyAnswers();
        answers.get("n3").setMeta(GroupStatus.newBuilder().setRole("FOLLOWER").setTerm(2).setLeaderNodeId("n1")
                .setReplicaState(ReplicaState.REPLICA_STOPPED).setReplicaProblem("Ratis closed the replica (replica"
                        + " CLOSED)"));
        ClusterHealth h = analyze(answers, Map.of());
        assertEquals(1, h.exitCode());
        assertEquals("n1", h.metaLeader());
        assertEquals(List.of("n3's replica of the metadata group is stopped (Ratis closed the replica (replica"
                + " CLOSED))"), h.problems());
    }
}
