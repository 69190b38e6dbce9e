package io.partita.server.cluster;

import io.grpc.stub.StreamObserver;
import io.partita.protocol.ResultCode;
import io.partita.server.limits.WireNumbers;
import io.partita.server.security.MemberGate;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.DescribeNodeRequest;
import io.partita.protocol.v1.ExportGroupChunk;
import io.partita.protocol.v1.ExportGroupRequest;
import io.partita.protocol.v1.FollowerProgress;
import io.partita.protocol.v1.GroupStatus;
import io.partita.protocol.v1.InitClusterRequest;
import io.partita.protocol.v1.InitClusterResponse;
import io.partita.protocol.v1.AddNodeRequest;
import io.partita.protocol.v1.AddNodeResponse;
import io.partita.protocol.v1.DecommissionNodeRequest;
import io.partita.protocol.v1.DecommissionNodeResponse;
import io.partita.protocol.v1.HandOffLeadershipRequest;
import io.partita.protocol.v1.HandOffLeadershipResponse;
import io.partita.protocol.v1.JoinClusterRequest;
import io.partita.protocol.v1.LeadershipOutcome;
import io.partita.protocol.v1.JoinClusterResponse;
import io.partita.protocol.v1.NodeDescription;
import io.partita.protocol.v1.NodeStatusRequest;
import io.partita.protocol.v1.NodeStatusResponse;
import io.partita.protocol.v1.RebalanceProgress;
import io.partita.protocol.v1.ReplicaState;
import io.partita.protocol.v1.SnapshotTransferStatus;
import io.partita.raft.group.RaftHost;
import io.partita.raft.group.ReplicaHealth;
import io.partita.server.backup.GroupExporter;
import io.partita.server.snapshot.SnapshotTransfers;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Admin gRPC service: node description, cluster creation and joining, per-group Raft status with the snapshot
 * transfers and (on the rebalancing driver) the rebalance's progress, and group exports for backups.
 */
