package io.partita.raft.cluster;

import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.Move;
import io.partita.protocol.v1.NodeState;
import io.partita.protocol.v1.PlanGroup;
import io.partita.protocol.v1.PlanNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides which replica moves bring a cluster's placement to balance, rack-aware. Pure and deterministic: the same
 * plan always gives the same answer, and nothing here touches a node.
 *
 * <p>Usage, by whichever node drives the rebalance:
 * <pre>{@code
 * for (Rebalance.Step step : Rebalance.nextMoves(plan, maxConcurrentMoves - movesInProgress)) {
 *     // record it as the group's move (step.group() == Step.META: the plan's meta_move), then carry it out; once
 *     // done the group's replicas become Rebalance.replicasAfter(replicas, step) and the move is cleared
 * }
 * if (Rebalance.balanced(plan)) {
 *     plan = Rebalance.withSpreadLeaders(plan); // then a new version if it changed
 * }
 * }</pre>
 *
 * <p>The target, which repeated {@link #nextMoves} reach and then answer empty:
 * <ol>
 *   <li>No replica and no metadata member on a leaving node, nor on a node the plan does not list.</li>
 *   <li>Data groups keep their replica count: a move replaces one replica by another. A group is only moved off
 *       leaving nodes when the active nodes can hold all its replicas.</li>
 *   <li>Racks (the empty label is a rack too): a group of {@code k} replicas may hold at most {@code cap(k)} on one
 *       rack, the smallest cap the active nodes' racks can honour: 1 (distinct racks) when there are at least
 *       {@code k} racks; with fewer, {@code ceil(k / racks)} when every rack has enough nodes, more when a rack is too
 *       small to take its share. So even with fewer racks than replicas no rack holds every copy of a group when
 *       another rack could hold one — at the price of more load on the nodes of small racks. The metadata group
 *       follows the same rule.</li>
 *   <li>Balance: a replica moves from a node to one holding at least two fewer replicas, as long as the group keeps
 *       to rule 3. Without racks that ends with every active node at floor or ceil of the mean; with racks it ends
 *       when no single such move is left.</li>
 *   <li>The metadata group never grows; it shrinks to {@link Placement#metaGroupSize} of the active node count by
 *       removals (a member on a leaving node first, else one sharing its rack, then the busiest), and a member on a
 *       leaving node moves to the active non-member on the least-used rack with the fewest data replicas.</li>
 * </ol>
 *
 * <p>Each step lowers, in this order of importance, the replicas on leaving nodes, the replicas over their rack cap,
 * and the sum of squared node loads (a balance move lowers it by at least 2), so the moves always come to an end.
 * Steps are planned against the plan with its moves in progress taken as done, so none is planned twice.
 */
public final class Rebalance {

    /**
     * One replica move: {@code group} index, or {@link #META} for the metadata group; {@code to} empty removes the
     * replica without replacement.
     */
    public record Step(int group, String from, String to) {
        /** The {@code group} of a step of the metadata group. */
        public static final int META = -1;

        public Step {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (group < META || from.isEmpty() || from.equals(to)) {
                throw new IllegalArgumentException("not a move: group " + group + " from '" + from + "' to '" + to
                        + "'");
            }
        }

        /** Whether the step removes the replica rather than moving it. */
        public boolean removal() {
            return to.isEmpty();
        }
    }

    private Rebalance() {
    }

    /**
     * Up to {@code limit} next moves toward the target, at most one per group (and one for the metadata group), on
     * groups with no move in progress, most urgent first: metadata members off leaving nodes (or removed as the
     * group shrinks), data replicas off leaving nodes, rack fixes, then balance moves. Each is valid on the plan
     * as it is and they fit together. Empty when the plan is balanced.
     *
     * @throws IllegalArgumentException if a move in progress does not apply to its group's replicas
     */
    public static List<Step> nextMoves(ClusterPlan plan, int limit) {
        return limit < 1 ? List.of() : new Planner(plan, limit).plan();
    }

    /** Whether nothing moves and nothing needs to: no move in progress and {@link #nextMoves} empty. */
    public static boolean balanced(ClusterPlan plan) {
        return !moving(plan.getMetaMove()) && plan.getGroupsList().stream().noneMatch(g -> moving(g.getMove()))
                && nextMoves(plan, 1).isEmpty();
    }

    /**
     * The group's replicas after {@code step}: its {@code from} replaced by its {@code to} at the same position, so
     * the newcomer inherits the Raft priority, or removed when {@code to} is empty.
     *
     * @throws IllegalArgumentException if {@code from} is not a replica or {@code to} already is one
     */
    public static List<String> replicasAfter(List<String> replicas, Step step) {
        int at = replicas.indexOf(step.from());
        if (at < 0 || replicas.contains(step.to())) {
            throw new IllegalArgumentException(step + " does not apply to replicas " + replicas);
        }
        List<String> after = new ArrayList<>(replicas);
        if (step.removal()) {
            after.remove(at);
        } else {
            after.set(at, step.to());
        }
        return Collections.unmodifiableList(after);
    }

    /**
     * The plan with each group's replicas reordered (same nodes; the new preferred leader swaps places with the old)
     * so that no active node is the first replica of more than {@code ceil(groups / active nodes)} groups where the
     * replica sets allow it, and no leaving node is first where an active replica can be. Groups with a move in
     * progress keep their order. Changes as few groups as it can; returns {@code plan} itself when none changes.
     * The version is not changed: the caller does that.
     */
    public static ClusterPlan withSpreadLeaders(ClusterPlan plan) {
        return new LeaderSpread(plan).apply();
    }

    /** The moves the plan records as in progress: data groups and the metadata group. */
    public static long movesInProgress(ClusterPlan plan) {
        return plan.getGroupsList().stream().filter(g -> moving(g.getMove())).count()
                + (moving(plan.getMetaMove()) ? 1 : 0);
    }

    /**
     * The target placement itself, for a cluster that does not run yet ({@code cluster init}): every step
     * {@link #nextMoves} proposes applied at once, repeatedly, then the leaders spread. Moves in progress must not be
     * recorded in {@code plan}. The version is not changed.
     */
    public static ClusterPlan settle(ClusterPlan plan) {
        ClusterPlan settled = plan;
        for (List<Step> steps = nextMoves(settled, Integer.MAX_VALUE); !steps.isEmpty();
             steps = nextMoves(settled, Integer.MAX_VALUE)) {
            settled = withStepsDone(settled, steps);
        }
        return withSpreadLeaders(settled);
    }

    /**
     * How many moves {@link #nextMoves} would still plan to reach the target from {@code plan}, moves in progress
     * not counted (they are taken as done): the steps {@link #settle} would apply. An estimate of what is left, not
     * a promise: the driver plans a few moves at a time against the plan of the moment, and a node added or
     * decommissioned meanwhile changes the target. 0 when nothing is left to plan.
     */
    public static int movesToPlan(ClusterPlan plan) {
        int count = 0;
        // The moves in progress done and cleared first: left recorded, their groups would stay busy through every
        // round below and the count would stop short of the target.
        List<Step> inProgress = new ArrayList<>();
        for (PlanGroup g : plan.getGroupsList()) {
            if (moving(g.getMove())) {
                inProgress.add(new Step((int) g.getGroup(), g.getMove().getFromNodeId(), g.getMove().getToNodeId()));
            }
        }
        if (moving(plan.getMetaMove())) {
            inProgress.add(new Step(Step.META, plan.getMetaMove().getFromNodeId(), plan.getMetaMove().getToNodeId()));
        }
        ClusterPlan settled = withStepsDone(plan, inProgress);
        for (List<Step> steps = nextMoves(settled, Integer.MAX_VALUE); !steps.isEmpty();
             steps = nextMoves(settled, Integer.MAX_VALUE)) {
            count += steps.size();
            settled = withStepsDone(settled, steps);
        }
        return count;
    }

    /** The plan with each step done: the group's replicas changed and its move (if recorded) cleared. */
    private static ClusterPlan withStepsDone(ClusterPlan plan, List<Step> steps) {
        ClusterPlan.Builder b = plan.toBuilder();
        for (Step step : steps) {
            if (step.group() == Step.META) {
                List<String> members = replicasAfter(b.getMetaNodeIdsList(), step);
                b.clearMetaNodeIds().addAllMetaNodeIds(members).clearMetaMove();
            } else {
                PlanGroup g = b.getGroups(step.group());
                b.setGroups(step.group(), g.toBuilder().clearReplicaNodeIds()
                        .addAllReplicaNodeIds(replicasAfter(g.getReplicaNodeIdsList(), step)).clearMove());
            }
        }
        return b.build();
    }

    /** Whether a move (possibly unset) is in progress: the plan records its source. */
    public static boolean moving(Move move) {
        return !move.getFromNodeId().isEmpty();
    }

    /** The active nodes and their racks. */
    private static final class Topology {
        /** In id order. */
        final List<String> active = new ArrayList<>();
        final Map<String, String> rackOf = new HashMap<>();
        final Map<String, Integer> rackSize = new TreeMap<>();

        Topology(ClusterPlan plan) {
            for (PlanNode node : plan.getNodesList()) {
                if (node.getState() == NodeState.NODE_ACTIVE && !rackOf.containsKey(node.getNodeId())) {
                    rackOf.put(node.getNodeId(), node.getRack());
                    active.add(node.getNodeId());
                    rackSize.merge(node.getRack(), 1, Integer::sum);
                }
            }
            Collections.sort(active);
        }

        boolean isActive(String node) {
            return rackOf.containsKey(node);
        }

        boolean allActive(List<String> members) {
            return members.stream().allMatch(this::isActive);
        }

        /**
         * The most of {@code k} replicas one rack may hold (rule 3): the smallest cap the racks can fill {@code k}
         * up to; {@code k} (no constraint) when the active nodes cannot hold {@code k} at all.
         */
        int rackCap(int k) {
            for (int cap = 1; cap < k; cap++) {
                int room = 0;
                for (int size : rackSize.values()) {
                    room += Math.min(size, cap);
                }
                if (room >= k) {
                    return cap;
                }
            }
            return Math.max(k, 1);
        }

        /** Members per rack among the active {@code members}, {@code without} left out (null: none). */
        Map<String, Integer> rackCounts(List<String> members, String without) {
            Map<String, Integer> counts = new HashMap<>();
            for (String m : members) {
                if (isActive(m) && !m.equals(without)) {
                    counts.merge(rackOf.get(m), 1, Integer::sum);
                }
            }
            return counts;
        }
    }

    /** One call of {@link #nextMoves}: the plan with moves in progress done, updated by each step it picks. */
    private static final class Planner {
        private final Topology topo;
        private final int limit;
        /** Replicas per group (as if moves in progress were done); index META lives in {@link #meta}. */
        private final List<List<String>> groups = new ArrayList<>();
        private List<String> meta;
        /** Groups with a move in progress or a step of this call; META at index groups.size(). */
        private final boolean[] busy;
        /** Data replicas per active node. */
        private final Map<String, Integer> load = new HashMap<>();
        private final List<Step> steps = new ArrayList<>();

        Planner(ClusterPlan plan, int limit) {
            this.topo = new Topology(plan);
            this.limit = limit;
            this.busy = new boolean[plan.getGroupsCount() + 1];
            topo.active.forEach(n -> load.put(n, 0));
            for (PlanGroup g : plan.getGroupsList()) {
                busy[groups.size()] = moving(g.getMove());
                List<String> replicas = settled(g.getReplicaNodeIdsList(), g.getMove());
                groups.add(replicas);
                replicas.forEach(n -> load.computeIfPresent(n, (k, v) -> v + 1));
            }
            busy[groups.size()] = moving(plan.getMetaMove());
            meta = settled(plan.getMetaNodeIdsList(), plan.getMetaMove());
        }

        /** Rule 9: plan as if the move in progress were done. */
        private static List<String> settled(List<String> replicas, Move move) {
            return moving(move) ? replicasAfter(replicas, new Step(0, move.getFromNodeId(), move.getToNodeId()))
                    : replicas;
        }

        List<Step> plan() {
            if (topo.active.isEmpty()) {
                return List.of();
            }
            metaOffLeaving();
            for (int g = 0; g < groups.size() && !full(); g++) {
                offLeaving(g);
            }
            fixRacks(Step.META);
            for (int g = 0; g < groups.size() && !full(); g++) {
                fixRacks(g);
            }
            while (!full() && balanceOnce()) {
                // each pass adds one step
            }
            return List.copyOf(steps);
        }

        private boolean full() {
            return steps.size() >= limit;
        }

        private List<String> members(int group) {
            return group == Step.META ? meta : groups.get(group);
        }

        private boolean free(int group) {
            return !full() && !busy[group == Step.META ? groups.size() : group];
        }

        private int load(String node) {
            return load.getOrDefault(node, 0);
        }

        private void emit(int group, String from, String to) {
            Step step = new Step(group, from, to);
            List<String> after = replicasAfter(members(group), step);
            if (group == Step.META) {
                meta = after;
                busy[groups.size()] = true;
            } else {
                groups.set(group, after);
                busy[group] = true;
                load.computeIfPresent(from, (k, v) -> v - 1);
                load.computeIfPresent(to, (k, v) -> v + 1);
            }
            steps.add(step);
        }

        /** Rule 5: shrink to the size the active nodes allow, and move members off leaving nodes. */
        private void metaOffLeaving() {
            if (!free(Step.META) || meta.isEmpty()) {
                return;
            }
            int target = Math.min(meta.size(), Placement.metaGroupSize(topo.active.size()));
            String leaving = meta.stream().filter(m -> !topo.isActive(m)).findFirst().orElse(null);
            if (meta.size() > target) {
                emit(Step.META, leaving != null ? leaving : surplusMetaMember(), "");
            } else if (leaving != null) {
                String to = destination(meta, leaving);
                if (to != null) {
                    emit(Step.META, leaving, to);
                }
            }
        }

        /** The active member whose removal costs least: one sharing its rack, then the busiest, then the last id. */
        private String surplusMetaMember() {
            Map<String, Integer> racks = topo.rackCounts(meta, null);
            return meta.stream().max(Comparator.<String>comparingInt(m -> racks.get(topo.rackOf.get(m)))
                    .thenComparingInt(this::load).thenComparing(Comparator.naturalOrder())).orElseThrow();
        }

        /** Rules 1 and 2: the group's first replica on a leaving (or unlisted) node moves to an active one. */
        private void offLeaving(int group) {
            List<String> members = members(group);
            if (!free(group) || topo.active.size() < members.size()) {
                return; // not enough active nodes: the server refuses such a decommission up front
            }
            members.stream().filter(m -> !topo.isActive(m)).findFirst().ifPresent(from -> {
                String to = destination(members, from);
                if (to != null) {
                    emit(group, from, to);
                }
            });
        }

        /** Rule 3: a replica on a rack over its cap moves to a rack under it. */
        private void fixRacks(int group) {
            List<String> members = members(group);
            if (!free(group) || !topo.allActive(members)) {
                return; // moves off leaving nodes come first
            }
            int cap = topo.rackCap(members.size());
            Map<String, Integer> counts = topo.rackCounts(members, null);
            String from = members.stream().filter(m -> counts.get(topo.rackOf.get(m)) > cap)
                    .min(busiestFirst()).orElse(null);
            if (from == null) {
                return;
            }
            String to = destination(members, from);
            if (to != null && topo.rackCounts(members, from).getOrDefault(topo.rackOf.get(to), 0) < cap) {
                emit(group, from, to);
            }
        }

        /**
         * The active non-member that should take {@code from}'s place: on the rack with the fewest other members,
         * then with the fewest data replicas, then the first id. Null when every active node is a member.
         */
        private String destination(List<String> members, String from) {
            Map<String, Integer> counts = topo.rackCounts(members, from);
            return topo.active.stream().filter(n -> !members.contains(n))
                    .min(Comparator.<String>comparingInt(n -> counts.getOrDefault(topo.rackOf.get(n), 0))
                            .thenComparingInt(this::load).thenComparing(Comparator.naturalOrder()))
                    .orElse(null);
        }

        private Comparator<String> busiestFirst() {
            return Comparator.<String>comparingInt(n -> -load(n)).thenComparing(Comparator.naturalOrder());
        }

        /**
         * Rule 4: one replica from the busiest node that has a move to the least-loaded eligible node holding at
         * least two fewer replicas, keeping the group within its rack cap. False when no such move is left.
         */
        private boolean balanceOnce() {
            int least = topo.active.stream().mapToInt(this::load).min().orElse(0);
            List<String> sources = new ArrayList<>(topo.active);
            sources.sort(busiestFirst());
            for (String from : sources) {
                if (load(from) - least < 2) {
                    return false;
                }
                int bestGroup = -1;
                String bestTo = null;
                for (int g = 0; g < groups.size(); g++) {
                    List<String> members = groups.get(g);
                    if (!free(g) || !members.contains(from) || !topo.allActive(members)) {
                        continue;
                    }
                    int cap = topo.rackCap(members.size());
                    Map<String, Integer> counts = topo.rackCounts(members, from);
                    for (String to : topo.active) {
                        boolean better = bestTo == null || load(to) < load(bestTo)
                                || load(to) == load(bestTo) && to.compareTo(bestTo) < 0;
                        if (better && load(from) - load(to) >= 2 && !members.contains(to)
                                && counts.getOrDefault(topo.rackOf.get(to), 0) < cap) {
                            bestGroup = g;
                            bestTo = to;
                        }
                    }
                }
                if (bestTo != null) {
                    emit(bestGroup, from, bestTo);
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Spreads preferred leaders by augmenting paths: a node over its share hands a group's leadership to another
     * replica of that group, which may in turn hand one of its own on, until a node under its share takes one.
     */
    private static final class LeaderSpread {
        private final ClusterPlan plan;
        private final Topology topo;
        private final int share;
        private final String[] leader;
        /** Groups each node leads, movable ones only (no move in progress). */
        private final Map<String, Set<Integer>> leads = new TreeMap<>();
        /** Groups each node leads, all of them. */
        private final Map<String, Integer> leadCount = new HashMap<>();

        LeaderSpread(ClusterPlan plan) {
            this.plan = plan;
            this.topo = new Topology(plan);
            int groups = plan.getGroupsCount();
            this.share = topo.active.isEmpty() ? 0 : (groups + topo.active.size() - 1) / topo.active.size();
            this.leader = new String[groups];
            for (int g = 0; g < groups; g++) {
                PlanGroup group = plan.getGroups(g);
                if (group.getReplicaNodeIdsCount() == 0) {
                    continue;
                }
                leader[g] = group.getReplicaNodeIds(0);
                leadCount.merge(leader[g], 1, Integer::sum);
                leads.computeIfAbsent(leader[g], n -> new TreeSet<>());
                if (!moving(group.getMove())) {
                    leads.get(leader[g]).add(g);
                }
            }
        }

        ClusterPlan apply() {
            if (topo.active.isEmpty()) {
                return plan;
            }
            while (augmentOnce()) {
                // each path takes one leadership off a node over its share
            }
            ClusterPlan.Builder out = null;
            for (int g = 0; g < leader.length; g++) {
                List<String> replicas = plan.getGroups(g).getReplicaNodeIdsList();
                if (leader[g] != null && !leader[g].equals(replicas.get(0))) {
                    List<String> order = new ArrayList<>(replicas);
                    Collections.swap(order, 0, order.indexOf(leader[g]));
                    out = out != null ? out : plan.toBuilder();
                    out.setGroups(g, out.getGroups(g).toBuilder().clearReplicaNodeIds().addAllReplicaNodeIds(order));
                }
            }
            return out == null ? plan : out.build();
        }

        /** How many leaderships the node leads beyond its share (a leaving or unlisted node's share is 0). */
        private int excess(String node) {
            return leadCount.getOrDefault(node, 0) - (topo.isActive(node) ? share : 0);
        }

        private boolean augmentOnce() {
            List<String> over = new ArrayList<>(leads.keySet());
            over.removeIf(n -> excess(n) <= 0);
            over.sort(Comparator.<String>comparingInt(n -> -excess(n)).thenComparing(Comparator.naturalOrder()));
            for (String from : over) {
                if (augmentFrom(from)) {
                    return true;
                }
            }
            return false;
        }

        private record Hop(String from, int group) {
        }

        /** Breadth-first over "leads a group that also lists" until an active node under its share. */
        private boolean augmentFrom(String start) {
            Map<String, Hop> reachedBy = new HashMap<>();
            Set<String> seen = new HashSet<>(Set.of(start));
            ArrayDeque<String> queue = new ArrayDeque<>(List.of(start));
            while (!queue.isEmpty()) {
                String node = queue.poll();
                for (int g : leads.getOrDefault(node, Set.of())) {
                    for (String next : plan.getGroups(g).getReplicaNodeIdsList()) {
                        if (!topo.isActive(next) || !seen.add(next)) {
                            continue;
                        }
                        reachedBy.put(next, new Hop(node, g));
                        if (excess(next) < 0) {
                            handOver(start, next, reachedBy);
                            return true;
                        }
                        queue.add(next);
                    }
                }
            }
            return false;
        }

        private void handOver(String start, String end, Map<String, Hop> reachedBy) {
            for (String node = end; !node.equals(start); ) {
                Hop hop = reachedBy.get(node);
                leads.get(hop.from()).remove(hop.group());
                leads.computeIfAbsent(node, n -> new TreeSet<>()).add(hop.group());
                leader[hop.group()] = node;
                node = hop.from();
            }
            leadCount.merge(start, -1, Integer::sum);
            leadCount.merge(end, 1, Integer::sum);
        }
    }
}
