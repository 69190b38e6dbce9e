package io.partita.server.cluster;

import io.partita.engine.storage.NodeStore;
import io.partita.engine.time.Clock;
import io.partita.protocol.tls.TlsMaterial;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.raft.cluster.ReadmissionFile;
import io.partita.raft.group.GroupLayout;
import io.partita.raft.group.GroupOps;
import io.partita.raft.group.GroupExpirer;
import io.partita.raft.group.GroupWriter;
import io.partita.raft.group.NodeAddress;
import io.partita.raft.group.PeerAddresses;
import io.partita.raft.group.RaftHost;
import io.partita.raft.group.RaftTuning;
import io.partita.raft.group.ReplicaHealth;
import io.partita.raft.snapshot.SnapshotSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.ratis.protocol.RaftGroupId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node runs once it belongs to a cluster: the Ratis server with this node's replicas of the data groups (and
 * of the metadata group, if it is a member), and a {@link GroupWriter} per hosted group. The group layout (cluster
 * id and group count) never changes for the life of a cluster, so it is fixed here.
 */
public final class ClusterRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRuntime.class);
    /** Key of the metadata group in {@link #replicaHealth()}. */
    public static final int META = ReadmissionFile.META;

    private final String nodeId;
    /** Where this node runs (its plan entry may still show an earlier address). */
    private final NodeAddress self;
    private final RaftHost host;
    private final NodeStore store;
    private final RaftTuning tuning;
    private final AtomicReferenceArray<GroupWriter> writers;
    private final GroupOps groupOps;
    private final RuntimeObserver observer;
    private final ReplicaRecovery recovery;
    /** Removes expired records from the groups this node leads; null until started. */
    private volatile GroupExpirer expirer;
    /** Groups reported to the observer as hosted (guarded by this). */
    private final BitSet announced = new BitSet();
    /** The plan whose groups this node last joined: the replicas it must hold. */
    private volatile ClusterPlan plan;

    private ClusterRuntime(NodeAddress self, RaftHost host, NodeStore store, RaftTuning tuning,
                           RuntimeObserver observer, ReplicaRecovery recovery) {
        this.self = self;
        this.observer = observer;
        this.recovery = recovery;
        this.nodeId = self.nodeId();
        this.host = host;
        this.store = store;
        this.tuning = tuning;
        this.writers = new AtomicReferenceArray<>(host.layout().groupCount());
        this.groupOps = new GroupOps(host, writers::get);
    }

    /**
     * Starts Ratis for the plan's cluster and joins every group the plan gives this node; replicas whose state this
     * node lost are re-admitted in the background instead ({@link ReplicaRecovery}). Ratis binds
     * {@code raftBindAddress}; peers dial {@code self.raftAddress()}, which differs when it is advertised.
     *
     * @param dataDir the node's data directory (Raft state under {@code raft/})
     * @param start   how the node came to run {@code plan}
     * @param expiry  how expired records are removed from the groups this node leads
     * @param tls     the Raft port's TLS (mutual, by the CA file), or null for plaintext
     */
    public static ClusterRuntime start(Path dataDir, NodeAddress self, String raftBindAddress, RaftTuning tuning,
                                       ClusterPlan plan, ReplicaRecovery.Start start, NodeStore store, Clock clock,
                                       PlanHolder plans, SnapshotSource snapshots,
                                       RuntimeObserver observer, GroupExpirer.Settings expiry, TlsMaterial tls)
            throws IOException {
        GroupLayout layout = new GroupLayout(plan.getClusterId(), plan.getGroupCount());
        Path raftDir = dataDir.resolve("raft");
        ReplicaRecovery recovery = ReplicaRecovery.prepare(self.nodeId(), plan, start, raftDir, store,
                new ReadmissionFile(dataDir), () -> plans.current().orElse(plan));
        // Known before Ratis starts: it dials the peers of the groups it recovers at once.
        PeerAddresses.learn(plan.getClusterId(), plan.getVersion(), PlanView.addressesWithSelf(plan, self));
        RaftHost host = RaftHost.start(raftDir, self, raftBindAddress, tuning, layout, store, clock, plans,
                snapshots, tls);
        ClusterRuntime runtime = new ClusterRuntime(self, host, store, tuning,
                observer, recovery);
        try {
            runtime.ensureGroups(plan);
            recovery.start(host, runtime::serve);
            runtime.expirer = new GroupExpirer(expiry, runtime.groupOps, store, host::groupClock,
                    () -> host.layout().groupCount(), observer.expiryListener()).start();
        } catch (IOException | RuntimeException e) {
            runtime.close();
            throw e;
        }
        return runtime;
    }

    /**
     * Joins the groups of {@code plan} this node replicates and does not host yet, except those awaiting
     * re-admission: {@link ReplicaRecovery} hosts them once their groups have dropped this node.
     */
    public synchronized void ensureGroups(ClusterPlan plan) throws IOException {
        PeerAddresses.learn(plan.getClusterId(), plan.getVersion(), PlanView.addressesWithSelf(plan, self));
        if (PlanView.inMetaGroup(plan, nodeId) && !recovery.pending(ReadmissionFile.META)) {
            host.ensureMetaGroup(PlanView.metaMembers(plan));
        } else if (PlanView.movesTo(plan.getMetaMove(), nodeId)) {
            host.hostWithoutVote(host.layout().metaGroupId());
        }
        List<Integer> mine = new ArrayList<>();
        List<Integer> joining = new ArrayList<>();
        for (int g = 0; g < plan.getGroupCount(); g++) {
            if (PlanView.replicates(plan, g, nodeId)) {
                mine.add(g);
            } else if (PlanView.movesTo(plan.getGroups(g).getMove(), nodeId)) {
                joining.add(g);
            }
        }
        long start = System.nanoTime();
        List<Integer> prepare = new ArrayList<>(mine);
        prepare.addAll(joining);
        store.prepareGroups(prepare);
        for (int g : joining) {
            // A replica moving here: hosted without a vote until the group's leader adds it (RaftHost.addMember).
            host.hostWithoutVote(host.layout().raftGroupId(g));
        }
        Map<Integer, List<NodeAddress>> replicas = new LinkedHashMap<>();
        for (int g : mine) {
            if (!recovery.pending(g)) {
                replicas.put(g, PlanView.addresses(plan, plan.getGroups(g).getReplicaNodeIdsList()));
            }
        }
        try {
            host.ensureGroups(replicas, this::serve);
        } finally {
            // Also when a group could not be added: readiness then reports that replica missing.
            this.plan = plan;
        }
        dropMovedAway(plan);
        LOG.info("Hosting {} groups of plan version {} ({} ms)", mine.size(), plan.getVersion(),
                (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Stops hosting the replicas the plan has moved off this node and empties their data. The plan drops a replica
     * only after its group committed a configuration without it (the rebalancer's order), so nothing acknowledged
     * depends on this copy any more.
     */
    private void dropMovedAway(ClusterPlan plan) throws IOException {
        for (int g = 0; g < plan.getGroupCount(); g++) {
            RaftGroupId id = host.layout().raftGroupId(g);
            if (PlanView.replicates(plan, g, nodeId) || PlanView.movesTo(plan.getGroups(g).getMove(), nodeId)
                    || recovery.pending(g) || !host.hosts(id)) {
                continue;
            }
            writers.set(g, null);
            host.dropGroup(id);
            store.group(g).reset();
            LOG.info("Dropped the replica of group {}: plan version {} places it on {}", g, plan.getVersion(),
                    plan.getGroups(g).getReplicaNodeIdsList());
        }
        RaftGroupId meta = host.layout().metaGroupId();
        if (!PlanView.inMetaGroup(plan, nodeId) && !PlanView.movesTo(plan.getMetaMove(), nodeId)
                && !recovery.pending(META) && host.hosts(meta)) {
            host.dropGroup(meta);
            LOG.info("Left the metadata group: plan version {} places it on {}", plan.getVersion(),
                    plan.getMetaNodeIdsList());
        }
    }

    /** Starts the group's writer (requests reach the group through it) once this node hosts a replica. */
    private synchronized void serve(int g) {
        if (writers.get(g) == null) {
            writers.set(g, new GroupWriter(g, host, host.groupClock(g), tuning,
                    observer.batchListener()));
            if (!announced.get(g)) { // a replica moved away and back is announced once
                announced.set(g);
                observer.groupHosted(this, g);
            }
        }
    }

    /**
     * The health of every replica the plan places on this node, by data group index in order, then the metadata
     * group as {@link #META} if this node is a member. A replica the plan places here that the node does not hold
     * is {@link ReplicaHealth.State#MISSING}; one awaiting re-admission is left out ({@link #recovery()} reports
     * it). Empty before the node joined its groups.
     */
    public Map<Integer, ReplicaHealth> replicaHealth() {
        ClusterPlan p = plan;
        Map<Integer, ReplicaHealth> out = new LinkedHashMap<>();
        if (p == null) {
            return out;
        }
        for (int g = 0; g < p.getGroupCount(); g++) {
            if (PlanView.replicates(p, g, nodeId) && !recovery.pending(g)) {
                out.put(g, host.replicaHealth(g));
            }
        }
        if (PlanView.inMetaGroup(p, nodeId) && !recovery.pending(META)) {
            out.put(META, host.metaReplicaHealth());
        }
        return out;
    }

    /** Whether the node has joined the groups of a plan (those it places here, possibly none). */
    public boolean joined() {
        return plan != null;
    }

    /** "group 3" or "the metadata group", for messages about a key of {@link #replicaHealth()}. */
    public static String groupName(int key) {
        return key == META ? "the metadata group" : "group " + key;
    }

    /** This node's replicas that lost their state and await re-admission. */
    public ReplicaRecovery recovery() {
        return recovery;
    }

    public RaftHost host() {
        return host;
    }

    public GroupLayout layout() {
        return host.layout();
    }

    public NodeStore store() {
        return store;
    }

    /**
     * The group's clock on this node: the time to compute a write's expiry with and to judge expiry at reads. Never
     * earlier than the group's applied log time (see {@code GroupClock}), whatever the node's clock does.
     */
    public Clock groupClock(int group) {
        return host.groupClock(group);
    }

    /** Reads and writes of the data groups, for the front end (it sees no Ratis type or log command). */
    public GroupOps groupOps() {
        return groupOps;
    }

    /** The writer of a group this node replicates, or null if it holds no replica of it. */
    public GroupWriter writer(int group) {
        return writers.get(group);
    }

    @Override
    public void close() {
        GroupExpirer sweeping = expirer;
        if (sweeping != null) {
            sweeping.close();
        }
        recovery.close();
        try {
            host.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Error stopping Ratis", e);
        }
    }
}
