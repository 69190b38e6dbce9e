package io.partita.server.cluster;

import io.partita.engine.storage.NodeStore;
import io.partita.engine.time.Clock;
import io.partita.protocol.tls.TlsMaterial;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.NamespaceInfo;
import io.partita.protocol.v1.NodeDescription;
import io.partita.protocol.v1.PlanNode;
import io.partita.raft.cluster.Placement;
import io.partita.raft.group.GroupExpirer;
import io.partita.raft.group.NodeAddress;
import io.partita.raft.group.RaftTuning;
import io.partita.raft.snapshot.SnapshotSource;
import io.partita.server.config.NodeConfig.NamespaceConfig;
import io.partita.server.config.NodeConfig;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's place in a cluster: the plan it holds and, once it has one, the running {@link ClusterRuntime}.
 *
 * <p>A node with a stored plan starts its runtime at once (a restart rejoins with its identity and data). A node
 * without one either creates a cluster of its own (no seeds configured) or waits for a plan from
 * {@code cluster init} or a seed.
 */
public final class Membership implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

    /** How long reading back an offered plan from the metadata group may take. */
    private static final java.time.Duration HINT_PATIENCE = java.time.Duration.ofSeconds(10);

    private final NodeConfig config;
    private final NodeStore store;
    private final Clock clock;
    private final RaftTuning tuning;
    private final PlanHolder plans;
    private final Supplier<String> clientAddress;
    private final SnapshotSource snapshots;
    private final RuntimeObserver observer;
    /** The Raft port's TLS, or null for plaintext. */
    private final TlsMaterial raftTls;
    private volatile ClusterRuntime runtime;
    /** Applies adopted plans to the runtime, one at a time (see {@link #planChanged}). */
    private final ExecutorService planApplier = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "partita-plan-applier");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<ClusterPlan> pendingPlan = new AtomicReference<>();
    private boolean closed; // guarded by this
    private boolean planStoredAtStart; // guarded by this

    public Membership(NodeConfig config, NodeStore store, Clock clock, RaftTuning tuning, PlanHolder plans,
                      Supplier<String> clientAddress, SnapshotSource snapshots,
                      RuntimeObserver observer, TlsMaterial raftTls) {
        this.raftTls = raftTls;
        this.observer = observer;
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.tuning = tuning;
        this.plans = plans;
        this.clientAddress = clientAddress;
        this.snapshots = snapshots;
        plans.onChange(this::planChanged);
    }

    /**
     * Starts the runtime if the node has a plan, creating a one-node plan first when no seeds are configured.
     * Returns the plan in force, or null if the node waits to be joined.
     */
    public synchronized ClusterPlan startIfPlanned() throws IOException {
        ClusterPlan plan = plans.current().orElse(null);
        planStoredAtStart = plan != null;
        if (plan == null && config.seeds().isEmpty()) {
            plan = singleNodePlan();
            LOG.info("No seeds configured: created cluster {} of this node alone", plan.getClusterId());
        }
        if (plan != null) {
            join(plan);
        } else {
            LOG.info("Node {} waits to join a cluster: run `partita cluster init --hosts ...` or start a seed that"
                    + " knows the cluster", config.nodeId());
        }
        return plan;
    }

    private ClusterPlan singleNodePlan() {
        for (NamespaceConfig ns : config.namespaces()) {
            if (ns.replicationFactor() > 1) {
                throw new IllegalStateException("namespace '" + ns.name() + "' asks for replication-factor "
                        + ns.replicationFactor() + ", but this node has no seeds and forms a cluster of its own"
                        + " (one copy at most); set replication-factor: 1, or list the other nodes under seeds"
                        + " and run partita cluster init");
            }
        }
        PlanNode self = PlanNode.newBuilder().setNodeId(config.nodeId()).setRaftAddress(self().raftAddress())
                .setClientAddress(clientAddress.get()).setRack(config.rack()).build();
        return ElectionTimeouts.pin(Placement.plan(UUID.randomUUID().toString(), List.of(self), config.raftGroupsFor(1),
                1, clock.nowMs()).toBuilder().addAllNamespaces(namespaceInfos()).build(), config.raft());
    }

    /**
     * Adopts {@code plan} (if newer) and makes sure the runtime runs and hosts this node's groups.
     *
     * @throws IllegalArgumentException if the plan does not fit this node (other cluster, not listed, another group
     *                                  count or election timeouts)
     */
    public synchronized void join(ClusterPlan plan) throws IOException {
        join(plan, planStoredAtStart ? ReplicaRecovery.Start.RESTART : ReplicaRecovery.Start.NEW);
    }

    private synchronized void join(ClusterPlan plan, ReplicaRecovery.Start start) throws IOException {
        if (closed) {
            throw new IllegalStateException("node " + config.nodeId() + " is stopping");
        }
        check(plan);
        ClusterPlan inForce = plans.offer(plan);
        if (runtime == null) {
            if (!ElectionTimeouts.pinned(inForce)) {
                LOG.warn("Cluster {} was created before its plan fixed the election timeouts: this node runs"
                        + " without the leader lease (every linearizable read confirms leadership by a ReadIndex"
                        + " round), which is safe whatever each node's raft.election-timeout-* says",
                        inForce.getClusterId());
            }
            runtime = ClusterRuntime.start(config.dataDir(), self(), config.listen().raftBindAddress(),
                    ElectionTimeouts.tuningFor(inForce, tuning), inForce, start, store, clock, plans,
                    snapshots, observer, new GroupExpirer.Settings(config.expiry().period(),
                            config.expiry().maxDeletesPerSecond()), raftTls);
            LOG.info("Node {} runs as a member of cluster {} (plan version {})", config.nodeId(),
                    inForce.getClusterId(), inForce.getVersion());
            // A newer plan adopted while the runtime started found no runtime to apply it to.
            plans.current().filter(p -> p.getVersion() > inForce.getVersion()).ifPresent(this::planChanged);
        }
    }

    /**
     * Takes a plan a seed reports. If this node was not running the cluster yet, it may be a member that lost its
     * data directory: it has forgotten what it acknowledged, so it takes no part in any group until the group has
     * dropped it and taken it back, caught up ({@link ReplicaRecovery}). A node that merely missed
     * {@code cluster init} loses nothing by this but time. A node that runs the cluster adopts only what the
     * metadata group holds ({@link #adoptFromMeta}).
     *
     * @throws IllegalArgumentException if the plan does not fit this node
     * @throws IOException if the plan is not the metadata group's or that group cannot be read now
     */
    public void joinFromSeed(ClusterPlan plan) throws IOException {
        if (plans.current().isEmpty()) {
            join(plan, ReplicaRecovery.Start.FROM_SEED);
        } else {
            adoptFromMeta(plan);
        }
    }

    /**
     * Takes a plan pushed to this node ({@code JoinCluster}). A node without a plan checks and durably adopts it now,
     * then starts hosting its groups on {@code executor}: starting Ratis and adding every group takes seconds,
     * longer than a caller should wait on an RPC. A failure there is logged; the stored plan makes the next start
     * try again. A node that runs the cluster adopts only what the metadata group holds ({@link #adoptFromMeta}).
     *
     * @throws IllegalArgumentException if the plan does not fit this node
     * @throws IOException if the plan is not the metadata group's or that group cannot be read now
     */
    public void joinAsync(ClusterPlan plan, java.util.concurrent.Executor executor) throws IOException {
        ClusterPlan mine = plans.current().orElse(null);
        if (mine != null && (runtime != null || plan.getVersion() > mine.getVersion())) {
            adoptFromMeta(plan);
            return;
        }
        check(plan);
        plans.offer(plan); // no plan yet, or the same again (cluster init retried): start the groups if not running
        executor.execute(() -> {
            try {
                join(plans.current().orElseThrow());
            } catch (IOException | RuntimeException e) {
                LOG.error("Node {} could not start the groups of cluster {}", config.nodeId(), plan.getClusterId(), e);
            }
        });
    }

    /**
     * Treats {@code offered}, a plan another node sent or reported, as a hint that a newer plan is in force: adopts
     * the plan the metadata group holds (a linearizable read), never the offered bytes. A plan that group did not
     * commit (a stale or made-up push, a seed that reports one) thus changes nothing on a node in the cluster. Only
     * a node without any plan takes one as offered: before its first plan it has no metadata group to ask (cluster
     * init, a node being added), and the groups it then hosts count it only if their own committed configurations
     * list it.
     *
     * @return the plan in force on this node afterwards
     * @throws IllegalArgumentException if {@code offered} belongs to another cluster
     * @throws PlanNotInForceException  if the metadata group holds an older version than {@code offered}
     * @throws IOException              if the metadata group cannot be read now (the next push or seed poll retries)
     */
    ClusterPlan adoptFromMeta(ClusterPlan offered) throws IOException {
        ClusterPlan mine = plans.current().orElseThrow();
        PlanHolder.requireSameCluster(mine, offered);
        if (offered.getVersion() <= mine.getVersion()) {
            return mine;
        }
        ClusterRuntime r = runtime;
        if (r == null) {
            throw new IOException("node " + config.nodeId() + " is still starting the groups of plan"
                    + " version " + mine.getVersion() + "; it takes version " + offered.getVersion()
                    + " from the metadata group once they run");
        }
        // A push or a seed poll waits on this: briefly, as the next poll asks again.
        ClusterPlan held = metaAnswer(r.host().readMetaPlan(PlanView.metaMembers(mine, offered), HINT_PATIENCE));
        if (held.getVersion() > mine.getVersion()) {
            join(held, ReplicaRecovery.Start.RESTART);
        }
        if (held.getVersion() < offered.getVersion()) {
            throw new PlanNotInForceException("plan version " + offered.getVersion() + " is not in force: the"
                    + " metadata group holds version " + held.getVersion() + " (node " + config.nodeId() + " runs"
                    + " version " + plans.current().orElseThrow().getVersion() + ")");
        }
        return plans.current().orElseThrow();
    }

    /**
     * The plan in force as the metadata group holds it (version 0: none recorded yet), asked of the group's members
     * as {@code plans} name them ({@link PlanView#metaMembers}).
     *
     * @throws IOException if this node does not run the cluster yet, or the group cannot answer
     */
    public ClusterPlan readMetaPlan(ClusterPlan... plans) throws IOException {
        ClusterRuntime r = runtime;
        if (r == null) {
            throw new IOException("node " + config.nodeId() + " does not run a cluster yet");
        }
        return metaAnswer(r.host().readMetaPlan(PlanView.metaMembers(plans)));
    }

    /** A plan the metadata group answered (a read or a proposal's reply). */
    static ClusterPlan metaAnswer(byte[] bytes) throws IOException {
        try {
            return ClusterPlan.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IOException("the metadata group answered an unreadable plan", e);
        }
    }

    private void check(ClusterPlan plan) {
        PlanView.node(plan, config.nodeId()).orElseThrow(() -> new IllegalArgumentException(
                "cluster " + plan.getClusterId() + " does not list node " + config.nodeId()));
        if (config.raftGroups() != NodeConfig.RAFT_GROUPS_AUTO && plan.getGroupCount() != config.raftGroups()) {
            throw new IllegalStateException("raft-groups is fixed when the cluster is created: cluster "
                    + plan.getClusterId() + " has " + plan.getGroupCount() + " groups but this node's config says "
                    + config.raftGroups() + "; set raft-groups: " + plan.getGroupCount());
        }
        ElectionTimeouts.check(plan, config.raft());
        if (movedFrom(plan) != null && runtime == null) {
            // A node is its id and its data, not its address: AddressUpdater has the cluster record the new one.
            LOG.info("Cluster {} knows node {} at {}; it now runs at {} and asks the cluster to record that",
                    plan.getClusterId(), config.nodeId(), movedFrom(plan), describeSelf());
        }
    }

    /**
     * The addresses (raft, client) {@code plan} records for this node when they are not where it runs now, or null.
     * Null too for a node on raft port 0, which only a cluster of its own allows and nobody dials.
     */
    String movedFrom(ClusterPlan plan) {
        if (config.listen().raftPort() == 0) {
            return null;
        }
        PlanNode me = PlanView.node(plan, config.nodeId()).orElse(null);
        NodeAddress self = self();
        if (me == null || PlanView.recordsAt(me, self.raftAddress(), self.clientAddress())) {
            return null;
        }
        return "raft " + me.getRaftAddress() + ", client " + me.getClientAddress();
    }

    private String describeSelf() {
        NodeAddress self = self();
        return "raft " + self.raftAddress() + ", client " + self.clientAddress();
    }

    /**
     * Hosts and drops replicas for a newly adopted plan on {@link #planApplier}, never on the caller's thread: plans
     * arrive on the metadata group's state-machine thread, and dropping (or adding) a Ratis group from there could
     * wait for that very thread. Plans are applied in order; one that arrives while another is being applied
     * replaces any still waiting, since each plan is complete.
     */
    private void planChanged(ClusterPlan plan) {
        if (pendingPlan.getAndSet(plan) == null) {
            try {
                planApplier.execute(this::applyPendingPlan);
            } catch (RejectedExecutionException e) {
                LOG.debug("Node stopping: plan version {} is not applied", plan.getVersion());
            }
        }
    }

    private void applyPendingPlan() {
        ClusterPlan plan = pendingPlan.getAndSet(null);
        ClusterRuntime r = runtime;
        if (plan == null || r == null) {
            return;
        }
        try {
            r.ensureGroups(plan);
        } catch (IOException | RuntimeException e) {
            LOG.error("Cannot host the groups of plan version {}", plan.getVersion(), e);
        }
    }

    /** This node's addresses as its config gives them; the Raft address is the one peers dial (advertised). */
    public NodeAddress self() {
        return new NodeAddress(config.nodeId(), config.listen().advertisedRaftAddress(), clientAddress.get());
    }

    public NodeDescription describe() {
        NodeDescription.Builder d = NodeDescription.newBuilder()
                .setNodeId(config.nodeId())
                .setRaftAddress(self().raftAddress())
                .setClientAddress(clientAddress.get())
                .setConfiguredRaftGroups(config.raftGroups())
                .setRack(config.rack())
                .setConfiguredElectionTimeoutMinMs(Math.toIntExact(config.raft().electionTimeoutMin().toMillis()))
                .setConfiguredElectionTimeoutMaxMs(Math.toIntExact(config.raft().electionTimeoutMax().toMillis()))
                .addAllNamespaces(namespaceInfos());
        plans.current().ifPresent(d::setPlan);
        return d.build();
    }

    public List<NamespaceInfo> namespaceInfos() {
        return config.namespaces().stream().map(ns -> NamespaceInfo.newBuilder()
                .setName(ns.name())
                .setReplicationFactor(ns.replicationFactor())
                .setDefaultTtlSeconds(ns.defaultTtlSeconds())
                .setMaxRecordSize(ns.maxRecordSize())
                .build()).toList();
    }

    /** The running runtime, or null while the node waits to join a cluster. */
    public ClusterRuntime runtime() {
        return runtime;
    }

    public PlanHolder plans() {
        return plans;
    }

    public NodeConfig config() {
        return config;
    }

    @Override
    public synchronized void close() {
        closed = true;
        // A plan being applied may be dropping a replica's data: let it finish before the runtime and the store
        // close under it.
        planApplier.shutdown();
        try {
            if (!planApplier.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Applying a cluster plan did not finish within 30 s of stopping");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (runtime != null) {
            runtime.close();
        }
    }
}
