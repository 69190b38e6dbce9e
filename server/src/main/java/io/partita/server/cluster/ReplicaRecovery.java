package io.partita.server.cluster;

import io.partita.engine.storage.NodeStore;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.raft.cluster.ReadmissionFile;
import io.partita.raft.group.GroupLayout;
import io.partita.raft.group.NodeAddress;
import io.partita.raft.group.RaftHost;
import io.partita.snapshot.io.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.apache.ratis.protocol.RaftGroupId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicas this node lost the state of, and their re-admission to their groups. A replica whose Raft log is gone
 * has forgotten what it acknowledged and whom it voted for: if it voted again with an empty log it could help elect
 * a leader that lacks an acknowledged write (Raft "amnesia"). A replica whose log survived but whose column family
 * did not would apply that log onto an empty family and serve it as if intact. Both are handled alike, in this
 * order, each step durable before the next:
 *
 * <ol>
 *   <li>Before Ratis starts, {@link #prepare} finds the lost replicas ({@link #lostReplicas}), adds them to the
 *       node's {@link ReadmissionFile}, then deletes their Raft directories and clears their column families.
 *       Ratis therefore never recovers them as voters.</li>
 *   <li>Per group, in the background, until every group has taken the node back ({@link #run}; groups are tried in
 *       turn, so one without a leader does not hold up the others, and no attempt's time limit skips a group):
 *       <ol type="a">
 *         <li>the group's other replicas commit a configuration without this node (so each acknowledged write is
 *             on a majority of replicas that still hold it);</li>
 *         <li>this node hosts the group with an empty configuration: it neither votes nor campaigns;</li>
 *         <li>the leader adds it back; Ratis stages a new member until it has caught up before it commits the
 *             configuration that lists it;</li>
 *         <li>once its log holds a committed configuration listing it as a voter, the group leaves the file.</li>
 *       </ol></li>
 * </ol>
 * A restart at any point resumes from step 1 for the groups still in the file.
 */
public final class ReplicaRecovery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaRecovery.class);
    /** How long one attempt of one step may wait for a group's leader before the next group gets its turn. */
    static final Duration ATTEMPT = Duration.ofSeconds(10);
    private static final long PAUSE_BETWEEN_ROUNDS_MS = 1_000;

    /** How a node came to run the plan it starts with. */
    public enum Start {
        /** With the plan stored in its data directory: a restart. */
        RESTART,
        /** With a plan it did not hold before, from {@code cluster init} or a cluster of its own. */
        NEW,
        /** With a plan learned from a seed: it may have lost everything it had. */
        FROM_SEED
    }

    /** Where a pending replica is in its re-admission. */
    public enum Stage {
        /** Waiting for the group to commit a configuration without this node. */
        REMOVING,
        /** Hosted without a vote, waiting to be caught up and added back. */
        REJOINING
    }

    private final String nodeId;
    private final GroupLayout layout;
    private final ReadmissionFile file;
    private final Supplier<ClusterPlan> plan;
    private final SortedSet<Integer> pending; // guarded by this
    private final Map<Integer, Stage> stages = new ConcurrentHashMap<>();
    private final Map<Integer, String> lastProblem = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private Thread worker;

    private ReplicaRecovery(String nodeId, GroupLayout layout, ReadmissionFile file, Supplier<ClusterPlan> plan,
                            SortedSet<Integer> pending) {
        this.nodeId = nodeId;
        this.layout = layout;
        this.file = file;
        this.plan = plan;
        this.pending = pending;
        pending.forEach(g -> stages.put(g, Stage.REMOVING));
    }

    /**
     * Step 1: records the replicas of {@code startPlan} this node lost (and those still pending from before) in
     * {@code file}, then removes what is left of their state. Call before Ratis starts on {@code raftDir}.
     */
    public static ReplicaRecovery prepare(String nodeId, ClusterPlan startPlan, Start start, Path raftDir,
                                          NodeStore store, ReadmissionFile file, Supplier<ClusterPlan> plan)
            throws IOException {
        GroupLayout layout = new GroupLayout(startPlan.getClusterId(), startPlan.getGroupCount());
        SortedSet<Integer> pending = file.load();
        pending.addAll(lostReplicas(nodeId, startPlan, start, raftDir, store, layout));
        pending.removeIf(g -> !rebuildable(startPlan, nodeId, g));
        if (!pending.isEmpty()) {
            file.save(pending);
            LOG.warn("Node {} lost the state of its replicas of {}: they do not vote or serve until their groups have"
                    + " re-admitted them", nodeId, describe(pending));
            for (int g : pending) {
                DurableFiles.deleteTree(RaftHost.groupDirectory(raftDir, id(layout, g)));
                if (g != ReadmissionFile.META) {
                    store.group(g).reset();
                }
            }
        }
        return new ReplicaRecovery(nodeId, layout, file, plan, pending);
    }

    /**
     * The replicas {@code plan} gives this node whose state is not whole: no Raft directory, or (for a data group)
     * no column family from before this start. A node that learned the plan from a seed may have lost everything,
     * so all of its replicas count as lost; a node new to the plan has lost nothing if it holds no state for any of
     * them (a founding member).
     */
    static SortedSet<Integer> lostReplicas(String nodeId, ClusterPlan plan, Start start, Path raftDir,
                                           NodeStore store, GroupLayout layout) {
        List<Integer> mine = planned(plan, nodeId);
        SortedSet<Integer> lost = new TreeSet<>();
        boolean anyState = false; // any Raft directory or column family of these replicas on disk
        for (int g : mine) {
            boolean raft = Files.isDirectory(RaftHost.groupDirectory(raftDir, id(layout, g)));
            boolean family = g != ReadmissionFile.META && store.existedAtOpen(g);
            anyState |= raft || family;
            if (start == Start.FROM_SEED || !raft || !(family || g == ReadmissionFile.META)) {
                lost.add(g);
            }
        }
        if (start == Start.NEW && !anyState) {
            return new TreeSet<>(); // founding member: nothing was ever acknowledged by it
        }
        return lost;
    }

    /** A replica can be rebuilt only from other replicas; a group of this node alone keeps whatever is left. */
    private static boolean rebuildable(ClusterPlan plan, String nodeId, int g) {
        List<String> replicas = g == ReadmissionFile.META ? plan.getMetaNodeIdsList()
                : plan.getGroups(g).getReplicaNodeIdsList();
        boolean others = replicas.stream().anyMatch(n -> !n.equals(nodeId));
        if (!others) {
            LOG.error("Node {} lost the state of {}, which has no other replica: it restarts with what is left",
                    nodeId, describe(List.of(g)));
        }
        return others;
    }

    private static List<Integer> planned(ClusterPlan plan, String nodeId) {
        List<Integer> mine = new ArrayList<>();
        if (PlanView.inMetaGroup(plan, nodeId)) {
            mine.add(ReadmissionFile.META);
        }
        for (int g = 0; g < plan.getGroupCount(); g++) {
            if (PlanView.replicates(plan, g, nodeId)) {
                mine.add(g);
            }
        }
        return mine;
    }

    private static RaftGroupId id(GroupLayout layout, int g) {
        return g == ReadmissionFile.META ? layout.metaGroupId() : layout.raftGroupId(g);
    }

    private static String describe(java.util.Collection<Integer> groups) {
        return groups.stream().map(g -> g == ReadmissionFile.META ? "the metadata group" : "group " + g).toList()
                .toString();
    }

    /** Whether this node's replica of {@code group} ({@link ReadmissionFile#META} for metadata) awaits re-admission. */
    public synchronized boolean pending(int group) {
        return pending.contains(group);
    }

    /** Whether any replica of this node awaits re-admission. */
    public synchronized boolean anyPending() {
        return !pending.isEmpty();
    }

    /** Where the replica is in its re-admission; empty once it is a voter again (or never left). */
    public Optional<Stage> stage(int group) {
        return pending(group) ? Optional.ofNullable(stages.get(group)) : Optional.empty();
    }

    /**
     * Step 2, on a thread of its own: re-admits every pending replica. {@code hosted} is told of each data group once
     * this node hosts it again (without a vote at first), to start serving it through the usual paths.
     */
    public synchronized void start(RaftHost host, IntConsumer hosted) {
        if (pending.isEmpty() || worker != null) {
            return;
        }
        worker = new Thread(() -> run(host, hosted), "partita-readmit");
        worker.setDaemon(true);
        worker.start();
    }

    private void run(RaftHost host, IntConsumer hosted) {
        while (!closed) {
            List<Integer> todo;
            synchronized (this) {
                todo = List.copyOf(pending);
            }
            if (todo.isEmpty()) {
                LOG.info("Node {} has been re-admitted to every group", nodeId);
                return;
            }
            for (int g : todo) {
                if (closed) {
                    return;
                }
                try {
                    step(host, hosted, g);
                } catch (IOException | RuntimeException e) {
                    String problem = e.getMessage();
                    if (!problem.equals(lastProblem.put(g, problem))) {
                        LOG.info("Re-admission of {} ({}) waits: {}", describe(List.of(g)), stages.get(g), problem);
                    }
                }
            }
            try {
                Thread.sleep(PAUSE_BETWEEN_ROUNDS_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void step(RaftHost host, IntConsumer hosted, int g) throws IOException {
        RaftGroupId id = id(layout, g);
        ClusterPlan current = plan.get();
        List<NodeAddress> replicas = PlanView.addresses(current, g == ReadmissionFile.META
                ? current.getMetaNodeIdsList() : current.getGroups(g).getReplicaNodeIdsList());
        if (stages.get(g) == Stage.REMOVING) {
            host.removeSelfFromGroup(id, replicas, ATTEMPT);
            host.hostWithoutVote(id);
            stages.put(g, Stage.REJOINING);
            LOG.info("{} committed a configuration without node {}; it now catches up without a vote",
                    describe(List.of(g)), nodeId);
            if (g != ReadmissionFile.META) {
                hosted.accept(g);
            }
        }
        if (!host.votesIn(id)) {
            host.addSelfBackToGroup(id, replicas, ATTEMPT);
        }
        if (host.votesIn(id)) {
            synchronized (this) {
                pending.remove(g);
                file.save(pending);
            }
            stages.remove(g);
            LOG.info("Node {} is a voting replica of {} again", nodeId, describe(List.of(g)));
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread t;
        synchronized (this) {
            t = worker;
        }
        if (t != null) {
            t.interrupt();
        }
    }
}
