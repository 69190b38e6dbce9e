package io.partita.server.cluster;

import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.PlanGroup;
import io.partita.raft.group.NodeAddress;
import io.partita.raft.group.RaftHost;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where this node's groups are led, around a planned stop: {@link #handOff} moves leadership off the node before it
 * stops (SIGTERM, {@code partita node hand-off}, a Kubernetes preStop hook), and {@link #start} has the node, once
 * back, take back the leadership the plan gives it.
 *
 * <p>Why a stop hands off: a leader that just stops leaves its groups without a leader for an election timeout (1–2
 * s by default), and every write and read of those groups waits that long. A hand-off costs one configuration change
 * and a leadership transfer per group, each a few milliseconds, while the node still answers.
 *
 * <p>How: Ratis hands leadership only to a member of at least the leader's priority, so the hand-off gives the
 * chosen follower the highest and this node the lowest priority ({@link RaftHost#handLeadershipTo}). That order
 * outlives the stop; a node that is back and caught up restores the plan's order for the groups the plan has it lead
 * (a compare-and-set on the membership, so it never undoes a move), and Ratis's leader then yields to it. Once
 * handed off, a node no longer restores anything until it restarts: it is about to stop.
 */
public final class Leadership {
    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
    static final long RESTORE_INTERVAL_MS = 5_000;
    /** How long one group's reordering and transfer may take before the hand-off moves on to the next group. */
    private static final Duration PER_GROUP = Duration.ofSeconds(5);

    private final Membership membership;
    private final ScheduledExecutorService scheduler;
    private volatile boolean handedOff;

    /** One group's outcome: handed to {@code to}, or kept by this node for {@code reason}. */
    public record Outcome(String group, String to, String reason) {
        public boolean handed() {
            return to != null;
        }
    }

    public Leadership(Membership membership, ScheduledExecutorService scheduler) {
        this.membership = membership;
        this.scheduler = scheduler;
    }

    /** Starts restoring this node's preferred leaderships every {@value #RESTORE_INTERVAL_MS} ms. */
    public void start() {
        Rounds.repeat(scheduler, () -> RESTORE_INTERVAL_MS, () -> {
            restoreOnce();
            return !handedOff;
        }, LOG, "Restoring this node's preferred leaderships");
    }

    /**
     * Hands the leadership of every group this node leads to a follower that answered within the election timeout,
     * the one heard from last first, group after group, until {@code budget} is spent. A group none of whose
     * followers answers keeps this node as leader: it elects another when the node stops. Also stops restoring.
     */
    public List<Outcome> handOff(Duration budget) {
        handedOff = true;
        List<Outcome> outcomes = new ArrayList<>();
        ClusterRuntime runtime = membership.runtime();
        ClusterPlan plan = membership.plans().current().orElse(null);
        if (runtime == null || plan == null) {
            return outcomes;
        }
        RaftHost host = runtime.host();
        long deadline = System.nanoTime() + budget.toNanos();
        for (org.apache.ratis.protocol.RaftGroupId id : host.hostedGroups()) {
            if (!host.leads(id)) {
                continue;
            }
            String name = name(runtime, id);
            if (System.nanoTime() > deadline) {
                outcomes.add(new Outcome(name, null, "out of time (" + budget.toSeconds() + " s)"));
                continue;
            }
            outcomes.add(handOff(host, plan, id, name));
        }
        for (Outcome o : outcomes) {
            if (o.handed()) {
                LOG.info("Handed the leadership of {} to {}", o.group(), o.to());
            } else {
                LOG.warn("Kept the leadership of {}: {}; it elects a new leader once this node stops", o.group(),
                        o.reason());
            }
        }
        return outcomes;
    }

    private Outcome handOff(RaftHost host, ClusterPlan plan, org.apache.ratis.protocol.RaftGroupId id, String name) {
        List<String> candidates = host.respondingFollowers(id);
        if (candidates.isEmpty()) {
            return new Outcome(name, null, "no follower answered within " + host.electionTimeoutMin().toMillis()
                    + " ms");
        }
        List<NodeAddress> members;
        try {
            members = PlanView.addresses(plan, host.membersByPriority(id));
        } catch (RuntimeException e) {
            return new Outcome(name, null, "the plan does not list every member (" + e.getMessage() + ")");
        }
        String last = "";
        for (String to : candidates) {
            try {
                host.handLeadershipTo(id, members, to, PER_GROUP);
                return new Outcome(name, to, null);
            } catch (IOException e) {
                last = to + ": " + e.getMessage();
            }
            if (!host.leads(id)) {
                // The transfer timed out on our side but happened: whoever leads now is fine.
                return new Outcome(name, "another member", null);
            }
        }
        return new Outcome(name, null, "no follower took it (" + last + ")");
    }

    /**
     * One round of restoring: for each group the plan has this node lead (first replica) whose configuration orders
     * the same members otherwise, and that this node's replica serves caught up, asks the group to take the plan's
     * order. Groups with a move recorded are left to the rebalancer. Returns how many groups were asked.
     */
    int restoreOnce() {
        ClusterRuntime runtime = membership.runtime();
        ClusterPlan plan = membership.plans().current().orElse(null);
        if (handedOff || runtime == null || plan == null) {
            return 0;
        }
        RaftHost host = runtime.host();
        String self = host.nodeId();
        int asked = 0;
        for (PlanGroup g : plan.getGroupsList()) {
            int group = (int) g.getGroup();
            if (!g.hasMove() && !host.catchingUp(group)) {
                asked += restore(runtime, plan, host.layout().raftGroupId(group), g.getReplicaNodeIdsList(), self);
            }
        }
        if (!plan.hasMetaMove() && host.hosts(host.layout().metaGroupId())) {
            asked += restore(runtime, plan, host.layout().metaGroupId(), plan.getMetaNodeIdsList(), self);
        }
        return asked;
    }

    private int restore(ClusterRuntime runtime, ClusterPlan plan, org.apache.ratis.protocol.RaftGroupId id,
                        List<String> planned, String self) {
        if (handedOff || planned.isEmpty() || !planned.get(0).equals(self)) {
            return 0;
        }
        RaftHost host = runtime.host();
        List<String> current = host.membersByPriority(id);
        if (current.equals(planned) || !new HashSet<>(current).equals(new HashSet<>(planned))) {
            return 0; // in order, or the membership is changing (a move): not ours to touch
        }
        try {
            host.reorderMembers(id, PlanView.addresses(plan, planned), PER_GROUP);
            LOG.info("Asked {} to take back the plan's leader order {} (was {})", name(runtime, id), planned, current);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Restoring the leader order of {} failed; tried again later", name(runtime, id), e);
        }
        return 1;
    }

    /** Whether a hand-off ran: the node is about to stop. */
    public boolean handedOff() {
        return handedOff;
    }

    private static String name(ClusterRuntime runtime, org.apache.ratis.protocol.RaftGroupId id) {
        int index = runtime.layout().indexOf(id);
        return ClusterRuntime.groupName(index < 0 ? ClusterRuntime.META : index);
    }
}
