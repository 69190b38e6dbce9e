package io.partita.raft.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.Move;
import io.partita.protocol.v1.PlanGroup;
import io.partita.protocol.v1.NodeState;
import io.partita.protocol.v1.PlanNode;
import io.partita.raft.cluster.Rebalance.Step;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RebalanceTest {
    private static final long SEED = Long.getLong("partita.test.seed", 20240611L);

    // ---- plans ----

    /** Nodes "id" or "id:rack". */
    private static List<PlanNode> nodes(String... specs) {
        List<PlanNode> out = new ArrayList<>();
        for (String spec : specs) {
            String[] idRack = spec.split(":", 2);
            out.add(PlanNode.newBuilder().setNodeId(idRack[0]).setRaftAddress(idRack[0] + ":1")
                    .setClientAddress(idRack[0] + ":2").setRack(idRack.length > 1 ? idRack[1] : "").build());
        }
        return out;
    }

    private static List<PlanNode> nodes(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ids.add("n" + i);
        }
        return nodes(ids.toArray(String[]::new));
    }

    private static ClusterPlan placed(List<PlanNode> nodes, int groups, int rf) {
        return Placement.plan("c", nodes, groups, rf, 0);
    }

    private static ClusterPlan withNodes(ClusterPlan plan, List<PlanNode> added) {
        return plan.toBuilder().addAllNodes(added).build();
    }

    private static ClusterPlan leaving(ClusterPlan plan, String... ids) {
        ClusterPlan.Builder b = plan.toBuilder();
        for (int i = 0; i < b.getNodesCount(); i++) {
            if (List.of(ids).contains(b.getNodes(i).getNodeId())) {
                b.setNodes(i, b.getNodes(i).toBuilder().setState(NodeState.NODE_LEAVING));
            }
        }
        return b.build();
    }

    private static List<String> members(ClusterPlan plan, int group) {
        return group == Step.META ? plan.getMetaNodeIdsList() : plan.getGroups(group).getReplicaNodeIdsList();
    }

    private static Move moveOf(ClusterPlan plan, int group) {
        return group == Step.META ? plan.getMetaMove() : plan.getGroups(group).getMove();
    }

    private static ClusterPlan withMembers(ClusterPlan plan, int group, List<String> members) {
        if (group == Step.META) {
            return plan.toBuilder().clearMetaNodeIds().addAllMetaNodeIds(members).clearMetaMove().build();
        }
        return plan.toBuilder().setGroups(group, plan.getGroups(group).toBuilder().clearReplicaNodeIds()
                .addAllReplicaNodeIds(members).clearMove()).build();
    }

    /** The step done at once. */
    private static ClusterPlan applied(ClusterPlan plan, Step step) {
        return withMembers(plan, step.group(), Rebalance.replicasAfter(members(plan, step.group()), step));
    }

    /** The step recorded as a move in progress, as the driver does before carrying it out. */
    private static ClusterPlan started(ClusterPlan plan, Step step) {
        Move move = Move.newBuilder().setFromNodeId(step.from()).setToNodeId(step.to()).build();
        return step.group() == Step.META ? plan.toBuilder().setMetaMove(move).build()
                : plan.toBuilder().setGroups(step.group(), plan.getGroups(step.group()).toBuilder().setMove(move))
                .build();
    }

    private static ClusterPlan completed(ClusterPlan plan, int group) {
        Move move = moveOf(plan, group);
        return applied(plan, new Step(group, move.getFromNodeId(), move.getToNodeId()));
    }

    private static List<Integer> inFlight(ClusterPlan plan) {
        List<Integer> out = new ArrayList<>();
        if (!plan.getMetaMove().getFromNodeId().isEmpty()) {
            out.add(Step.META);
        }
        for (int g = 0; g < plan.getGroupsCount(); g++) {
            if (!plan.getGroups(g).getMove().getFromNodeId().isEmpty()) {
                out.add(g);
            }
        }
        return out;
    }

    // ---- what the rules say, computed independently of the planner ----

    private static Map<String, String> activeRacks(ClusterPlan plan) {
        Map<String, String> out = new TreeMap<>();
        plan.getNodesList().stream().filter(n -> n.getState() == NodeState.NODE_ACTIVE)
                .forEach(n -> out.put(n.getNodeId(), n.getRack()));
        return out;
    }

    /** Rule 3: distinct racks when there are enough, else as even as the racks' node counts allow. */
    private static int allowedPerRack(ClusterPlan plan, int k) {
        Map<String, Integer> sizes = new HashMap<>();
        activeRacks(plan).values().forEach(r -> sizes.merge(r, 1, Integer::sum));
        if (sizes.size() >= k) {
            return 1;
        }
        for (int cap = 1; cap <= k; cap++) {
            final int c = cap;
            if (sizes.values().stream().mapToInt(s -> Math.min(s, c)).sum() >= k) {
                return cap;
            }
        }
        return k;
    }

    private static int maxOnOneRack(ClusterPlan plan, List<String> members) {
        Map<String, String> racks = activeRacks(plan);
        Map<String, Integer> counts = new HashMap<>();
        members.forEach(m -> counts.merge(racks.get(m), 1, Integer::sum));
        return counts.values().stream().max(Integer::compare).orElse(0);
    }

    /** Data replicas per active node, moves in progress counted as done. */
    private static Map<String, Integer> loads(ClusterPlan plan) {
        Map<String, Integer> out = new TreeMap<>();
        activeRacks(plan).keySet().forEach(n -> out.put(n, 0));
        for (int g = 0; g < plan.getGroupsCount(); g++) {
            List<String> replicas = members(plan, g);
            Move move = moveOf(plan, g);
            if (!move.getFromNodeId().isEmpty()) {
                replicas = Rebalance.replicasAfter(replicas, new Step(g, move.getFromNodeId(), move.getToNodeId()));
            }
            replicas.forEach(n -> out.computeIfPresent(n, (k, v) -> v + 1));
        }
        return out;
    }

    /** Rule 8's count: each move takes one replica off a node over the mean's ceiling or onto one under its floor. */
    private static int minimalMoves(ClusterPlan plan) {
        Map<String, Integer> loads = loads(plan);
        int total = loads.values().stream().mapToInt(Integer::intValue).sum();
        int floor = total / loads.size();
        int ceil = (total + loads.size() - 1) / loads.size();
        return Math.max(loads.values().stream().mapToInt(l -> Math.max(0, l - ceil)).sum(),
                loads.values().stream().mapToInt(l -> Math.max(0, floor - l)).sum());
    }

    private static void assertFloorOrCeil(ClusterPlan plan, String context) {
        Map<String, Integer> loads = loads(plan);
        int total = loads.values().stream().mapToInt(Integer::intValue).sum();
        int floor = total / loads.size();
        int ceil = (total + loads.size() - 1) / loads.size();
        loads.values().forEach(l -> assertTrue(l == floor || l == ceil, context + ": loads " + loads));
    }

    /** Steps of one call: valid on the plan as it is, on distinct idle groups, most urgent first (rule 6, 7). */
    private static void assertValidSteps(ClusterPlan plan, List<Step> steps, String context) {
        Map<String, String> racks = activeRacks(plan);
        Set<Integer> groups = new HashSet<>();
        int lastUrgency = 0;
        for (Step s : steps) {
            String what = context + ": " + s + " of " + steps;
            assertTrue(groups.add(s.group()), what + " repeats a group");
            assertTrue(moveOf(plan, s.group()).getFromNodeId().isEmpty(), what + " targets a group that moves");
            List<String> members = members(plan, s.group());
            assertTrue(members.contains(s.from()), what + ": from is no replica of " + members);
            if (s.removal()) {
                assertEquals(Step.META, s.group(), what + ": only the metadata group shrinks");
            } else {
                assertTrue(racks.containsKey(s.to()), what + ": to is not active");
                assertFalse(members.contains(s.to()), what + ": to is a replica already");
            }
            int urgency = s.group() == Step.META && (s.removal() || !racks.containsKey(s.from())) ? 0
                    : !racks.containsKey(s.from()) ? 1
                    : maxOnOneRack(plan, members) > allowedPerRack(plan, members.size()) ? 2 : 3;
            assertTrue(urgency >= lastUrgency, what + ": less urgent steps come later");
            lastUrgency = urgency;
        }
    }

    /** Rules 1 to 5 hold, and no single move would lower the imbalance without breaking them. */
    private static void assertTarget(ClusterPlan plan, int rf, int metaSizeBefore, String context) {
        Map<String, String> racks = activeRacks(plan);
        assertEquals(List.of(), inFlight(plan), context);
        for (int g = 0; g < plan.getGroupsCount(); g++) {
            List<String> replicas = members(plan, g);
            String what = context + ": group " + g + " " + replicas;
            assertEquals(rf, replicas.size(), what);
            assertEquals(rf, new HashSet<>(replicas).size(), what + " distinct");
            assertTrue(racks.keySet().containsAll(replicas), what + " on active nodes " + racks.keySet());
            assertTrue(maxOnOneRack(plan, replicas) <= allowedPerRack(plan, rf), what + " racks " + racks);
        }
        List<String> meta = plan.getMetaNodeIdsList();
        assertEquals(Math.min(metaSizeBefore, Placement.metaGroupSize(racks.size())), meta.size(), context + meta);
        assertEquals(meta.size(), new HashSet<>(meta).size(), context + ": meta " + meta);
        assertTrue(racks.keySet().containsAll(meta), context + ": meta " + meta + " on active nodes");
        assertTrue(maxOnOneRack(plan, meta) <= allowedPerRack(plan, meta.size()), context + ": meta racks " + meta);
        Map<String, Integer> loads = loads(plan);
        for (int g = 0; g < plan.getGroupsCount(); g++) {
            List<String> replicas = members(plan, g);
            for (String from : replicas) {
                for (String to : racks.keySet()) {
                    if (!replicas.contains(to) && loads.get(from) - loads.get(to) >= 2) {
                        List<String> after = Rebalance.replicasAfter(replicas, new Step(g, from, to));
                        assertTrue(maxOnOneRack(plan, after) > allowedPerRack(plan, rf),
                                context + ": moving group " + g + " from " + from + " to " + to
                                        + " would even out loads " + loads);
                    }
                }
            }
        }
        assertEquals(List.of(), Rebalance.nextMoves(plan, 10), context);
        assertTrue(Rebalance.balanced(plan), context);
    }

    private record Run(ClusterPlan plan, int moves) {
    }

    /** Applies nextMoves until it is empty, checking every call's steps. */
    private static Run run(ClusterPlan plan, int limit, int maxMoves, String context) {
        int moves = 0;
        for (List<Step> steps = Rebalance.nextMoves(plan, limit); !steps.isEmpty();
             steps = Rebalance.nextMoves(plan, limit)) {
            assertValidSteps(plan, steps, context);
            assertTrue(steps.size() <= limit, context);
            for (Step s : steps) {
                plan = applied(plan, s);
            }
            moves += steps.size();
            assertTrue(moves <= maxMoves, context + ": still moving after " + moves + " moves");
        }
        return new Run(plan, moves);
    }

    // ---- growing and shrinking ----

    @ParameterizedTest
    @CsvSource({"6,1", "6,4", "10,1", "10,3"})
    void growingFromThreeToFiveNodesMovesOnlyTheExcess(int groups, int limit) {
        ClusterPlan plan = withNodes(placed(nodes(3), groups, 3), nodes("n4", "n5"));
        int expected = minimalMoves(plan);
        Run run = run(plan, limit, 100, groups + " groups");
        assertTarget(run.plan(), 3, 3, groups + " groups");
        assertFloorOrCeil(run.plan(), groups + " groups");
        assertEquals(expected, run.moves(), "moves for " + groups + " groups: " + loads(plan));
        assertEquals(run.moves(), Rebalance.movesToPlan(plan), "counted up front");
        if (groups == 6) {
            assertEquals(6, run.moves(), "18 replicas over 5 nodes: 4,4,4,3,3");
        }
        assertEquals(plan.getMetaNodeIdsList(), run.plan().getMetaNodeIdsList(), "the meta group stays put");
    }

    @Test
    void decommissioningTwoOfFiveNodesEmptiesThemAndShrinksTheMetaGroup() {
        ClusterPlan plan = leaving(placed(nodes(5), 10, 3), "n4", "n5");
        assertEquals(5, plan.getMetaNodeIdsCount());
        List<Step> first = Rebalance.nextMoves(plan, 100);
        assertEquals(new Step(Step.META, "n4", ""), first.get(0), "the meta group shrinks first: " + first);
        Run run = run(plan, 3, 100, "5 -> 3");
        assertTarget(run.plan(), 3, 5, "5 -> 3");
        assertEquals(List.of("n1", "n2", "n3"), run.plan().getMetaNodeIdsList());
        assertEquals(12 + 2, run.moves(), "the 12 replicas on n4 and n5, and 2 meta removals");
        assertEquals(12 + 2, Rebalance.movesToPlan(plan), "counted up front");
    }

    @Test
    void aLeavingMetaMemberIsReplacedWhenTheMetaGroupKeepsItsSize() {
        ClusterPlan plan = leaving(withNodes(placed(nodes("n1:a", "n2:a", "n3:b", "n4:c"), 8, 3),
                nodes("n5:d")), "n2");
        assertEquals(List.of("n1", "n2", "n3"), plan.getMetaNodeIdsList());
        List<Step> steps = Rebalance.nextMoves(plan, 1);
        assertEquals(List.of(new Step(Step.META, "n2", "n5")), steps,
                "to a rack the meta group lacks, then the fewest data replicas (n5 holds none)");
        Run run = run(plan, 2, 100, "meta replaced");
        assertTarget(run.plan(), 3, 3, "meta replaced");
    }

    @Test
    void tooFewActiveNodesForTheReplicationFactorGivesNoDataStep() {
        ClusterPlan plan = leaving(placed(nodes(3), 6, 3), "n3");
        assertEquals(List.of(new Step(Step.META, "n3", "")), Rebalance.nextMoves(plan, 10),
                "only the meta group shrinks to the 2 active nodes");
        ClusterPlan after = applied(plan, new Step(Step.META, "n3", ""));
        assertEquals(List.of(), Rebalance.nextMoves(after, 10));
    }

    @Test
    void replicasOnNodesThePlanDoesNotListMoveOff() {
        ClusterPlan plan = placed(nodes(4), 4, 2);
        plan = withMembers(plan, 1, List.of("ghost", plan.getGroups(1).getReplicaNodeIds(1)));
        List<Step> steps = Rebalance.nextMoves(plan, 10);
        assertEquals(1, steps.get(0).group(), steps.toString());
        assertEquals("ghost", steps.get(0).from(), steps.toString());
        Run run = run(plan, 10, 20, "ghost");
        assertTarget(run.plan(), 2, 3, "ghost");
    }

    // ---- racks ----

    @Test
    void aRackBlindPlacementIsSpreadOverThreeRacks() {
        ClusterPlan plan = placed(nodes("n1:a", "n2:a", "n3:b", "n4:b", "n5:c", "n6:c"), 12, 3);
        assertTrue(plan.getGroupsList().stream().anyMatch(g -> maxOnOneRack(plan, g.getReplicaNodeIdsList()) > 1),
                "the placement ignores racks");
        Run run = run(plan, 4, 100, "3 racks");
        assertTarget(run.plan(), 3, 5, "3 racks");
        assertFloorOrCeil(run.plan(), "3 racks");
        assertEquals(2, maxOnOneRack(run.plan(), run.plan().getMetaNodeIdsList()), "5 meta members on 3 racks: 2,2,1");
    }

    @Test
    void settlingANewClusterPlacesItOnDistinctRacksAtOnce() {
        ClusterPlan plan = placed(nodes("n1:a", "n2:a", "n3:b", "n4:b", "n5:c", "n6:c"), 12, 3);
        ClusterPlan settled = Rebalance.settle(plan);
        assertTarget(settled, 3, 5, "settled");
        assertFloorOrCeil(settled, "settled");
        for (PlanGroup g : settled.getGroupsList()) {
            assertEquals(1, maxOnOneRack(settled, g.getReplicaNodeIdsList()), "group " + g.getGroup());
        }
        assertTrue(Rebalance.balanced(settled));
        assertEquals(settled, Rebalance.withSpreadLeaders(settled), "leaders spread");

        ClusterPlan rackless = placed(nodes(5), 10, 3);
        assertEquals(rackless, Rebalance.settle(rackless), "without racks the placement is already the target");
    }

    @Test
    void aNodeInANewRackTakesItsShare() {
        ClusterPlan spread = run(placed(nodes("n1:a", "n2:a", "n3:b", "n4:b", "n5:c", "n6:c"), 12, 3), 4, 100,
                "3 racks").plan();
        ClusterPlan plan = withNodes(spread, nodes("n7:d"));
        Run run = run(plan, 4, 100, "new rack");
        assertTarget(run.plan(), 3, 5, "new rack");
        assertFloorOrCeil(run.plan(), "new rack");
        assertEquals(minimalMoves(plan), run.moves(), "only the excess moves: " + loads(plan));
    }

    @Test
    void withFewerRacksThanReplicasNoRackHoldsMoreThanItsShare() {
        ClusterPlan plan = placed(nodes("n1:a", "n2:a", "n3:a", "n4:b", "n5:b"), 10, 3);
        assertTrue(plan.getGroupsList().stream().anyMatch(g -> maxOnOneRack(plan, g.getReplicaNodeIdsList()) > 2),
                "some group starts with all 3 replicas on rack a");
        Run run = run(plan, 3, 100, "2 racks");
        assertTarget(run.plan(), 3, 5, "2 racks");
        run.plan().getGroupsList().forEach(g -> assertEquals(2, maxOnOneRack(run.plan(), g.getReplicaNodeIdsList()),
                "ceil(3/2) on one rack, 1 on the other: " + g));
        assertFloorOrCeil(run.plan(), "2 racks");
    }

    @Test
    void aOneNodeRackHoldsEveryGroupSoNoRackHoldsAllCopies() {
        ClusterPlan plan = placed(nodes("n1:a", "n2:a", "n3:a", "n4:a", "n5:b"), 8, 3);
        Run run = run(plan, 3, 100, "lone rack");
        assertTarget(run.plan(), 3, 5, "lone rack");
        assertEquals(Map.of("n1", 4, "n2", 4, "n3", 4, "n4", 4, "n5", 8), loads(run.plan()),
                "the racks' sizes leave no better balance");
    }

    // ---- the plan as it is ----

    @Test
    void aBalancedPlanNeedsNoMove() {
        ClusterPlan plan = placed(nodes(5), 10, 3);
        assertEquals(List.of(), Rebalance.nextMoves(plan, 10));
        assertTrue(Rebalance.balanced(plan));
        assertEquals(List.of(), Rebalance.nextMoves(withNodes(placed(nodes(3), 6, 3), nodes("n4")), 0), "limit 0");
    }

    @Test
    void theSamePlanGivesTheSameStepsWhateverItsNodeOrder() {
        ClusterPlan plan = withNodes(placed(nodes("n1:a", "n2:b", "n3:a"), 9, 2), nodes("n4:b", "n5:c"));
        List<Step> steps = Rebalance.nextMoves(plan, 5);
        assertEquals(5, steps.size(), steps.toString());
        assertEquals(steps, Rebalance.nextMoves(plan, 5));
        List<PlanNode> reversed = new ArrayList<>(plan.getNodesList());
        Collections.reverse(reversed);
        assertEquals(steps, Rebalance.nextMoves(plan.toBuilder().clearNodes().addAllNodes(reversed).build(), 5));
        assertEquals(steps.subList(0, 2), Rebalance.nextMoves(plan, 2), "a lower limit gives the first steps");
    }

    @Test
    void stepsComeMostUrgentFirst() {
        ClusterPlan plan = leaving(withNodes(placed(nodes("n1:a", "n2:a", "n3:b", "n4:b", "n5:c", "n6:c"), 12, 3),
                nodes("n7:a", "n8:d")), "n3");
        List<Step> steps = Rebalance.nextMoves(plan, 100);
        assertValidSteps(plan, steps, "urgency");
        assertEquals(Step.META, steps.get(0).group(), steps.toString());
        assertEquals("n3", steps.get(0).from(), steps.toString());
        Set<String> kinds = new HashSet<>();
        for (Step s : steps.subList(1, steps.size())) {
            List<String> members = members(plan, s.group());
            kinds.add(s.from().equals("n3") ? "leaving"
                    : maxOnOneRack(plan, members) > 1 ? "rack" : "balance");
        }
        assertEquals(Set.of("leaving", "rack", "balance"), kinds, steps.toString());
    }

    @Test
    void groupsWithAMoveInProgressAreLeftAloneAndCountAsMoved() {
        ClusterPlan grown = withNodes(placed(nodes(3), 6, 3), nodes("n4", "n5"));
        ClusterPlan plan = started(started(started(grown, new Step(0, "n1", "n4")), new Step(1, "n2", "n5")),
                new Step(2, "n3", "n4"));
        plan = started(plan, new Step(Step.META, "n3", "n5"));
        List<Step> steps = Rebalance.nextMoves(plan, 100);
        assertValidSteps(plan, steps, "in progress");
        assertEquals(3, steps.size(), "6 moves in all, 3 under way: " + steps);
        steps.forEach(s -> assertTrue(s.group() >= 3, "not a group that moves: " + s));
        assertFalse(Rebalance.balanced(plan), "moves are under way");
        for (Step s : steps) {
            plan = started(plan, s);
        }
        for (int g : inFlight(plan)) {
            plan = completed(plan, g);
        }
        assertFloorOrCeil(plan, "in progress");
        assertEquals(List.of(), Rebalance.nextMoves(plan, 100));
    }

    @Test
    void replicasAfterKeepsThePosition() {
        List<String> replicas = List.of("a", "b", "c");
        assertEquals(List.of("a", "d", "c"), Rebalance.replicasAfter(replicas, new Step(4, "b", "d")));
        assertEquals(List.of("d", "b", "c"), Rebalance.replicasAfter(replicas, new Step(4, "a", "d")));
        assertEquals(List.of("a", "c"), Rebalance.replicasAfter(replicas, new Step(Step.META, "b", "")));
        assertThrows(IllegalArgumentException.class, () -> Rebalance.replicasAfter(replicas, new Step(0, "x", "d")));
        assertThrows(IllegalArgumentException.class, () -> Rebalance.replicasAfter(replicas, new Step(0, "a", "b")));
        assertThrows(IllegalArgumentException.class, () -> new Step(0, "a", "a"));
        assertThrows(IllegalArgumentException.class, () -> new Step(-2, "a", "b"));
    }

    // ---- preferred leaders ----

    private static Map<String, Integer> leaderCounts(ClusterPlan plan) {
        Map<String, Integer> out = new TreeMap<>();
        plan.getGroupsList().forEach(g -> out.merge(g.getReplicaNodeIds(0), 1, Integer::sum));
        return out;
    }

    @ParameterizedTest
    @CsvSource({"6", "10", "16"})
    void leadersAreSpreadAfterGrowing(int groups) {
        ClusterPlan balanced = run(withNodes(placed(nodes(3), groups, 3), nodes("n4", "n5")), 4, 100, "grown")
                .plan();
        ClusterPlan spread = Rebalance.withSpreadLeaders(balanced);
        int share = (groups + 4) / 5;
        Map<String, Integer> leaders = leaderCounts(spread);
        assertTrue(leaders.values().stream().allMatch(c -> c <= share), "at most " + share + ": " + leaders);
        for (int g = 0; g < groups; g++) {
            assertEquals(Set.copyOf(balanced.getGroups(g).getReplicaNodeIdsList()),
                    Set.copyOf(spread.getGroups(g).getReplicaNodeIdsList()), "group " + g);
        }
        assertEquals(balanced.getVersion(), spread.getVersion());
        assertSame(spread, Rebalance.withSpreadLeaders(spread), "already spread");
    }

    @Test
    void spreadingLeadersLeavesMovingGroupsAndSpreadPlansAlone() {
        ClusterPlan placed = placed(nodes(4), 8, 3);
        assertSame(placed, Rebalance.withSpreadLeaders(placed), "the placement spreads its leaders");
        ClusterPlan skewed = placed;
        for (int g = 0; g < 8; g++) { // n1 first wherever it is a replica
            List<String> order = new ArrayList<>(members(skewed, g));
            if (order.remove("n1")) {
                order.add(0, "n1");
                skewed = withMembers(skewed, g, order);
            }
        }
        assertEquals(List.of("n1", "n2", "n3"), members(skewed, 0));
        skewed = started(skewed, new Step(0, "n2", "n4"));
        ClusterPlan spread = Rebalance.withSpreadLeaders(skewed);
        assertEquals(skewed.getGroups(0), spread.getGroups(0), "a moving group keeps its order");
        Map<String, Integer> leaders = leaderCounts(spread);
        assertTrue(leaderCounts(skewed).get("n1") > 3, leaderCounts(skewed).toString());
        assertTrue(leaders.values().stream().allMatch(c -> c <= 2), "ceil(8/4): " + leaders);
    }

    @Test
    void leavingNodesStopLeadingWhereAnActiveReplicaCan() {
        ClusterPlan plan = leaving(placed(nodes(5), 10, 3), "n5");
        ClusterPlan spread = Rebalance.withSpreadLeaders(plan);
        assertFalse(leaderCounts(spread).containsKey("n5"), leaderCounts(spread).toString());
        assertTrue(leaderCounts(spread).values().stream().allMatch(c -> c <= 3), leaderCounts(spread).toString());
    }

    // ---- counting what is left ----

    @Test
    void movesToPlanLeavesMovesInProgressOutAndReachesZero() {
        ClusterPlan plan = withNodes(placed(nodes(3), 10, 3), nodes("n4", "n5"));
        int total = minimalMoves(plan);
        assertTrue(total > 4, "enough moves to run several at once: " + total);
        assertEquals(total, Rebalance.movesToPlan(plan));
        int completed = 0;
        while (true) {
            for (Step s : Rebalance.nextMoves(plan, 3)) {
                plan = started(plan, s);
            }
            List<Integer> moving = inFlight(plan);
            // What a rebalance's progress adds up: done, in flight, and still to plan.
            assertEquals(total, completed + moving.size() + Rebalance.movesToPlan(plan), "after " + completed);
            if (moving.isEmpty()) {
                break;
            }
            plan = completed(plan, moving.get(0));
            completed++;
        }
        assertEquals(total, completed);
        assertEquals(0, Rebalance.movesToPlan(plan));
        assertTrue(Rebalance.balanced(plan));
    }

    @Test
    void movesToPlanOfABalancedPlanIsZero() {
        assertEquals(0, Rebalance.movesToPlan(placed(nodes(4), 12, 3)));
    }

    // ---- random plans ----

    @Test
    void randomPlansReachTheTargetAndStayThere() {
        Random random = new Random(SEED);
        for (int trial = 0; trial < 400; trial++) {
            long seed = random.nextLong();
            randomPlanReachesTheTarget(seed, "seed " + SEED + " trial " + trial + " (-Dpartita.test.seed=" + SEED
                    + ")");
        }
    }

    private static void randomPlanReachesTheTarget(long seed, String context) {
        Random rnd = new Random(seed);
        int nodeCount = 3 + rnd.nextInt(7);
        int rf = 1 + rnd.nextInt(3);
        int labels = rnd.nextInt(5);
        int groups = 1 + rnd.nextInt(40);
        List<String> specs = new ArrayList<>();
        for (int i = 1; i <= nodeCount; i++) {
            specs.add("n" + i + (labels == 0 ? "" : ":r" + rnd.nextInt(labels)));
        }
        List<PlanNode> all = nodes(specs.toArray(String[]::new));
        int initial = rf + rnd.nextInt(nodeCount - rf + 1); // the cluster's first nodes; the others join later
        ClusterPlan plan = withNodes(placed(all.subList(0, initial), groups, rf), all.subList(initial, nodeCount));
        List<String> ids = new ArrayList<>(specs.stream().map(s -> s.split(":")[0]).toList());
        Collections.shuffle(ids, rnd);
        int leave = rnd.nextInt(nodeCount - Math.max(rf, 1) + 1);
        plan = leaving(plan, ids.subList(0, leave).toArray(String[]::new));
        String what = context + ": " + nodeCount + " nodes, rf " + rf + ", " + labels + " racks, " + groups
                + " groups, " + leave + " leaving";
        int metaBefore = plan.getMetaNodeIdsCount();
        int bound = groups * rf * 2 + 10;
        int moves = 0;
        while (true) {
            List<Step> steps = Rebalance.nextMoves(plan, 1 + rnd.nextInt(4));
            assertValidSteps(plan, steps, what);
            moves += steps.size();
            assertTrue(moves <= bound, what + ": still moving after " + moves + " moves");
            for (Step s : steps) {
                plan = started(plan, s);
            }
            List<Integer> moving = inFlight(plan);
            if (moving.isEmpty()) {
                break;
            }
            Collections.shuffle(moving, rnd); // moves finish in any order
            for (int g : moving.subList(0, 1 + rnd.nextInt(moving.size()))) {
                plan = completed(plan, g);
            }
        }
        assertTarget(plan, rf, metaBefore, what);
        if (new HashSet<>(activeRacks(plan).values()).size() == 1) {
            assertFloorOrCeil(plan, what);
        }
        ClusterPlan spread = Rebalance.withSpreadLeaders(plan);
        int active = activeRacks(plan).size();
        int share = (groups + active - 1) / active;
        Map<String, Integer> leaders = leaderCounts(spread);
        assertTrue(leaders.values().stream().allMatch(c -> c <= share + 1), what + ": leaders " + leaders);
        assertTrue(Rebalance.balanced(spread), what);
    }
}
