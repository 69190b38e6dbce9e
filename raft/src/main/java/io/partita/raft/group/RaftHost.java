package io.partita.raft.group;

import io.partita.engine.storage.NodeStore;
import io.partita.engine.time.Clock;
import io.partita.protocol.tls.TlsMaterial;
import io.partita.raft.cluster.MetaStateMachine;
import io.partita.raft.cluster.PlanSink;
import io.partita.raft.snapshot.SnapshotSource;
import io.partita.raft.statemachine.PartitaStateMachine;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one Ratis server, hosting a division (replica) of every Raft group placed on this node. Requests are
 * submitted to the local division in-process: the node's front end never pays a network hop to reach its own
 * Raft leader.
 */
public final class RaftHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RaftHost.class);
    /** Committed but unapplied entries beyond which a replica counts as catching up (not ready). */
    public static final long CATCH_UP_LAG = 1_000;
    /**
     * The leader lease as a fraction of the minimum election timeout (Ratis's default, set explicitly): the margin
     * below 1 absorbs differences in clock rate between the leader and its followers. (The lease counts from when
     * the leader sent a heartbeat, a follower from when it received it, so time in flight only adds margin.)
     */
    public static final double LEASE_RATIO = 0.9;

    private final RaftServer server;
    private final RaftPeerId selfId;
    private final GroupLayout layout;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private final ApplyStallDetector stalls = new ApplyStallDetector();

    private final RaftProperties properties;
    /** Transport parameters (TLS) for the server and this node's Raft clients alike. */
    private final Parameters parameters;
    private final GroupClock[] groupClocks;

    private RaftHost(RaftServer server, RaftPeerId selfId, GroupLayout layout, RaftProperties properties,
                     Parameters parameters, GroupClock[] groupClocks) {
        this.parameters = parameters;
        this.server = server;
        this.selfId = selfId;
        this.layout = layout;
        this.properties = properties;
        this.groupClocks = groupClocks;
    }

    /**
     * Starts the Ratis server. Groups this node already hosts are recovered from {@code raftDir}; add new ones with
     * {@link #ensureGroup}.
     */
    public static RaftHost start(Path raftDir, NodeAddress self, RaftTuning tuning, GroupLayout layout,
                                 NodeStore store, Clock clock, SnapshotSource snapshots) throws IOException {
        return start(raftDir, self, tuning, layout, store, clock, null, snapshots);
    }

    /**
     * Starts the Ratis server; the metadata group (if this node hosts it) feeds the plans it commits to
     * {@code plans}, and lagging data groups fetch snapshots through {@code snapshots}.
     */
    public static RaftHost start(Path raftDir, NodeAddress self, RaftTuning tuning, GroupLayout layout,
                                 NodeStore store, Clock clock, PlanSink plans, SnapshotSource snapshots)
            throws IOException {
        return start(raftDir, self, self.raftAddress(), tuning, layout, store, clock, plans, snapshots, null);
    }

    /**
     * As {@link #start(Path, NodeAddress, RaftTuning, GroupLayout, NodeStore, Clock, PlanSink, SnapshotSource)}, the
     * Ratis server bound to {@code bindAddress} (host:port) while peers know this node as {@code self.raftAddress()},
     * e.g. a proxy or port forward in front of it; with {@code tls} non-null the Raft port and this node's Raft
     * clients use mutual TLS ({@link #transport}).
     */
    public static RaftHost start(Path raftDir, NodeAddress self, String bindAddress, RaftTuning tuning,
                                 GroupLayout layout, NodeStore store, Clock clock, PlanSink plans,
                                 SnapshotSource snapshots, TlsMaterial tls) throws IOException {
        PeerAddresses.learnSelf(layout.clusterId(), self);
        RaftProperties p = properties(raftDir, bindAddress, tuning);
        Parameters parameters = transport(tls);
        retryFollowersPromptly(p);
        RaftPeerId selfId = RaftPeerId.valueOf(self.nodeId());
        // One per group for the life of the process: a state machine Ratis recreates (re-admission) feeds the same one.
        GroupClock[] groupClocks = new GroupClock[layout.groupCount()];
        for (int g = 0; g < groupClocks.length; g++) {
            groupClocks[g] = new GroupClock(clock);
        }
        RaftServer server = RaftServer.newBuilder()
                .setServerId(selfId)
                .setProperties(p)
                .setParameters(parameters)
                .setOption(RaftStorage.StartupOption.RECOVER)
                .setStateMachineRegistry(groupId -> {
                    if (groupId.equals(layout.metaGroupId()) && plans != null) {
                        return new MetaStateMachine(plans);
                    }
                    int index = layout.indexOf(groupId);
                    if (index < 0) {
                        throw new IllegalStateException("Raft group " + groupId + " in " + raftDir
                                + " does not belong to cluster " + layout.clusterId());
                    }
                    return new PartitaStateMachine(index, store, groupClocks[index], snapshots);
                })
                .build();
        server.start();
        if (bindAddress.equals(self.raftAddress())) {
            LOG.info("Ratis server {} started on {}", selfId, bindAddress);
        } else {
            LOG.info("Ratis server {} started on {}, advertised to peers as {}", selfId, bindAddress,
                    self.raftAddress());
        }
        return new RaftHost(server, selfId, layout, p, parameters, groupClocks);
    }

    /**
     * Ratis's transport parameters: with TLS, mutual TLS on the Raft port and in this node's Raft clients, each side
     * presenting the node's certificate and accepting any from the CA file. Peers are dialed by node id
     * ({@link PeerAddresses}), so there is no host name to check: the CA file decides who is a peer.
     */
    static Parameters transport(TlsMaterial tls) {
        Parameters parameters = new Parameters();
        if (tls != null) {
            GrpcConfigKeys.TLS.setConf(parameters, new GrpcTlsConfig(tls.keyManager(), tls.trustManager(false), true));
        }
        return parameters;
    }

    static RaftProperties properties(Path raftDir, String bindAddress, RaftTuning tuning) {
        RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(raftDir.toFile()));
        String[] hostPort = splitHostPort(bindAddress);
        GrpcConfigKeys.Server.setHost(p, hostPort[0]);
        GrpcConfigKeys.Server.setPort(p, Integer.parseInt(hostPort[1]));
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, millis(tuning.electionTimeoutMin().toMillis()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, millis(tuning.electionTimeoutMax().toMillis()));
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(tuning.segmentSizeBytes()));
        // Acknowledge only after the log is flushed to disk, unless the operator chose commit-to-memory.
        RaftServerConfigKeys.Log.setUnsafeFlushEnabled(p, !tuning.logSync());
        // Linearizable reads: ReadIndex, answered from the leader's lease while it holds one. The lease runs for
        // LEASE_RATIO x the leader's minimum election timeout from the send time of the heartbeat a majority
        // acknowledged; a follower refuses votes (and stays a follower) for its own minimum election timeout after
        // hearing from the leader. So no other leader can be elected while the lease runs as long as every
        // replica's minimum is at least the leader's: the cluster plan fixes it for every node, and a plan without
        // it (made before it was fixed) runs without the lease (tuning.leaderLease()).
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, tuning.leaderLease());
        RaftServerConfigKeys.Read.setLeaderLeaseTimeoutRatio(p, LEASE_RATIO);
        // The read index is the leader's applied index rather than its commit index: a read does not wait for
        // entries committed but not yet applied, so under the lease it completes on the calling thread. Still
        // linearizable: every write acknowledged to a client was applied here first (GroupWriter answers only after
        // the apply), and a new leader serves no read before it has applied its first entry of its term, which
        // follows every entry an earlier leader acknowledged.
        RaftServerConfigKeys.Read.ReadIndex.setType(p, RaftServerConfigKeys.Read.ReadIndex.Type.APPLIED_INDEX);
        // Every group snapshots after snapshot-every-entries entries and purges its log up to the snapshot even if
        // a follower still needs those entries: that follower catches up from the snapshot instead.
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, tuning.snapshotEveryEntries());
        // Closing a node would otherwise export every group; the log tail replays quickly at the next start.
        RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(p, false);
        // Nor export a group this node is leaving. Worse, if that export fails (a failing disk, which may be why the
        // group is removed), Ratis's apply loop spins forever and the removal never returns.
        RaftServerConfigKeys.Snapshot.setTriggerWhenRemoveEnabled(p, false);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(Integer.MAX_VALUE, tuning.snapshotEveryEntries()));
        // Notification mode: Ratis's own chunked install has no rate limit and replaces the whole sm/ directory;
        // instead the follower fetches the leader's snapshot itself (PartitaStateMachine, SnapshotSource).
        RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, false);
        // Large enough for the biggest batch plus framing.
        GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(Math.max(64L << 20, 2 * tuning.maxEntryBytes())));
        // Each group's log worker holds a direct write buffer of this size; it must fit the largest entry, and with
        // hundreds of groups per node Ratis's 8 MiB default alone would exhaust the JVM's direct memory.
        // (Ratis also requires it to exceed the appender's batch limit below by 8 bytes.)
        RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf(tuning.maxEntryBytes() + 8));
        // Ratis spaces appends to a follower at least wait-time.min apart (default 10 ms) to batch them; that adds
        // up to 10 ms to every write at low load. Group commit already batches (GroupWriter), so send at once.
        RaftServerConfigKeys.Log.Appender.setWaitTimeMin(p, TimeDuration.ZERO);
        // Ratis would append a metadata entry (the commit index) to the log after commits, one more log write and
        // fsync per commit; it only shortens replay after a restart, which the applied index in RocksDB covers.
        RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p,
                SizeInBytes.valueOf(tuning.maxEntryBytes()));
        // A follower appends an AppendEntries on the thread that received it. Composing (Ratis's default) chains each
        // append behind the previous one through the common pool: two more thread hand-offs per entry per follower,
        // for an order the per-follower gRPC stream already gives.
        RaftServerConfigKeys.Log.setAppendEntriesComposeEnabled(p, false);
        return p;
    }

    /**
     * How long a leader waits between attempts to reach a follower that failed (down, restarting, or answering
     * "inconsistent" while it catches up), by count of consecutive failures: {@code sleep,count} pairs, each sleep
     * randomized by +-50%. Ratis's default waits 5 s once a follower has failed 30 times (about 15 s down), so a
     * restarted node waited up to 7.5 s for each leader to find it, and as long again after its first
     * "inconsistent" answer. Capped here at 500 ms: a down follower costs each leader two failed calls per second
     * per group, which connection-refused or an unanswered connect make cheap.
     */
    static final String FOLLOWER_RETRY_POLICY = "1ms,10, 100ms,20, 500ms," + Integer.MAX_VALUE;

    /** Sets {@link #FOLLOWER_RETRY_POLICY}: a restarted node is caught up by its leaders within about a second. */
    static void retryFollowersPromptly(RaftProperties p) {
        RaftServerConfigKeys.Log.Appender.setRetryPolicy(p, FOLLOWER_RETRY_POLICY);
    }

    private static TimeDuration millis(long ms) {
        return TimeDuration.valueOf(ms, TimeUnit.MILLISECONDS);
    }

    static String[] splitHostPort(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("address '" + address + "' is not host:port");
        }
        return new String[] {address.substring(0, colon), address.substring(colon + 1)};
    }

    /**
     * Adds data group {@code index} to this node, unless it is already hosted. Replicas are given in placement order:
     * the first gets the highest Raft priority, so it wins elections among equally up-to-date replicas and a leader
     * hands leadership back to it once it has caught up. That keeps leaders where placement spread them.
     */
    public void ensureGroup(int index, List<NodeAddress> replicas) throws IOException {
        ensure(layout.raftGroupId(index), "Raft group " + index, replicas);
    }

    /**
     * Adds the data groups of {@code replicasByGroup} (index to replicas in placement order, as for
     * {@link #ensureGroup}) this node does not host yet, and calls {@code hosted} with each group of the map this
     * node hosts, in the map's order. Every add is requested at once: Ratis creates the replicas one after another
     * on its own thread, and the caller's per-group work in {@code hosted} overlaps with the next one. A group that
     * cannot be added does not keep the others from being added and served.
     *
     * @throws IOException after the others were added, naming each group that could not be
     */
    public void ensureGroups(Map<Integer, List<NodeAddress>> replicasByGroup, IntConsumer hosted) throws IOException {
        Map<Integer, CompletableFuture<RaftClientReply>> adds = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<NodeAddress>> e : replicasByGroup.entrySet()) {
            RaftGroupId id = layout.raftGroupId(e.getKey());
            adds.put(e.getKey(), hosts(id) ? null : server.groupManagementAsync(GroupManagementRequest.newAdd(
                    clientId, selfId, callIds.incrementAndGet(), RaftGroup.valueOf(id, peers(e.getValue())))));
        }
        List<String> failures = new ArrayList<>();
        for (Map.Entry<Integer, CompletableFuture<RaftClientReply>> e : adds.entrySet()) {
            int g = e.getKey();
            String failure = e.getValue() == null ? null : addFailure(e.getValue());
            if (failure != null && !hosts(layout.raftGroupId(g))) {
                failures.add("Raft group " + g + ": " + failure);
                continue;
            }
            LOG.debug("Hosting Raft group {} with replicas {}", g, replicasByGroup.get(g));
            hosted.accept(g);
        }
        if (!failures.isEmpty()) {
            throw new IOException("cannot add " + failures.size() + " of " + replicasByGroup.size()
                    + " Raft groups (" + String.join("; ", failures) + "); check the disk under the Raft directory"
                    + " and the node's log");
        }
    }

    /** Why a group add failed, or null if it succeeded. */
    private static String addFailure(CompletableFuture<RaftClientReply> add) throws IOException {
        try {
            RaftClientReply reply = add.get();
            return reply.isSuccess() ? null : String.valueOf(reply.getException());
        } catch (ExecutionException e) {
            return String.valueOf(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while adding Raft groups");
        }
    }

    /** Adds the metadata group with the given members to this node, unless it is already hosted. */
    public void ensureMetaGroup(List<NodeAddress> members) throws IOException {
        ensure(layout.metaGroupId(), "metadata group", members);
    }

    private void ensure(RaftGroupId id, String name, List<NodeAddress> replicas) throws IOException {
        for (RaftGroupId hosted : server.getGroupIds()) {
            if (hosted.equals(id)) {
                return;
            }
        }
        RaftClientReply reply = server.groupManagement(GroupManagementRequest.newAdd(
                clientId, selfId, callIds.incrementAndGet(), RaftGroup.valueOf(id, peers(replicas))));
        if (!reply.isSuccess()) {
            throw new IOException("cannot add " + name + ": " + reply.getException());
        }
        LOG.debug("Added {} ({}) with replicas {}", name, id, replicas);
    }

    private List<RaftPeer> peers(List<NodeAddress> replicasByPriority) {
        List<RaftPeer> peers = new ArrayList<>();
        for (int i = 0; i < replicasByPriority.size(); i++) {
            peers.add(peer(replicasByPriority.get(i), replicasByPriority.size() - i));
        }
        return peers;
    }

    /**
     * A Ratis peer named by node id, not by address ({@link PeerAddresses}): the name is what Ratis stores in the
     * group's configuration, so a node that comes back at a new address is still the same peer. Ratis clients
     * (proposals to the metadata group) dial the same name; Partita's own client addresses travel in the plan.
     */
    private RaftPeer peer(NodeAddress n, int priority) {
        return RaftPeer.newBuilder().setId(n.nodeId())
                .setAddress(PeerAddresses.target(layout.clusterId(), n.nodeId()))
                .setPriority(priority)
                .build();
    }


    /**
     * Proposes a plan to the metadata group through a Ratis client, which finds the group's leader wherever it is,
     * and returns the plan in force once the proposal is committed and applied.
     */
    public byte[] proposeToMeta(List<NodeAddress> members, byte[] plan) throws IOException {
        try (RaftClient client = client(layout.metaGroupId(), members)) {
            RaftClientReply reply = client.io().send(Message.valueOf(UnsafeByteOperations.unsafeWrap(plan)));
            if (!reply.isSuccess()) {
                throw new IOException("the metadata group refused the plan: " + reply.getException());
            }
            return reply.getMessage().getContent().toByteArray();
        }
    }

    /**
     * Reads the plan in force from the metadata group (a linearizable read); nothing is logged. {@code members} may
     * name nodes this node has no address for yet (a plan not adopted yet): they are dialed at the address given.
     */
    public byte[] readMetaPlan(List<NodeAddress> members) throws IOException {
        return readMetaPlan(members, Duration.ofSeconds(30));
    }

    /** As {@link #readMetaPlan(List)}, giving up after about {@code patience} without an answer. */
    public byte[] readMetaPlan(List<NodeAddress> members, Duration patience) throws IOException {
        PeerAddresses.learnUnknown(layout.clusterId(), members);
        try (RaftClient client = client(layout.metaGroupId(), members, patience)) {
            RaftClientReply reply = client.io().sendReadOnly(Message.EMPTY);
            if (!reply.isSuccess()) {
                throw new IOException("the metadata group cannot answer: " + reply.getException());
            }
            return reply.getMessage().getContent().toByteArray();
        }
    }

    /** Whether this node's replica of the metadata group is its leader. */
    public boolean leadsMeta() {
        try {
            return server.getDivision(layout.metaGroupId()).getInfo().isLeaderReady();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The directory Ratis keeps a group's log, vote and state-machine files in, under the node's Raft directory:
     * whether it exists tells, before Ratis starts, whether this node holds Raft state for the group.
     */
    public static Path groupDirectory(Path raftDir, RaftGroupId id) {
        return raftDir.resolve(id.getUuid().toString());
    }

    /*
     * Re-admission of a replica that lost its state (see ReplicaRecovery in the server module for the order). A
     * node that lost a group's log has forgotten what it acknowledged and whom it voted for; if it voted again, it
     * could help elect a leader that lacks an acknowledged write. So it never hosts the group as a voter on its
     * own say-so: the group first drops it from its configuration (committed by the remaining replicas, so every
     * acknowledged write is on a majority of them), then it hosts the group with no configuration at all (it
     * neither votes nor campaigns), and the leader adds it back: Ratis stages a new member until it has caught up
     * before the configuration that lists it is committed, and only then does it count in any majority.
     */

    /**
     * Has the group's other replicas commit a configuration without this node (a no-op if it already excludes it).
     *
     * @throws IOException if the group has no leader to take the change within about {@code patience}, or refused it
     */
    public void removeSelfFromGroup(RaftGroupId id, List<NodeAddress> replicas, Duration patience) throws IOException {
        List<RaftPeer> others = peers(replicas).stream().filter(p -> !p.getId().equals(selfId)).toList();
        if (others.isEmpty()) {
            throw new IOException("group " + id + " has no replica but this node; it cannot be rebuilt from peers");
        }
        setConfiguration(id, replicas, others, patience);
    }

    /** Hosts the group with an empty configuration: the replica neither votes nor campaigns until added back. */
    public void hostWithoutVote(RaftGroupId id) throws IOException {
        if (hosts(id)) {
            return;
        }
        RaftClientReply reply = server.groupManagement(GroupManagementRequest.newAdd(
                clientId, selfId, callIds.incrementAndGet(), RaftGroup.valueOf(id)));
        if (!reply.isSuccess()) {
            throw new IOException("cannot host group " + id + " without a vote: " + reply.getException());
        }
    }

    /**
     * Asks the group's leader to add this node back with {@code replicas} (priority order). Ratis's leader stages
     * the node until it has caught up before it commits the configuration, so this may take as long as a snapshot
     * transfer; a call that gives up (no leader, staging timed out) is simply made again.
     */
    public void addSelfBackToGroup(RaftGroupId id, List<NodeAddress> replicas, Duration patience) throws IOException {
        setConfiguration(id, replicas, peers(replicas), patience);
    }

    /*
     * Moves of a replica between nodes (the rebalancer in the server module drives them and records each in the
     * plan). Both steps are asked of the group's members through a Ratis client and are safe to repeat: adding a
     * member that is already there, or setting the configuration in force, changes nothing.
     */

    /**
     * Has the group add {@code joining} as a voter at {@code priorityOf}'s priority (the replica it replaces), keeping
     * every current member. Ratis's leader stages the new member until it has caught up (by log, or by a snapshot
     * transfer when the log no longer reaches back far enough) before the configuration that counts it commits, so
     * this returns once the new replica holds the group; it may take as long as that transfer.
     *
     * @param members the group's current members in priority order (the Ratis client finds the leader among them)
     * @throws IOException if no leader took the change within about {@code patience}, or it was refused
     */
    public void addMember(RaftGroupId id, List<NodeAddress> members, NodeAddress joining, int priority,
                          Duration patience) throws IOException {
        RaftPeer peer = peer(joining, priority);
        reconfigure(id, members, SetConfigurationRequest.Arguments.newBuilder()
                .setMode(SetConfigurationRequest.Mode.ADD).setServersInNewConf(List.of(peer)).build(), patience);
    }

    /**
     * Has the group commit exactly {@code replicas} (priority order) as its configuration: after
     * {@link #addMember}, this removes the replaced member; with the same members in another order, it moves the
     * preferred leader (Ratis hands leadership to the highest-priority replica once it has caught up).
     *
     * @param ask the nodes to ask (the current members; a removed member may be among them)
     */
    public void setMembers(RaftGroupId id, List<NodeAddress> ask, List<NodeAddress> replicas, Duration patience)
            throws IOException {
        reconfigure(id, ask, SetConfigurationRequest.Arguments.newBuilder()
                .setMode(SetConfigurationRequest.Mode.SET_UNCONDITIONALLY).setServersInNewConf(peers(replicas))
                .build(), patience);
    }

    /** Asks the group's leader to hand leadership to {@code toNodeId} (a caught-up member) and waits for it. */
    public void transferLeadership(RaftGroupId id, List<NodeAddress> members, String toNodeId, Duration timeout)
            throws IOException {
        try (RaftClient client = client(id, members, timeout)) {
            RaftClientReply reply = client.admin().transferLeadership(RaftPeerId.valueOf(toNodeId),
                    timeout.toMillis());
            if (!reply.isSuccess()) {
                throw new IOException("group " + id + " did not hand leadership to " + toNodeId + ": "
                        + reply.getException());
            }
        }
    }

    /**
     * Gives the group's voters the priorities of {@code order} (first = highest) if they are exactly these nodes, and
     * changes nothing else: a compare-and-set on the membership, so a configuration that a move changed meanwhile is
     * left alone (the call then fails and the caller looks again). Ratis's leader hands leadership to the
     * highest-priority replica once it has caught up, so this is how a preferred leader is set or restored.
     *
     * @throws IOException if the membership differs from {@code order}'s nodes, or no leader took the change within
     *                     about {@code patience}
     */
    public void reorderMembers(RaftGroupId id, List<NodeAddress> order, Duration patience) throws IOException {
        List<RaftPeer> peers = peers(order);
        reconfigure(id, order, SetConfigurationRequest.Arguments.newBuilder()
                .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
                .setServersInCurrentConf(peers).setServersInNewConf(peers).build(), patience);
    }

    /**
     * Hands the leadership of a group this node leads to {@code to}: it first makes {@code to} the highest-priority
     * and this node the lowest-priority voter ({@link #reorderMembers}; Ratis hands leadership only to a member of at
     * least the leader's priority, and a follower of higher priority than a candidate refuses it its vote), then
     * transfers leadership and waits until {@code to} leads.
     *
     * @param members the group's voters; {@code to} and this node among them
     * @throws IOException if the change or the transfer did not complete within {@code timeout}
     */
    public void handLeadershipTo(RaftGroupId id, List<NodeAddress> members, String to, Duration timeout)
            throws IOException {
        List<NodeAddress> order = new ArrayList<>(members);
        order.sort(java.util.Comparator.comparingInt(
                (NodeAddress n) -> n.nodeId().equals(to) ? 0 : n.nodeId().equals(selfId.toString()) ? 2 : 1));
        reorderMembers(id, order, timeout);
        transferLeadership(id, order, to, timeout);
    }

    /**
     * The voters of the group in this replica's configuration, highest priority first (empty if not hosted): the
     * order {@link #reorderMembers} gave them, which the plan's replica order should match.
     */
    public List<String> membersByPriority(RaftGroupId id) {
        try {
            return server.getDivision(id).getRaftConf().getCurrentPeers().stream()
                    .sorted(java.util.Comparator.comparingInt(RaftPeer::getPriority).reversed()
                            .thenComparing(p -> p.getId().toString()))
                    .map(p -> p.getId().toString()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Whether this node's replica of the group (data or metadata) leads it. */
    public boolean leads(RaftGroupId id) {
        try {
            RaftServer.Division d = server.getDivision(id);
            return d.getInfo().isAlive() && d.getInfo().isLeader();
        } catch (IOException e) {
            return false;
        }
    }

    /** The election timeout's lower bound this node's Ratis server runs with. */
    public Duration electionTimeoutMin() {
        return Duration.ofMillis(RaftServerConfigKeys.Rpc.timeoutMin(properties).toLong(TimeUnit.MILLISECONDS));
    }

    /**
     * The followers this node, leading the group, heard from within {@link #electionTimeoutMin} (the time after
     * which a follower would consider a silent leader gone), the most recently heard first: the members leadership
     * can be handed to. Empty if this node does not lead the group.
     */
    public List<String> respondingFollowers(RaftGroupId id) {
        long within = electionTimeoutMin().toMillis();
        try {
            RaftServer.Division d = server.getDivision(id);
            if (!d.getInfo().isLeader()) {
                return List.of();
            }
            return d.getInfo().getRoleInfoProto().getLeaderInfo().getFollowerInfoList().stream()
                    .filter(f -> f.getLastRpcElapsedTimeMs() <= within)
                    .sorted(java.util.Comparator.comparingLong(f -> f.getLastRpcElapsedTimeMs()))
                    .map(f -> f.getId().getId().toStringUtf8()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Every group (data and metadata) this node hosts a replica of. */
    public List<RaftGroupId> hostedGroups() {
        try {
            List<RaftGroupId> ids = new ArrayList<>();
            server.getGroupIds().forEach(ids::add);
            return ids;
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private void reconfigure(RaftGroupId id, List<NodeAddress> ask, SetConfigurationRequest.Arguments change,
                             Duration patience) throws IOException {
        try (RaftClient client = client(id, ask, patience)) {
            RaftClientReply reply = client.admin().setConfiguration(change);
            if (!reply.isSuccess()) {
                throw new IOException("group " + id + " refused the configuration change " + change + ": "
                        + reply.getException());
            }
        }
    }

    /**
     * Stops hosting a group this node no longer replicates and deletes its Raft directory (log, vote, snapshots).
     * The caller empties the group's data. A no-op when the group is not hosted.
     */
    public void dropGroup(RaftGroupId id) throws IOException {
        if (!hosts(id)) {
            return;
        }
        RaftClientReply reply = server.groupManagement(GroupManagementRequest.newRemove(
                clientId, selfId, callIds.incrementAndGet(), id, true, false));
        if (!reply.isSuccess() && hosts(id)) {
            throw new IOException("cannot stop hosting group " + id + ": " + reply.getException());
        }
    }

    /** The nodes of the group's configuration as this node's replica sees it (empty if not hosted). */
    public List<String> configuredMembers(RaftGroupId id) {
        try {
            return server.getDivision(id).getRaftConf().getCurrentPeers().stream()
                    .map(p -> p.getId().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Whether this node's replica of the group is a voter of a configuration its log holds as committed. */
    public boolean votesIn(RaftGroupId id) {
        try {
            RaftServer.Division d = server.getDivision(id);
            return d.getRaftConf().getPeer(selfId, RaftPeerRole.FOLLOWER) != null
                    && d.getRaftConf().getLogEntryIndex() <= d.getRaftLog().getLastCommittedIndex();
        } catch (IOException e) {
            return false;
        }
    }

    private void setConfiguration(RaftGroupId id, List<NodeAddress> members, List<RaftPeer> conf, Duration patience)
            throws IOException {
        // Asked of the other replicas only: this node does not host the group yet, and Ratis's client gives up at a
        // replica that answers "group not found" instead of trying the next one.
        List<NodeAddress> others = members.stream().filter(m -> !m.nodeId().equals(selfId.toString())).toList();
        reconfigure(id, others, SetConfigurationRequest.Arguments.newBuilder()
                .setMode(SetConfigurationRequest.Mode.SET_UNCONDITIONALLY).setServersInNewConf(conf).build(), patience);
    }

    /** A Ratis client of one group, which finds the group's leader wherever it is. */
    private RaftClient client(RaftGroupId id, List<NodeAddress> members) {
        // The group may still be electing a leader; give up after about 30 s.
        return client(id, members, Duration.ofSeconds(30));
    }

    private RaftClient client(RaftGroupId id, List<NodeAddress> members, Duration patience) {
        return RaftClient.newBuilder()
                .setProperties(properties)
                .setParameters(parameters)
                .setRaftGroup(RaftGroup.valueOf(id, peers(members)))
                .setClientId(ClientId.randomId())
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                        (int) Math.max(1, patience.toMillis() / 500), millis(500)))
                .build();
    }

    /** Whether this node hosts a replica of the Ratis group. */
    public boolean hosts(RaftGroupId id) {
        try {
            server.getDivision(id);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The division of any hosted group, data or metadata. */
    public RaftServer.Division division(RaftGroupId id) throws IOException {
        return server.getDivision(id);
    }

    /** Submits a write (a log entry) or a linearizable read (a state-machine query) to the local division. */
    public CompletableFuture<RaftClientReply> submit(int groupIndex, byte[] payload, boolean read) {
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(clientId)
                .setServerId(selfId)
                .setGroupId(layout.raftGroupId(groupIndex))
                .setCallId(callIds.incrementAndGet())
                .setMessage(Message.valueOf(UnsafeByteOperations.unsafeWrap(payload)))
                .setType(read ? RaftClientRequest.readRequestType() : RaftClientRequest.writeRequestType())
                .build();
        try {
            // Straight to the division: RaftServer.submitClientRequestAsync would run it on Ratis's client executor
            // and park this thread until that thread had queued it, a hand-off that buys nothing here. The division
            // is the public Division API; that it also takes client requests is Ratis's RaftServerImpl, hence the
            // checked cast (one place).
            if (server.getDivision(request.getRaftGroupId()) instanceof RaftClientAsynchronousProtocol division) {
                return division.submitClientRequestAsync(request);
            }
            return server.submitClientRequestAsync(request);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    public RaftServer.Division division(int groupIndex) throws IOException {
        return server.getDivision(layout.raftGroupId(groupIndex));
    }

    /** Whether this node's replica of the group is the leader and ready to serve. */
    public boolean isLeader(int groupIndex) {
        try {
            RaftServer.Division d = division(groupIndex);
            // A closed replica may still remember being leader: it serves nothing.
            return d.getInfo().isAlive() && d.getInfo().isLeader() && d.getInfo().isLeaderReady();
        } catch (IOException e) {
            return false;
        }
    }

    /** The node id this node believes leads the group, if any. */
    public Optional<String> leaderOf(int groupIndex) {
        try {
            RaftPeerId leader = division(groupIndex).getInfo().getLeaderId();
            return leader == null ? Optional.empty() : Optional.of(leader.toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether this node's replica of the group is still catching up: installing a snapshot from the leader, not yet
     * in contact with its leader since it started, or more than {@value #CATCH_UP_LAG} entries behind the leader's
     * commit index in applying them. The leader's commit index is the one it sent with its latest append that this
     * replica accepted, not the replica's own commit index: a follower missing the log tail cannot commit past its
     * own last entry, so its own commit index would hide how far behind it is.
     */
    public boolean catchingUp(int groupIndex) {
        try {
            RaftServer.Division d = division(groupIndex);
            PartitaStateMachine sm = (PartitaStateMachine) d.getStateMachine();
            if (sm.installingSnapshot()) {
                return true;
            }
            OptionalLong leaderCommit = leaderCommitIndex(d); // a leader's own commit index
            return leaderCommit.isEmpty() || leaderCommit.getAsLong() - d.getInfo().getLastAppliedIndex() > CATCH_UP_LAG;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The group leader's commit index as this replica last learned it (every append the leader sends carries it);
     * empty while the replica has no leader or has accepted no append from it since it started.
     */
    public static OptionalLong leaderCommitIndex(RaftServer.Division d) {
        if (d.getInfo().isLeader()) {
            return OptionalLong.of(d.getRaftLog().getLastCommittedIndex());
        }
        RaftPeerId leader = d.getInfo().getLeaderId();
        if (leader == null) {
            return OptionalLong.empty();
        }
        ByteString id = leader.toByteString();
        for (CommitInfoProto info : d.getCommitInfos()) {
            if (info.getServer().getId().equals(id)) {
                return OptionalLong.of(info.getCommitIndex());
            }
        }
        return OptionalLong.empty();
    }

    /** The health of this node's replica of data group {@code groupIndex}; MISSING if it holds none. */
    public ReplicaHealth replicaHealth(int groupIndex) {
        return replicaHealth(layout.raftGroupId(groupIndex));
    }

    /** The health of this node's replica of the metadata group; MISSING if it holds none. */
    public ReplicaHealth metaReplicaHealth() {
        return replicaHealth(layout.metaGroupId());
    }

    /**
     * STOPPED when Ratis closed the replica or its state machine recorded an apply failure (Ratis closes a replica
     * whose apply threw, but the process and the node's other groups keep running); STUCK per
     * {@link ApplyStallDetector}; MISSING when the node holds no replica; else RUNNING.
     */
    private ReplicaHealth replicaHealth(RaftGroupId id) {
        RaftServer.Division d;
        try {
            d = server.getDivision(id);
        } catch (IOException e) {
            stalls.forget(id);
            return new ReplicaHealth(ReplicaHealth.State.MISSING, "this node holds no replica of it (its Raft"
                    + " division is gone: " + e.getMessage() + ")");
        }
        StateMachine sm = d.getStateMachine();
        if (sm instanceof PartitaStateMachine p && p.failure().isPresent()) {
            stalls.forget(id);
            return new ReplicaHealth(ReplicaHealth.State.STOPPED, p.failure().get());
        }
        LifeCycle.State division = d.getInfo().getLifeCycleState();
        LifeCycle.State machine = sm.getLifeCycleState();
        for (LifeCycle.State s : new LifeCycle.State[] {division, machine}) {
            if (s.isClosingOrClosed() || s == LifeCycle.State.EXCEPTION) {
                stalls.forget(id);
                return new ReplicaHealth(ReplicaHealth.State.STOPPED, "Ratis closed the replica ("
                        + (s == division ? "replica " : "state machine ") + s + ")");
            }
        }
        boolean snapshotting = sm instanceof PartitaStateMachine p && (p.installingSnapshot() || p.takingSnapshot());
        if (snapshotting || !division.isRunning() || !machine.isRunning()) {
            // Starting, or busy with a snapshot (a large export holds the apply thread a while): not applying on
            // purpose. The stall clock starts again afterwards.
            stalls.forget(id);
            return ReplicaHealth.OK;
        }
        long applied = d.getInfo().getLastAppliedIndex();
        long commit = d.getRaftLog().getLastCommittedIndex();
        long stillNanos = stalls.observe(id, applied, commit);
        if (stillNanos >= 0) {
            return new ReplicaHealth(ReplicaHealth.State.STUCK, "applied index " + applied + " has not advanced for "
                    + TimeUnit.NANOSECONDS.toSeconds(stillNanos) + " s while the commit index is " + commit);
        }
        return ReplicaHealth.OK;
    }

    /** The state machine of a hosted data group, or empty if this node has no replica of it. */
    public Optional<PartitaStateMachine> stateMachine(int groupIndex) {
        try {
            return Optional.of((PartitaStateMachine) division(groupIndex).getStateMachine());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The group's clock on this node ({@link GroupClock}): the time to stamp writes, compute expiry and judge it
     * with, never earlier than the group's applied log time.
     */
    public GroupClock groupClock(int groupIndex) {
        return groupClocks[groupIndex];
    }

    public String nodeId() {
        return selfId.toString();
    }

    public GroupLayout layout() {
        return layout;
    }

    @Override
    public void close() throws IOException {
        server.close();
        LOG.info("Ratis server {} stopped", selfId);
    }
}
