package io.partita.server.cluster;

import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.GroupStatus;
import io.partita.protocol.v1.Move;
import io.partita.protocol.v1.NodeState;
import io.partita.protocol.v1.NodeStatusResponse;
import io.partita.protocol.v1.PlanGroup;
import io.partita.protocol.v1.PlanNode;
import io.partita.raft.cluster.Rebalance;
import io.partita.raft.group.NodeAddress;
import io.partita.raft.group.RaftHost;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.RaftGroupId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves replicas until the plan's placement is balanced ({@link Rebalance}): onto added nodes, off leaving ones,
 * onto distinct racks; then spreads preferred leaders and drops drained nodes from the plan. Runs on every node and
 * acts only on the metadata group's leader, so one node drives at a time and a new leader takes over.
 *
 * <p>The order of one move, each step recorded or safe to repeat, so that whichever node drives next resumes it:
 * <ol>
 *   <li>The plan records the move (group, from, to). The target node, given the plan, hosts the group without a
 *       vote.</li>
 *   <li>Once the target reports its replica running (not merely hosted: see {@link #awaitTargetRunning}), the
 *       group's leader adds the target ({@link RaftHost#addMember}): Ratis stages it until caught up, by log or
 *       snapshot transfer, before the configuration counting it commits. The group has one more replica meanwhile.
 *   </li>
 *   <li>The group commits the configuration without the source ({@link RaftHost#setMembers}); if the source led,
 *       it steps down.</li>
 *   <li>The plan records the new replicas and clears the move; the source, given that plan, stops hosting the
 *       group and empties its data.</li>
 * </ol>
 * Steps 2 and 3 are idempotent (adding a member twice, setting the configuration in force), so a driver that
 * crashed anywhere is resumed by running them again from the plan. A move whose target stops being an active node
 * (decommissioned or dropped from the plan, e.g. after it died mid-copy) is taken back instead: the group commits
 * the replicas the plan lists, and the plan clears the move. At most {@code maxConcurrentMoves} moves are in
 * the plan at once.
 */
public final class Rebalancer {
    private static final Logger LOG = LoggerFactory.getLogger(Rebalancer.class);
    /** How long a move waits for its target to run its replica before the round gives up on it for now. */
    static final Duration TARGET_START_WAIT = Duration.ofSeconds(30);

    /**
     * @param maxConcurrentMoves moves in flight at once
     * @param period             how often the leader looks for work
     * @param movePatience       how long one add may take (a snapshot transfer of a large group at the throttled
     *                           rate) before it is tried again
     */
    public record Settings(int maxConcurrentMoves, Duration period, Duration movePatience) {
    }

    /** How often every node checks whether it leads the metadata group and has work. */
    public static final Duration PERIOD = Duration.ofSeconds(1);

    /** Told of each move this node completed or took back, and of the rebalance's progress. */
    public interface Listener {
        /** A move of {@code group} ({@link Rebalance.Step#META} for the metadata group) took {@code millis}. */
        void moved(int group, long millis);

        /** A move of {@code group} was taken back: its target left before the copy finished. */
        default void takenBack(int group) {
        }

        /** The rebalance as counted after a look at the plan; empty while this node does not drive. */
        default void progressed(Optional<Progress> progress) {
        }
    }

    /**
     * A rebalance as the node driving it counts it: from the first move it needs until no move is in progress or
     * left to plan. Counted in memory by the metadata group's leader: a new leader starts counting afresh, and says
     * so ({@code resumed}) when it found the rebalance under way.
     *
     * @param active           moves are in progress or left to plan; false for the last rebalance, ended
     * @param elapsedNanos     while active, time since this node saw the rebalance start or took it over; once
     *                         ended, how long it ran
     * @param completed        moves this node completed in the rebalance
     * @param takenBack        moves this node took back (their target left); what their groups still need is
     *                         planned again, so it is in {@code toPlan}, not in {@code total}
     * @param inProgress       moves the plan records as in progress
     * @param toPlan           moves the planner would still plan ({@link Rebalance#movesToPlan}: an estimate)
     * @param resumed          this node took over a rebalance under way: moves completed before are not counted
     * @param endedAgoNanos    once ended, time since; 0 while active
     */
    public record Progress(boolean active, long elapsedNanos, int completed, int takenBack, long inProgress,
                           long toPlan, boolean resumed, long endedAgoNanos) {
        /** Every move of the rebalance: completed, in progress and still to plan. */
        public long total() {
            return completed + inProgress + toPlan;
        }
    }

    /** The rebalance under way on this driver; guarded by the Rebalancer. */
    private static final class Round {
        final long startedNanos = System.nanoTime();
        final boolean resumed;
        int completed;
        int takenBack;
        long inProgress;
        long toPlan;
        long endedNanos;

        Round(boolean resumed) {
            this.resumed = resumed;
        }

        Progress progress(long now) {
            boolean active = endedNanos == 0;
            return new Progress(active, (active ? now : endedNanos) - startedNanos, completed, takenBack, inProgress,
                    toPlan, resumed, active ? 0 : now - endedNanos);
        }
    }

    private final PlanChanges plans;
    private final Peers peers;
    private final Listener listener;
    private final Settings settings;
    private final ScheduledExecutorService scheduler;
    private final Executor movers;
    /** Groups (Rebalance.Step.META for the metadata group) whose move a mover thread is driving now. */
    private final Set<Integer> driving = ConcurrentHashMap.newKeySet();
    /** The plan version whose leader order was last applied to the groups' configurations. */
    private volatile long leadersAppliedFor = -1;
    /** The rebalance under way, or the last one, while this node leads the metadata group; else null. */
    private Round round;
    /** Whether this node, leading, has seen nothing to move: a rebalance it sees start after that is all its own. */
    private boolean seenBalanced;

    public Rebalancer(PlanChanges plans, Peers peers, Settings settings, ScheduledExecutorService scheduler,
                      Executor movers, Listener listener) {
        this.peers = peers;
        this.listener = listener;
        this.plans = plans;
        this.settings = settings;
        this.scheduler = scheduler;
        this.movers = movers;
    }

    public Rebalancer start() {
        scheduler.scheduleWithFixedDelay(this::tick, settings.period().toMillis(), settings.period().toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    private void tick() {
        try {
            ClusterRuntime runtime = plans.membership().runtime();
            if (runtime == null || !runtime.host().leadsMeta()) {
                leadersAppliedFor = -1;
                synchronized (this) {
                    round = null; // another node drives and counts; if this one leads again, it counts afresh
                    seenBalanced = false;
                }
                listener.progressed(Optional.empty());
                return;
            }
            if (leadersAppliedFor < 0) {
                // A new term as leader does not apply the plan's leader order again: each node restores the order
                // of the groups it is to lead once it runs them caught up (Leadership), and applying it from here
                // would hand leadership back to a node that has just handed it off before a planned stop.
                leadersAppliedFor = plans.membership().plans().current().map(ClusterPlan::getVersion).orElse(-1L);
            }
            step(runtime);
            listener.progressed(progress());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Rebalancing paused: {}", e.toString());
        }
    }

    private void step(ClusterRuntime runtime) throws IOException {
        ClusterPlan plan = plans.update(p -> p); // the plan in force
        int inFlight = 0;
        for (PlanGroup g : plan.getGroupsList()) {
            if (Rebalance.moving(g.getMove())) {
                inFlight++;
                drive(runtime, (int) g.getGroup(), g.getMove());
            }
        }
        if (Rebalance.moving(plan.getMetaMove())) {
            inFlight++;
            drive(runtime, Rebalance.Step.META, plan.getMetaMove());
        }
        counted(inFlight, Rebalance.movesToPlan(plan));
        int free = settings.maxConcurrentMoves() - inFlight;
        if (free > 0) {
            List<Rebalance.Step> steps = Rebalance.nextMoves(plan, free);
            if (!steps.isEmpty()) {
                ClusterPlan recorded = plans.update(p -> withMoves(p, steps));
                LOG.info("Plan version {} starts {} moves: {}", recorded.getVersion(), steps.size(), steps);
                return;
            }
        }
        if (inFlight == 0) {
            finish(runtime, plan);
        }
    }

    /**
     * The rebalance this node drives (under way, or the last one it saw end); empty while it does not lead the
     * metadata group or has not seen one.
     */
    public synchronized Optional<Progress> progress() {
        return Optional.ofNullable(round).map(r -> r.progress(System.nanoTime()));
    }

    /** Starts, updates or ends the rebalance's count from a look at the plan in force. */
    private synchronized void counted(long inFlight, long toPlan) {
        boolean active = round != null && round.endedNanos == 0;
        if (inFlight + toPlan > 0) {
            if (!active) {
                round = new Round(!seenBalanced);
            }
            round.inProgress = inFlight;
            round.toPlan = toPlan;
        } else {
            seenBalanced = true;
            if (active) {
                round.inProgress = 0;
                round.toPlan = 0;
                round.endedNanos = System.nanoTime();
                Progress p = round.progress(round.endedNanos);
                LOG.info("Rebalance done: {} moves completed ({} taken back{}) in {} ms", p.completed(),
                        p.takenBack(), p.resumed() ? "; taken over from another driver" : "",
                        p.elapsedNanos() / 1_000_000);
            }
        }
    }

    /** Counts a move this node completed ({@code done}) or took back in the rebalance under way. */
    private synchronized void count(boolean done) {
        if (round != null && round.endedNanos == 0) {
            if (done) {
                round.completed++;
                round.inProgress = Math.max(0, round.inProgress - 1);
            } else {
                round.takenBack++;
                round.inProgress = Math.max(0, round.inProgress - 1);
            }
        }
    }

    /** Records the moves in the plan, skipping any that no longer fit it (computed from an older version). */
    private static ClusterPlan withMoves(ClusterPlan plan, List<Rebalance.Step> steps) {
        List<Rebalance.Step> fresh = Rebalance.nextMoves(plan, steps.size());
        ClusterPlan.Builder b = plan.toBuilder();
        for (Rebalance.Step s : fresh) {
            Move move = Move.newBuilder().setFromNodeId(s.from()).setToNodeId(s.to()).build();
            if (s.group() == Rebalance.Step.META) {
                b.setMetaMove(move);
            } else {
                b.setGroups(s.group(), b.getGroups(s.group()).toBuilder().setMove(move));
            }
        }
        return b.build();
    }

    /** Once nothing moves: drop drained nodes from the plan and spread the preferred leaders. */
    private void finish(ClusterRuntime runtime, ClusterPlan plan) throws IOException {
        ClusterPlan done = plans.update(p -> Rebalance.withSpreadLeaders(withoutDrainedNodes(p)));
        if (done.getVersion() == leadersAppliedFor) {
            return;
        }
        // The configurations carry the priorities: set them from the plan (a no-op where they already match).
        RaftHost host = runtime.host();
        for (PlanGroup g : done.getGroupsList()) {
            List<NodeAddress> replicas = PlanView.addresses(done, g.getReplicaNodeIdsList());
            host.setMembers(host.layout().raftGroupId((int) g.getGroup()), replicas, replicas,
                    settings.movePatience());
        }
        leadersAppliedFor = done.getVersion();
    }

    /** The plan without leaving nodes that hold nothing any more. */
    static ClusterPlan withoutDrainedNodes(ClusterPlan plan) {
        Set<String> busy = new LinkedHashSet<>(plan.getMetaNodeIdsList());
        for (PlanGroup g : plan.getGroupsList()) {
            busy.addAll(g.getReplicaNodeIdsList());
        }
        List<PlanNode> kept = new ArrayList<>();
        for (PlanNode n : plan.getNodesList()) {
            if (n.getState() != NodeState.NODE_LEAVING || busy.contains(n.getNodeId())) {
                kept.add(n);
            } else {
                LOG.info("Node {} holds no replica any more and leaves the plan; it can be stopped", n.getNodeId());
            }
        }
        return kept.size() == plan.getNodesCount() ? plan : plan.toBuilder().clearNodes().addAllNodes(kept).build();
    }

    /**
     * Drives one recorded move on a mover thread, unless one already does: to its end, or back to where it started
     * when its target is no longer an active node (decommissioned, or dropped from the plan) — a target that died
     * mid-copy would otherwise be waited for until it returns.
     */
    private void drive(ClusterRuntime runtime, int group, Move move) {
        if (!driving.add(group)) {
            return;
        }
        movers.execute(() -> {
            try {
                ClusterPlan plan = plans.local().orElseThrow();
                if (move.getToNodeId().isEmpty() || PlanView.node(plan, move.getToNodeId())
                        .filter(n -> n.getState() == NodeState.NODE_ACTIVE).isPresent()) {
                    completeMove(runtime, group, move);
                } else {
                    abandonMove(runtime, group, move);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("Move of {} from {} to {} not done yet (tried again shortly): {}", name(group),
                        move.getFromNodeId(), move.getToNodeId(), e.toString());
            } finally {
                driving.remove(group);
            }
        });
    }

    /** The Ratis group a move is in and its replicas as the plan lists them (the source still among them). */
    private record Moving(ClusterPlan plan, RaftGroupId id, List<String> replicas, boolean meta) {
        static Moving of(ClusterPlan plan, RaftHost host, int group) {
            boolean meta = group == Rebalance.Step.META;
            return new Moving(plan, meta ? host.layout().metaGroupId() : host.layout().raftGroupId(group),
                    meta ? plan.getMetaNodeIdsList() : plan.getGroups(group).getReplicaNodeIdsList(), meta);
        }

        /** The nodes to ask for a configuration change: the replicas, and the target if the plan lists it. */
        List<NodeAddress> ask(Move move) {
            List<NodeAddress> ask = new ArrayList<>(PlanView.addresses(plan, replicas));
            PlanView.node(plan, move.getToNodeId()).ifPresent(n -> ask.add(PlanView.address(plan, n.getNodeId())));
            return ask;
        }
    }

    private void completeMove(ClusterRuntime runtime, int group, Move move) throws IOException {
        RaftHost host = runtime.host();
        Moving m = Moving.of(plans.local().orElseThrow(), host, group);
        ClusterPlan plan = m.plan();
        RaftGroupId id = m.id();
        List<String> replicas = m.replicas();
        boolean meta = m.meta();
        List<String> after = Rebalance.replicasAfter(replicas,
                new Rebalance.Step(group, move.getFromNodeId(), move.getToNodeId()));
        List<NodeAddress> current = PlanView.addresses(plan, replicas);
        if (meta && move.getFromNodeId().equals(host.nodeId())) {
            // The driver leads the metadata group it is to leave. It gives itself the lowest priority (Ratis refuses
            // to hand leadership to a lower-priority member) and hands leadership to a member that stays, whose
            // rebalancer resumes the move. (Removing the leading replica and then dropping it from the same node
            // left Ratis waiting on its own step-down.)
            List<NodeAddress> demoted = new ArrayList<>(current);
            demoted.sort((a, b) -> Boolean.compare(a.nodeId().equals(move.getFromNodeId()),
                    b.nodeId().equals(move.getFromNodeId())));
            host.setMembers(id, current, demoted, settings.movePatience());
            host.transferLeadership(id, demoted, demoted.get(0).nodeId(), Duration.ofSeconds(10));
            LOG.info("Handed the metadata group's leadership to {} before moving this node's seat to {}",
                    demoted.get(0).nodeId(), move.getToNodeId());
            return;
        }
        long started = System.nanoTime();
        if (!move.getToNodeId().isEmpty()) {
            NodeAddress to = PlanView.address(plan, move.getToNodeId());
            awaitTargetRunning(to, group);
            int priority = replicas.size() - replicas.indexOf(move.getFromNodeId());
            host.addMember(id, current, to, priority, settings.movePatience());
        }
        handOffIfSourceLeads(host, m, group, move, after);
        host.setMembers(id, m.ask(move), PlanView.addresses(plan, after), settings.movePatience());
        ClusterPlan recorded = plans.update(p -> withMoveDone(p, group, move, after));
        long millis = (System.nanoTime() - started) / 1_000_000;
        count(true);
        listener.moved(group, millis);
        LOG.info("Moved {} from {} to {} in {} ms (plan version {})", name(group), move.getFromNodeId(),
                move.getToNodeId().isEmpty() ? "(removed)" : move.getToNodeId(), millis, recorded.getVersion());
    }

    /**
     * Waits until the move's target runs its replica of the group (hosted without a vote, step 1) before the leader
     * is told to add it. Ratis's leader contacts a new member at once, and Ratis (3.3) marks a snapshot install as
     * in progress before it reads the receiving replica's log: at a replica whose log is not open yet (still
     * starting) that read throws, the mark is never cleared, and the replica refuses every append for good.
     *
     * @throws IOException if the target does not run it within {@link #TARGET_START_WAIT} (the move is tried again
     *                     at a later round)
     */
    private void awaitTargetRunning(NodeAddress target, int group) throws IOException {
        long deadline = System.nanoTime() + TARGET_START_WAIT.toNanos();
        String seen = "no answer";
        while (true) {
            try {
                GroupStatus g = statusOf(target, group);
                if (AdminService.running(g)) {
                    return;
                }
                seen = g == null ? "not hosted yet" : "role " + g.getRole();
            } catch (RuntimeException e) {
                seen = e.toString();
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("target " + target.nodeId() + " does not run its replica of " + name(group)
                        + " yet (" + seen + ")");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted waiting for " + target.nodeId());
            }
        }
    }

    /** How {@code node} reports its replica of the group (null if it hosts none); throws if it does not answer. */
    private GroupStatus statusOf(NodeAddress node, int group) {
        NodeStatusResponse s = peers.status(node.clientAddress());
        if (group == Rebalance.Step.META) {
            return s.hasMeta() ? s.getMeta() : null;
        }
        return s.getGroupsList().stream().filter(x -> x.getGroup() == group).findFirst().orElse(null);
    }

    /**
     * Moves leadership off the source before the configuration without it, if the source leads: a Ratis (3.3)
     * leader that commits a configuration without itself closes its own division on its event thread while holding
     * the division's lock, and waits for the division's executors, whose next task (another configuration request,
     * a client write) waits for that lock: the division never closes and the node cannot drop it or stop. A
     * follower that is removed just stops hearing from the leader. The source first drops to the lowest priority
     * (Ratis hands leadership only to a member of at least the leader's priority), then hands leadership to the
     * replica that will come first.
     */
    private void handOffIfSourceLeads(RaftHost host, Moving m, int group, Move move, List<String> after)
            throws IOException {
        NodeAddress source = PlanView.address(m.plan(), move.getFromNodeId());
        GroupStatus s;
        try {
            s = statusOf(source, group);
        } catch (RuntimeException e) {
            return; // down: it leads nothing the others can hear
        }
        if (s == null || !"LEADER".equals(s.getRole())) {
            return;
        }
        List<NodeAddress> sourceLast = new ArrayList<>(PlanView.addresses(m.plan(), after));
        sourceLast.add(source);
        host.setMembers(m.id(), m.ask(move), sourceLast, settings.movePatience());
        host.transferLeadership(m.id(), sourceLast, after.get(0), Duration.ofSeconds(10));
        LOG.info("Handed the leadership of {} from {} to {} before removing {}", name(group), source.nodeId(),
                after.get(0), source.nodeId());
    }

    /**
     * Takes a move back: the group commits its replicas as the plan lists them (without the target, with the source,
     * whichever of them it had already added or removed), then the plan clears the move and the target drops
     * whatever it had copied. Safe at any step of the move, and to repeat.
     */
    private void abandonMove(ClusterRuntime runtime, int group, Move move) throws IOException {
        RaftHost host = runtime.host();
        Moving m = Moving.of(plans.local().orElseThrow(), host, group);
        ClusterPlan plan = m.plan();
        RaftGroupId id = m.id();
        host.setMembers(id, m.ask(move), PlanView.addresses(plan, m.replicas()), settings.movePatience());
        ClusterPlan recorded = plans.update(p -> withMoveAbandoned(p, group, move));
        count(false);
        listener.takenBack(group);
        LOG.info("Took back the move of {} from {} to {}: the target left (plan version {})", name(group),
                move.getFromNodeId(), move.getToNodeId(), recorded.getVersion());
    }

    /** The plan with the move cleared and the replicas unchanged, if it still records that move. */
    static ClusterPlan withMoveAbandoned(ClusterPlan plan, int group, Move move) {
        if (group == Rebalance.Step.META) {
            return plan.getMetaMove().equals(move) ? plan.toBuilder().clearMetaMove().build() : plan;
        }
        PlanGroup g = plan.getGroups(group);
        return g.getMove().equals(move) ? plan.toBuilder().setGroups(group, g.toBuilder().clearMove()).build() : plan;
    }

    /** The plan with the move's new replicas and the move cleared, if it still records that move. */
    static ClusterPlan withMoveDone(ClusterPlan plan, int group, Move move, List<String> after) {
        if (group == Rebalance.Step.META) {
            if (!plan.getMetaMove().equals(move)) {
                return plan;
            }
            return plan.toBuilder().clearMetaNodeIds().addAllMetaNodeIds(after).clearMetaMove().build();
        }
        PlanGroup g = plan.getGroups(group);
        if (!g.getMove().equals(move)) {
            return plan;
        }
        return plan.toBuilder().setGroups(group, g.toBuilder().clearReplicaNodeIds().addAllReplicaNodeIds(after)
                .clearMove()).build();
    }

    private static String name(int group) {
        return group == Rebalance.Step.META ? "the metadata group" : "group " + group;
    }

}