public final class AdminService extends AdminGrpc.AdminImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(AdminService.class);

    private final Membership membership;
    private final Supplier<String> adminAddress;
    private final ClusterInitializer initializer;
    private final java.util.concurrent.Executor joins;
    private final GroupExporter exporter;
    private final NodeChanges nodeChanges;
    private final Supplier<Optional<Rebalancer.Progress>> rebalance;
    private final SnapshotTransfers transfers;
    private final Leadership leadership;
    /** Who may push a plan (a node of the cluster, with TLS on). */
    private final MemberGate members;
    /** What a hand-off may take when the caller sets no budget. */
    public static final Duration DEFAULT_HAND_OFF = Duration.ofSeconds(30);
    private final long startedMs = System.currentTimeMillis();
    /** The role of a replica Ratis has not started yet. */
    private static final String STARTING = "STARTING";

    /**
     * @param rebalance the rebalance this node drives, for the node status
     * @param transfers this node's snapshot transfers, for the node status
     * @param leadership hands this node's leaderships off on request
     */
    public AdminService(Membership membership, ClusterInitializer initializer, java.util.concurrent.Executor joins,
                        GroupExporter exporter, Supplier<String> adminAddress, NodeChanges nodeChanges,
                        Supplier<Optional<Rebalancer.Progress>> rebalance, SnapshotTransfers transfers,
                        Leadership leadership, MemberGate members) {
        this.members = members;
        this.leadership = leadership;
        this.nodeChanges = nodeChanges;
        this.rebalance = rebalance;
        this.transfers = transfers;
        this.adminAddress = adminAddress;
        this.membership = membership;
        this.initializer = initializer;
        this.joins = joins;
        this.exporter = exporter;
    }

    @Override
    public void exportGroup(ExportGroupRequest request, StreamObserver<ExportGroupChunk> out) {
        exporter.export(request, out);
    }

    @Override
    public void describeNode(DescribeNodeRequest request, StreamObserver<NodeDescription> out) {
        // The admin address lets `partita stats` find every node's /metrics from the plan's client addresses.
        NodeDescription.Builder d = membership.describe().toBuilder().setAdminAddress(adminAddress.get());
        if (d.hasPlan() && !members.callerIsNode()) {
            d.setPlan(PlanView.withoutUsers(d.getPlan())); // users and the token key are for the nodes only
        }
        out.onNext(d.build());
        out.onCompleted();
    }

    @Override
    public void initCluster(InitClusterRequest request, StreamObserver<InitClusterResponse> out) {
        InitClusterResponse r = initializer.init(request.getHostsList());
        out.onNext(r.hasPlan() ? r.toBuilder().setPlan(PlanView.withoutUsers(r.getPlan())).build() : r);
        out.onCompleted();
    }

    @Override
    public void joinCluster(JoinClusterRequest request, StreamObserver<JoinClusterResponse> out) {
        JoinClusterResponse.Builder r = JoinClusterResponse.newBuilder();
        String refusal = members.planPushRefusal(request.getPlan(), membership.plans().current());
        if (refusal != null) {
            LOG.warn("Refused a cluster plan (version {} of cluster {}): {}", request.getPlan().getVersion(),
                    request.getPlan().getClusterId(), refusal);
            out.onNext(r.setStatus(ClusterInitializer.status(ResultCode.ROLE_VIOLATION, refusal)).build());
            out.onCompleted();
            return;
        }
        try {
            membership.joinAsync(request.getPlan(), joins);
            r.setStatus(ClusterInitializer.status(ResultCode.OK, ""));
        } catch (IllegalArgumentException | IllegalStateException | PlanNotInForceException e) {
            r.setStatus(ClusterInitializer.status(ResultCode.PARAMETER_ERROR, e.getMessage()));
        } catch (IOException e) {
            // The metadata group could not be asked now; the plan reaches this node by the next push or seed poll.
            r.setStatus(ClusterInitializer.status(ResultCode.TIMEOUT, "node " + membership.config().nodeId()
                    + " did not adopt plan version " + request.getPlan().getVersion() + ": " + e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("Cannot join cluster {}", request.getPlan().getClusterId(), e);
            r.setStatus(ClusterInitializer.status(ResultCode.SERVER_ERROR, "node "
                    + membership.config().nodeId() + " could not start its groups: " + e + " (see its log)"));
        }
        out.onNext(r.build());
        out.onCompleted();
    }

    @Override
    public void addNode(AddNodeRequest request, StreamObserver<AddNodeResponse> out) {
        // Blocks on the metadata group and a describe call: gRPC's pool, not the transport thread.
        AddNodeResponse r = nodeChanges.add(request.getAddress());
        out.onNext(r.hasPlan() ? r.toBuilder().setPlan(PlanView.withoutUsers(r.getPlan())).build() : r);
        out.onCompleted();
    }

    @Override
    public void decommissionNode(DecommissionNodeRequest request, StreamObserver<DecommissionNodeResponse> out) {
        DecommissionNodeResponse r = nodeChanges.decommission(request.getNodeId());
        out.onNext(r.hasPlan() ? r.toBuilder().setPlan(PlanView.withoutUsers(r.getPlan())).build() : r);
        out.onCompleted();
    }

    @Override
    public void handOffLeadership(HandOffLeadershipRequest request, StreamObserver<HandOffLeadershipResponse> out) {
        String outOfRange = WireNumbers.handOffBudgetProblem(request.getBudgetMs());
        if (outOfRange != null) {
            out.onError(io.grpc.Status.INVALID_ARGUMENT.withDescription(outOfRange).asRuntimeException());
            return;
        }
        Duration budget = Duration.ofMillis(request.getBudgetMs() == 0 ? DEFAULT_HAND_OFF.toMillis()
                : request.getBudgetMs());
        HandOffLeadershipResponse.Builder r = HandOffLeadershipResponse.newBuilder();
        for (Leadership.Outcome o : leadership.handOff(budget)) {
            r.addGroups(LeadershipOutcome.newBuilder().setGroup(o.group())
                    .setToNodeId(o.handed() ? o.to() : "").setReason(o.handed() ? "" : o.reason()));
        }
        out.onNext(r.build());
        out.onCompleted();
    }

    @Override
    public void nodeStatus(NodeStatusRequest request, StreamObserver<NodeStatusResponse> out) {
        NodeStatusResponse.Builder r = NodeStatusResponse.newBuilder()
                .setNodeId(membership.config().nodeId())
                .setUptimeMs(System.currentTimeMillis() - startedMs);
        membership.plans().current().ifPresent(p -> r.setClusterId(p.getClusterId()).setPlanVersion(p.getVersion()));
        ClusterRuntime runtime = membership.runtime();
        if (runtime != null) {
            RaftHost host = runtime.host();
            ReplicaRecovery recovery = runtime.recovery();
            Map<Integer, ReplicaHealth> planned = runtime.replicaHealth();
            for (int g = 0; g < runtime.layout().groupCount(); g++) {
                GroupStatus s = withReadmission(groupStatus(host, runtime.layout().raftGroupId(g), g,
                        planned.get(g)), g, recovery);
                if (s != null) {
                    r.addGroups(s);
                }
            }
            GroupStatus meta = withReadmission(groupStatus(host, runtime.layout().metaGroupId(), 0,
                    planned.get(ClusterRuntime.META)), ClusterRuntime.META, recovery);
            if (meta != null) {
                r.setMeta(meta);
            }
        }
        addTransfers(r);
        rebalance.get().ifPresent(p -> r.setRebalance(progress(p)));
        out.onNext(r.build());
        out.onCompleted();
    }

    /** The snapshot transfers under way and the bytes moved since start, for status's move progress. */
    private void addTransfers(NodeStatusResponse.Builder r) {
        r.setSnapshotBytesSent(transfers.bytes(SnapshotTransfers.Direction.SENT))
                .setSnapshotBytesReceived(transfers.bytes(SnapshotTransfers.Direction.RECEIVED))
                .setMoveBytesReceived(transfers.moveBytesReceived());
        for (SnapshotTransfers.Transfer t : transfers.inProgress()) {
            r.addTransfers(SnapshotTransferStatus.newBuilder()
                    .setGroup(t.group())
                    .setSending(t.direction() == SnapshotTransfers.Direction.SENT)
                    .setPeerNodeId(t.peer())
                    .setBytes(t.bytes())
                    .setTotalBytes(Math.max(0, t.totalBytes()))
                    .setElapsedMs(t.elapsedNanos() / 1_000_000)
                    .setForMove(t.forMove()));
        }
    }

    static RebalanceProgress progress(Rebalancer.Progress p) {
        return RebalanceProgress.newBuilder()
                .setActive(p.active())
                .setElapsedMs(p.elapsedNanos() / 1_000_000)
                .setMovesCompleted(p.completed())
                .setMovesTakenBack(p.takenBack())
                .setMovesInProgress((int) p.inProgress())
                .setMovesToPlan((int) p.toPlan())
                .setResumed(p.resumed())
                .setFinishedAgoMs(p.endedAgoNanos() / 1_000_000)
                .build();
    }

    /**
     * Adds the re-admission stage of a replica that lost its state; such a replica is reported even while it is not
     * hosted (its group is dropping it), so that status can say the group runs with fewer replicas.
     */
    private static GroupStatus withReadmission(GroupStatus s, int group, ReplicaRecovery recovery) {
        Optional<ReplicaRecovery.Stage> stage = recovery.stage(group);
        if (stage.isEmpty()) {
            return s;
        }
        GroupStatus.Builder b = s != null ? s.toBuilder()
                : GroupStatus.newBuilder().setGroup(Math.max(0, group)).setRole("NONE");
        return b.setReadmission(stage.get().name()).build();
    }

    /**
     * The Raft status of a group: of the hosted replica, or only the group and {@code REPLICA_MISSING} when the plan
     * places a replica here that the node does not hold; null if this node neither holds nor should hold one.
     *
     * @param health the replica's health if the plan places it on this node, else null
     */
    /** Whether a node's status shows its replica of a group hosted and started by Ratis (it has a role). */
    static boolean running(GroupStatus s) {
        return s != null && s.getReplicaState() != ReplicaState.REPLICA_MISSING && !STARTING.equals(s.getRole());
    }

    static GroupStatus groupStatus(RaftHost host, RaftGroupId id, int index, ReplicaHealth health) {
        RaftServer.Division d;
        try {
            d = host.division(id);
        } catch (IOException e) {
            return health == null ? null : GroupStatus.newBuilder().setGroup(index)
                    .setReplicaState(ReplicaState.REPLICA_MISSING).setReplicaProblem(health.detail()).build();
        }
        DivisionInfo info = d.getInfo();
        GroupStatus starting = GroupStatus.newBuilder()
                .setGroup(index)
                .setReplicaState(health == null ? ReplicaState.REPLICA_RUNNING : replicaState(health.state()))
                .setReplicaProblem(health == null ? "" : health.detail())
                .setRole(STARTING)
                .build();
        // A division just added (a move's target) has neither a role nor an open log until Ratis has started it;
        // Ratis answers null, or throws for the log: status reports it as starting instead of failing.
        GroupStatus.Builder s = starting.toBuilder();
        try {
            if (info.getCurrentRole() == null) {
                return starting;
            }
            s.setRole(info.getCurrentRole().name())
                    .setTerm(info.getCurrentTerm())
                    .setCommitIndex(d.getRaftLog().getLastCommittedIndex())
                    .setAppliedIndex(Math.max(0, info.getLastAppliedIndex()));
        } catch (IllegalStateException e) {
            return starting;
        }
        if (info.getLeaderId() != null) {
            s.setLeaderNodeId(info.getLeaderId().toString());
        }
        if (info.isLeader()) {
            for (CommitInfoProto c : d.getCommitInfos()) {
                String peer = c.getServer().getId().toStringUtf8();
                if (!peer.equals(host.nodeId())) {
                    s.addFollowers(FollowerProgress.newBuilder().setNodeId(peer).setCommitIndex(c.getCommitIndex()));
                }
            }
        }
        return s.build();
    }

    static ReplicaState replicaState(ReplicaHealth.State state) {
        return switch (state) {
            case RUNNING -> ReplicaState.REPLICA_RUNNING;
            case STUCK -> ReplicaState.REPLICA_STUCK;
            case STOPPED -> ReplicaState.REPLICA_STOPPED;
            case MISSING -> ReplicaState.REPLICA_MISSING;
        };
    }
}
