package io.partita.server.backup;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.partita.engine.storage.GroupScan;
import io.partita.engine.time.Clock;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.ExportGroupChunk;
import io.partita.protocol.v1.ExportGroupRequest;
import io.partita.server.cluster.ClusterRuntime;
import io.partita.server.cluster.Membership;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves ExportGroup: checks that this node hosts the group, opens a snapshot scan of the group's column family
 * (records and applied position from one RocksDB snapshot) and streams it with {@link ExportStream}. Leaders and
 * followers serve alike; a follower's export is consistent at its own applied index, which may trail the leader's.
 */
public final class GroupExporter {
    private static final Logger LOG = LoggerFactory.getLogger(GroupExporter.class);

    private final Membership membership;
    private final Clock clock;

    public GroupExporter(Membership membership, Clock clock) {
        this.membership = membership;
        this.clock = clock;
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
        if (group >= groups) {
            call.onError(Status.INVALID_ARGUMENT.withDescription("group " + group + " does not exist; this cluster"
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
        GroupScan scan = runtime.store().group(group).openSnapshotScan(runtime.groupClock(group).nowMs(),
                request.getNamespace(), request.getSet());
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
}
