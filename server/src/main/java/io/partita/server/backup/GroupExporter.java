package io.partita.server.backup;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.partita.engine.storage.AppliedPosition;
import io.partita.server.limits.WireNumbers;
import io.partita.engine.storage.GroupScan;
import io.partita.engine.storage.GroupStore;
import io.partita.protocol.ExportRefusal;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.ExportGroupChunk;
import io.partita.protocol.v1.ExportGroupRequest;
import io.partita.raft.group.RaftHost;
import io.partita.raft.statemachine.PartitaStateMachine;
import io.partita.server.cluster.ClusterRuntime;
import io.partita.server.cluster.Membership;
import java.io.IOException;
import java.util.List;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves ExportGroup: checks that this node hosts the group, opens a snapshot scan of the group's column family
 * (records and applied position from one RocksDB snapshot) and streams it with {@link ExportStream}. Leaders and
 * followers serve alike; a follower's export is consistent at its own applied index, which may trail the leader's.
 *
 * <p>A replica that may not hold the whole group refuses with an {@link ExportRefusal} (UNAVAILABLE): one that is
 * installing a snapshot, catching up, empty, or cleared by an install that has not completed. The checks run again
 * once the scan is open, on the scan's own snapshot, since an install may clear the family in between: an empty or
 * partial group must never stream as a success (a backup would record it, and an incremental would record every
 * earlier record as deleted).
 */
public final class GroupExporter {
    private static final Logger LOG = LoggerFactory.getLogger(GroupExporter.class);

    private final Membership membership;

    public GroupExporter(Membership membership) {
        this.membership = membership;
    }

    /** Handles one ExportGroup call; failures are gRPC statuses whose descriptions say what to do. */
    public void export(ExportGroupRequest request, StreamObserver<ExportGroupChunk> out) {
        ServerCallStreamObserver<ExportGroupChunk> call = (ServerCallStreamObserver<ExportGroupChunk>) out;
        String nodeId = membership.config().nodeId();
        ClusterRuntime runtime = membership.runtime();
        ClusterPlan plan = membership.plans().current().orElse(null);
        if (runtime == null || plan == null) {
            call.onError(Status.FAILED_PRECONDITION.withDescription("node " + nodeId + " has not joined a cluster"
                    + " yet; run `partita cluster init --hosts ...` or export from a node that has").asRuntimeException());
            return;
        }
        int group = request.getGroup();
        int groups = runtime.layout().groupCount();
        if (!WireNumbers.isIndex(group, groups)) {
            call.onError(Status.INVALID_ARGUMENT.withDescription("group " + WireNumbers.unsigned(group)
                    + " does not exist; this cluster"
                    + " has groups 0.." + (groups - 1)).asRuntimeException());
            return;
        }
        if (runtime.writer(group) == null) {
            List<String> replicas = plan.getGroups(group).getReplicaNodeIdsList();
            call.onError(Status.FAILED_PRECONDITION.withDescription("node " + nodeId + " does not host group " + group
                    + "; export it from one of its replicas " + replicas + " (GetClusterMap gives their addresses)")
                    .asRuntimeException());
            return;
        }
        RaftHost host = runtime.host();
        PartitaStateMachine sm = host.stateMachine(group).orElse(null);
        GroupStore store = runtime.store().group(group);
        long installsBefore = sm == null ? -1 : sm.installsStarted();
        Check before = checkBefore(host, sm, store, group);
        if (before.refusal() != null) {
            refuse(call, nodeId, group, before.refusal());
            return;
        }
        GroupScan scan = store.openSnapshotScan(runtime.groupClock(group).nowMs(), request.getNamespace(),
                request.getSet());
        Refusal refused = checkAfter(sm, scan, before.applied(), installsBefore);
        if (refused != null) {
            scan.close();
            refuse(call, nodeId, group, refused);
            return;
        }
        ExportGroupChunk header = ExportGroupChunk.newBuilder()
                .setGroup(group)
                .setTerm(Math.max(0, scan.position().term()))
                .setAppliedIndex(Math.max(0, scan.position().index()))
                .setEstimatedRecords(Math.max(0, scan.estimatedRecords()))
                .setClusterId(plan.getClusterId())
                .setNodeId(nodeId)
                .build();
        LOG.info("Exporting group {} at term {} index {} (namespace '{}', set '{}')", group, header.getTerm(),
                header.getAppliedIndex(), request.getNamespace(), request.getSet());
        ExportStream.start(call, scan, header);
    }

    /** How long an export waits for its replica to apply what the leader had committed when the export began. */
    static final java.time.Duration APPLY_WAIT = java.time.Duration.ofSeconds(5);

    /** A refusal reason and the operator-facing detail. */
    record Refusal(ExportRefusal reason, String detail) {
    }

    /** The outcome of the checks before the scan: a refusal, or the applied index the scan must not fall below. */
    record Check(Refusal refusal, long applied) {
        static Check refused(ExportRefusal reason, String detail) {
            return new Check(new Refusal(reason, detail), -1);
        }
    }

    /**
     * Whether this replica may serve an export at all: no install running, in contact with a leader and not far
     * behind it, and a store that holds a real applied position, not below Ratis's applied index nor the latest
     * local snapshot, and not marked as being replaced. Ratis's index is read before the store's: the store moves
     * first, so a sound store is never found behind it.
     */
    static Check checkBefore(RaftHost host, PartitaStateMachine sm, GroupStore store, int group) {
        if (sm == null) {
            return Check.refused(ExportRefusal.CATCHING_UP, "its replica of the group is not running");
        }
        if (sm.installingSnapshot()) {
            return Check.refused(ExportRefusal.INSTALLING_SNAPSHOT, "its replica is installing a snapshot from the "
                    + "leader");
        }
        if (host.catchingUp(group)) {
            return Check.refused(ExportRefusal.CATCHING_UP, "its replica is catching up (no contact with a leader "
                    + "yet, or more than " + RaftHost.CATCH_UP_LAG + " entries behind the leader's commit)");
        }
        long raftApplied;
        try {
            RaftServer.Division division = host.division(group);
            // Every write the group had committed when the export began, as far as this replica knows, must be in it:
            // a replica a few entries behind is not "catching up" by the lag bound above, yet since a log entry may
            // carry many writes it can miss many. Wait (briefly) for it to apply up to that commit index.
            long target = RaftHost.leaderCommitIndex(division).orElse(Long.MAX_VALUE);
            long deadline = System.nanoTime() + APPLY_WAIT.toNanos();
            while ((raftApplied = division.getInfo().getLastAppliedIndex()) < target
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            if (raftApplied < target) {
                return Check.refused(ExportRefusal.CATCHING_UP, "its replica has applied up to index " + raftApplied
                        + (target == Long.MAX_VALUE ? " and has no contact with a leader"
                        : " of the " + target + " the leader had committed when the export began"));
            }
        } catch (IOException e) {
            return Check.refused(ExportRefusal.CATCHING_UP, "its replica of the group is not running: "
                    + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Check.refused(ExportRefusal.CATCHING_UP, "interrupted while waiting for the replica to apply");
        }
        if (store.replacing()) {
            return Check.refused(ExportRefusal.BEING_REPLACED, "its copy of the group was cleared by a snapshot "
                    + "install that has not completed (it holds part of the group at most)");
        }
        AppliedPosition applied = store.appliedPosition();
        if (applied.index() < 0) {
            return Check.refused(ExportRefusal.NO_APPLIED_POSITION, "its copy of the group holds no applied Raft "
                    + "position (empty: a wiped or cleared replica)");
        }
        SnapshotInfo snapshot = sm.getLatestSnapshot();
        if (applied.index() < raftApplied || (snapshot != null && applied.index() < snapshot.getIndex())) {
            return Check.refused(ExportRefusal.BEHIND_APPLIED, "its copy of the group is at index " + applied.index()
                    + ", behind what the replica already applied (" + raftApplied + ") or its latest snapshot ("
                    + (snapshot == null ? "none" : snapshot.getIndex()) + ")");
        }
        return new Check(null, applied.index());
    }

    /**
     * Re-checks with the scan open: its own snapshot must hold a real position, not below what the store had applied
     * when the call started, and no replacement mark; and no install may have begun meanwhile.
     */
    static Refusal checkAfter(PartitaStateMachine sm, GroupScan scan, long appliedBefore, long installsBefore) {
        if (scan.replacing()) {
            return new Refusal(ExportRefusal.BEING_REPLACED, "a snapshot install cleared its copy of the group while "
                    + "the export opened");
        }
        if (scan.position().index() < 0) {
            return new Refusal(ExportRefusal.NO_APPLIED_POSITION, "its copy of the group held no applied Raft position "
                    + "when the export opened");
        }
        if (scan.position().index() < appliedBefore) {
            return new Refusal(ExportRefusal.BEHIND_APPLIED, "its copy of the group went back from index "
                    + appliedBefore + " to " + scan.position().index() + " while the export opened");
        }
        if (sm.installingSnapshot() || sm.installsStarted() != installsBefore) {
            return new Refusal(ExportRefusal.INSTALLING_SNAPSHOT, "its replica began installing a snapshot while the "
                    + "export opened");
        }
        return null;
    }

    private static void refuse(ServerCallStreamObserver<ExportGroupChunk> call, String nodeId, int group,
                               Refusal refusal) {
        LOG.warn("Refused to export group {}: {} ({})", group, refusal.detail(), refusal.reason());
        call.onError(refusal.reason().toException("node " + nodeId + " cannot export group " + group + " now: "
                + refusal.detail() + " (" + refusal.reason() + "); export it from another replica, or retry once "
                + "this one has caught up"));
    }
}
