package io.partita.server.frontend;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.partita.engine.operate.Operation;
import io.partita.engine.operate.Operator;
import io.partita.engine.record.BinCodec;
import io.partita.engine.record.RecordCodec;
import io.partita.engine.record.StoredRecord;
import io.partita.engine.storage.GroupScan;
import io.partita.engine.write.ExistsAction;
import io.partita.engine.write.RecordMutator;
import io.partita.engine.write.RestoreOutcome;
import io.partita.engine.write.WriteKind;
import io.partita.engine.write.WriteOp;
import io.partita.engine.write.WriteOutcome;
import io.partita.protocol.Limits;
import io.partita.protocol.ResultCode;
import io.partita.protocol.Values;
import io.partita.protocol.v1.Bin;
import io.partita.protocol.v1.ClusterMap;
import io.partita.protocol.v1.ClusterMapRequest;
import io.partita.protocol.v1.DeleteRequest;
import io.partita.protocol.v1.DeleteResponse;
import io.partita.protocol.v1.ExistsRequest;
import io.partita.protocol.v1.ExistsResponse;
import io.partita.protocol.v1.GetRequest;
import io.partita.protocol.v1.GetResponse;
import io.partita.protocol.v1.ImportRequest;
import io.partita.protocol.v1.ImportResponse;
import io.partita.protocol.v1.Key;
import io.partita.protocol.v1.OpFrame;
import io.partita.protocol.v1.OperateRequest;
import io.partita.protocol.v1.OperateResponse;
import io.partita.protocol.v1.ReplyFrame;
import io.partita.protocol.v1.PartitaGrpc;
import io.partita.protocol.v1.PutRequest;
import io.partita.protocol.v1.PutResponse;
import io.partita.protocol.v1.Record;
import io.partita.protocol.v1.Status;
import io.partita.protocol.v1.ScanChunk;
import io.partita.protocol.v1.ScanPartition;
import io.partita.protocol.v1.ScanRequest;
import io.partita.protocol.v1.TouchRequest;
import io.partita.protocol.v1.TruncateRequest;
import io.partita.protocol.v1.TruncateResponse;
import io.partita.protocol.v1.TouchResponse;
import io.partita.protocol.v1.WriteOptions;
import io.partita.raft.group.GroupOps;
import io.partita.raft.group.ReadOutcome;
import io.partita.raft.group.ReplicaHealth;
import io.partita.server.cluster.ClusterRuntime;
import io.partita.server.cluster.Membership;
import io.partita.server.config.NodeConfig.NamespaceConfig;
import io.partita.server.limits.WireNumbers;
import io.partita.server.metrics.OpMetrics;
import io.partita.server.metrics.OpType;
import io.partita.server.metrics.RequestTrace;
import io.partita.server.security.Access;
import io.partita.server.security.Privilege;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's client front end (gRPC). The write path starts here: validate the request, hash the key to its
 * partition and Raft group, build the write at the leader (expiry and size limit decided here, once), and hand it
 * to the group through {@link GroupOps}, as are linearizable reads. Nothing here sees Ratis or the log format.
 *
 * <p>Every outcome, refusals included, is answered in-band with a {@link Status}; nothing here lets an exception
 * reach the client as a gRPC error.
 */
public final class RecordService extends PartitaGrpc.PartitaImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(RecordService.class);

    private final Membership membership;
    private final Namespaces namespaces;
    private final ClusterMapView clusterMap;
    private final ImportPreparer importer;
    private final OpMetrics ops;
    private final Access access;

    /**
     * @param access the role checks of every call (security on), or {@link Access#open()}
     */
    public RecordService(Membership membership, Namespaces namespaces, ClusterMapView clusterMap,
                         OpMetrics ops, Access access) {
        this.ops = ops;
        this.access = access;
        this.membership = membership;
        this.namespaces = namespaces;
        this.clusterMap = clusterMap;
        this.importer = new ImportPreparer(namespaces);
    }

    /** Builds a response of type R from a status and, when the write reached the state machine, its outcome. */
    private interface WriteResponder<R> {
        R respond(Status status, WriteOutcome outcome);
    }

    /** Builds a response of type R from a status and, when found, the live record. */
    private interface ReadResponder<R> {
        R respond(Status status, StoredRecord record);
    }

    @Override
    public void put(PutRequest request, StreamObserver<PutResponse> response) {
        put(request, response, null);
    }

    /** As the unary call; writes submitted under {@code frame} leave with the frame's other writes to the group. */
    void put(PutRequest request, StreamObserver<PutResponse> response, FrameScope frame) {
        RequestTrace trace = ops.start(OpType.PUT, request.getKey().getNamespace());
        StreamObserver<PutResponse> out = trace.observe(response, PutResponse::getStatus);
        WriteResponder<PutResponse> responder = (status, outcome) -> PutResponse.newBuilder().setStatus(status)
                .setGeneration(outcome == null ? 0 : outcome.generation()).build();
        try {
            KeyTarget target = target(request.getKey(), Privilege.WRITE);
            Map<String, Object> bins = bins(request.getBinsList());
            if (bins.isEmpty()) {
                throw new RequestException(ResultCode.PARAMETER_ERROR, "a put needs at least one bin");
            }
            byte[] encodedBins = BinCodec.encodeBins(bins);
            long maxSize = target.namespace().maxRecordSize();
            if (encodedBins.length > maxSize) {
                throw new RequestException(ResultCode.RECORD_TOO_BIG, "the bins take " + encodedBins.length
                        + " bytes; namespace '" + target.namespace().name() + "' allows records up to " + maxSize);
            }
            WriteOptions o = request.getOptions();
            WriteOp op = writeOp(WriteKind.PUT, target, existsAction(o), o, bins);
            submitWrite(target, op, encodedBins, out, responder, trace, frame);
        } catch (RequestException e) {
            reply(out, responder.respond(status(e.code(), e.getMessage()), null));
        } catch (RuntimeException e) {
            reply(out, responder.respond(unexpected("put", e), null));
        }
    }

    @Override
    public void delete(DeleteRequest request, StreamObserver<DeleteResponse> response) {
        delete(request, response, null);
    }

    /** As the unary call; writes submitted under {@code frame} leave with the frame's other writes to the group. */
    void delete(DeleteRequest request, StreamObserver<DeleteResponse> response, FrameScope frame) {
        RequestTrace trace = ops.start(OpType.DELETE, request.getKey().getNamespace());
        StreamObserver<DeleteResponse> out = trace.observe(response, DeleteResponse::getStatus);
        WriteResponder<DeleteResponse> responder = (status, outcome) -> DeleteResponse.newBuilder().setStatus(status)
                .setExisted(outcome != null && outcome.existed()).build();
        try {
            KeyTarget target = target(request.getKey(), Privilege.WRITE);
            WriteOptions o = WriteOptions.newBuilder().setExpectedGeneration(request.getExpectedGeneration()).build();
            submitWrite(target, writeOp(WriteKind.DELETE, target, ExistsAction.CREATE_OR_UPDATE, o, Map.of()), null,
                    out, responder, trace, frame);
        } catch (RequestException e) {
            reply(out, responder.respond(status(e.code(), e.getMessage()), null));
        } catch (RuntimeException e) {
            reply(out, responder.respond(unexpected("delete", e), null));
        }
    }

    @Override
    public void touch(TouchRequest request, StreamObserver<TouchResponse> response) {
        touch(request, response, null);
    }

    /** As the unary call; writes submitted under {@code frame} leave with the frame's other writes to the group. */
    void touch(TouchRequest request, StreamObserver<TouchResponse> response, FrameScope frame) {
        RequestTrace trace = ops.start(OpType.TOUCH, request.getKey().getNamespace());
        StreamObserver<TouchResponse> out = trace.observe(response, TouchResponse::getStatus);
        WriteResponder<TouchResponse> responder = (status, outcome) -> TouchResponse.newBuilder().setStatus(status)
                .setGeneration(outcome == null ? 0 : outcome.generation()).build();
        try {
            KeyTarget target = target(request.getKey(), Privilege.WRITE);
            submitWrite(target, writeOp(WriteKind.TOUCH, target, ExistsAction.CREATE_OR_UPDATE, request.getOptions(),
                    Map.of()), null, out, responder, trace, frame);
        } catch (RequestException e) {
            reply(out, responder.respond(status(e.code(), e.getMessage()), null));
        } catch (RuntimeException e) {
            reply(out, responder.respond(unexpected("touch", e), null));
        }
    }

    @Override
    public void operate(OperateRequest request, StreamObserver<OperateResponse> response) {
        operate(request, response, null);
    }

    /**
     * Several operations on one record, atomically and in order. A call with a write goes through the group's log
     * once, and the state machine runs the operations ({@link RecordMutator}); a call of reads only is a
     * linearizable read whose record the same function then runs the operations over, so both answer alike.
     */
    void operate(OperateRequest request, StreamObserver<OperateResponse> response, FrameScope frame) {
        RequestTrace trace = ops.start(OpType.OPERATE, request.getKey().getNamespace());
        StreamObserver<OperateResponse> out = trace.observe(response, OperateResponse::getStatus);
        try {
            KeyTarget target = target(request.getKey());
            OperationRequests.Checked checked = OperationRequests.operations(request.getOperationsList());
            List<Operation> operations = checked.operations();
            for (Operation operation : operations) {
                allowed(target, operation.code().isWrite() ? Privilege.WRITE : Privilege.READ);
            }
            WriteOptions o = request.getOptions();
            long voidTime = Namespaces.voidTimeMs(target.namespace(), o.getTtlSeconds(),
                    runtime().groupClock(target.group()).nowMs());
            WriteOp op = WriteOp.operate(target.namespace().name(), target.set(), target.digest(), existsAction(o),
                    o.getExpectedGeneration(), voidTime, o.getTtlSeconds() == Namespaces.TTL_KEEP, operations,
                    target.namespace().maxRecordSize());
            WriteResponder<OperateResponse> responder = (status, outcome) -> operateResponse(target, status, outcome);
            if (Operator.writes(operations)) {
                submitWrite(target, op, checked.encoded(), out, responder, trace, frame);
                return;
            }
            // Run over the record read, or over none when it is absent: a malformed call is then told so.
            read(request.getKey(), false, out, trace, (status, record) -> record != null
                    || status.getCode() == ResultCode.KEY_NOT_FOUND.code()
                    ? operateResponse(target, status, RecordMutator.mutate(record, op, 0).outcome())
                    : OperateResponse.newBuilder().setStatus(status).build());
        } catch (RequestException e) {
            reply(out, OperateResponse.newBuilder().setStatus(status(e.code(), e.getMessage())).build());
        } catch (RuntimeException e) {
            reply(out, OperateResponse.newBuilder().setStatus(unexpected("operate", e)).build());
        }
    }

    /**
     * Truncates a namespace (or set) in one group this node leads; the client sends one request per group. The cutoff
     * "now" is this group's clock, so it never lies ahead of any write the group has applied.
     */
    @Override
    public void truncate(TruncateRequest request, StreamObserver<TruncateResponse> response) {
        RequestTrace trace = ops.start(OpType.TRUNCATE, request.getNamespace());
        StreamObserver<TruncateResponse> out = trace.observe(response, TruncateResponse::getStatus);
        try {
            NamespaceConfig ns = namespaces.require(request.getNamespace());
            KeyTarget.checkSet(request.getSet());
            access.require(Privilege.DATA_ADMIN, ns.name(), request.getSet());
            ClusterRuntime runtime = runtime();
            int group = requireGroup(runtime, request.getGroup());
            if (!runtime.groupOps().leads(group)) {
                reply(out, TruncateResponse.newBuilder().setStatus(notLeader(group)).build());
                return;
            }
            long now = runtime.groupClock(group).nowMs();
            long before = request.getBeforeMs() == 0 ? now : request.getBeforeMs();
            if (before < 0 || before > now) {
                throw new RequestException(ResultCode.PARAMETER_ERROR, "before_ms " + request.getBeforeMs()
                        + " is not a time before now (" + now + " on group " + group + "); use 0 for now");
            }
            runtime.groupOps().truncate(group, ns.name(), request.getSet(), before).whenComplete((t, error) -> {
                if (error != null) {
                    reply(out, TruncateResponse.newBuilder().setStatus(unexpected("truncate", error)).build());
                    return;
                }
                Status status = switch (t.code()) {
                    case OK -> ok();
                    case NOT_LEADER -> notLeader(group);
                    default -> status(t.code(), "leadership of group " + group + " moved while it was truncated; "
                            + t.removed() + " records were removed; send the truncate again");
                };
                reply(out, TruncateResponse.newBuilder().setStatus(status).setRemoved(t.removed()).build());
            });
        } catch (RequestException e) {
            reply(out, TruncateResponse.newBuilder().setStatus(status(e.code(), e.getMessage())).build());
        } catch (RuntimeException e) {
            reply(out, TruncateResponse.newBuilder().setStatus(unexpected("truncate", e)).build());
        }
    }

    /**
     * Streams the live records of some partitions of one group this node leads, from one RocksDB snapshot (one
     * consistent point: every write acknowledged before the scan began is in it), at the pace the reader takes them.
     * A refusal (not the leader, unknown namespace, bad partitions) is the first and only message's status.
     */
    @Override
    public void scan(ScanRequest request, StreamObserver<ScanChunk> response) {
        ServerCallStreamObserver<ScanChunk> call = (ServerCallStreamObserver<ScanChunk>) response;
        try {
            namespaces.require(request.getNamespace());
            access.require(Privilege.READ, request.getNamespace(), request.getSet());
            ClusterRuntime runtime = runtime();
            int group = requireGroup(runtime, request.getGroup());
            if (!runtime.groupOps().leads(group)) {
                reply(call, ScanChunk.newBuilder().setStatus(notLeader(group)).build());
                return;
            }
            List<GroupScan.PartitionRange> ranges = new ArrayList<>();
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (ScanPartition p : request.getPartitionsList()) {
                if (!WireNumbers.isIndex(p.getPartition(), Limits.PARTITION_COUNT)
                        || runtime.layout().groupOf(p.getPartition()) != group || !seen.add(p.getPartition())) {
                    throw new RequestException(ResultCode.PARAMETER_ERROR, "partition "
                            + WireNumbers.unsigned(p.getPartition()) + " is not a partition of group " + group
                            + " (or appears twice); refresh the cluster map");
                }
                try {
                    ranges.add(new GroupScan.PartitionRange(p.getPartition(),
                            p.getAfterDigest().isEmpty() ? null : p.getAfterDigest().toByteArray()));
                } catch (IllegalArgumentException e) {
                    throw new RequestException(ResultCode.PARAMETER_ERROR, e.getMessage());
                }
            }
            GroupScan scan = runtime.store().group(group).openSnapshotScan(runtime.groupClock(group).nowMs(),
                    request.getNamespace(), request.getSet(), ranges);
            List<Integer> order = ranges.stream().map(GroupScan.PartitionRange::partition).sorted().toList();
            ScanStream.start(call, scan, group, order, r -> io.partita.protocol.v1.ScannedRecord.newBuilder()
                    .setDigest(UnsafeByteOperations.unsafeWrap(r.digest()))
                    .setSet(r.set())
                    .setRecord(toProto(RecordCodec.decode(r.encoded()), request.getHeaderOnly(),
                            request.getBinNamesList()))
                    .build(), ok());
        } catch (RequestException e) {
            reply(call, ScanChunk.newBuilder().setStatus(status(e.code(), e.getMessage())).build());
        } catch (RuntimeException e) {
            reply(call, ScanChunk.newBuilder().setStatus(unexpected("scan", e)).build());
        }
    }

    /** @param status the transport-level status (NOT_LEADER, IN_DOUBT, ...) when the call did not run */
    private OperateResponse operateResponse(KeyTarget target, Status status, WriteOutcome outcome) {
        OperateResponse.Builder b = OperateResponse.newBuilder();
        if (outcome == null || outcome.operated() == null) {
            return b.setStatus(status).build();
        }
        WriteOutcome.Operated operated = outcome.operated();
        if (outcome.code() != ResultCode.OK) {
            return b.setStatus(operated.error().isEmpty() ? outcomeStatus(outcome.code(), target)
                    : status(outcome.code(), operated.error())).build();
        }
        for (Object result : operated.results()) {
            b.addResults(Values.toProto(result));
        }
        return b.setStatus(ok()).setGeneration(outcome.generation()).setVoidTimeMs(operated.voidTimeMs()).build();
    }

    @Override
    public void get(GetRequest request, StreamObserver<GetResponse> response) {
        RequestTrace trace = ops.start(OpType.GET, request.getKey().getNamespace());
        StreamObserver<GetResponse> out = trace.observe(response, GetResponse::getStatus);
        read(request.getKey(), request.getAllowReplicaRead(), out, trace, (status, record) -> {
            GetResponse.Builder b = GetResponse.newBuilder().setStatus(status);
            if (record != null) {
                b.setRecord(toProto(record, request.getHeaderOnly(), request.getBinNamesList()));
            }
            return b.build();
        });
    }

    @Override
    public void exists(ExistsRequest request, StreamObserver<ExistsResponse> response) {
        RequestTrace trace = ops.start(OpType.EXISTS, request.getKey().getNamespace());
        StreamObserver<ExistsResponse> out = trace.observe(response, ExistsResponse::getStatus);
        read(request.getKey(), false, out, trace, (status, record) ->
                ExistsResponse.newBuilder().setStatus(status).setExists(record != null).build());
    }

    /**
     * Many operations per network message: each frame's operations are dispatched as the unary calls would be
     * (writes to one group held so they share a log entry), and replies go back as they complete, several per
     * message when they complete together. See {@link MultiplexStream}.
     */
    @Override
    public StreamObserver<OpFrame> multiplex(StreamObserver<ReplyFrame> replies) {
        return MultiplexStream.open(this, (ServerCallStreamObserver<ReplyFrame>) replies, ops, access);
    }

    @Override
    public void getClusterMap(ClusterMapRequest request, StreamObserver<ClusterMap> out) {
        try {
            ClusterMap map = clusterMap.current().orElse(null);
            if (map == null) {
                out.onError(io.grpc.Status.FAILED_PRECONDITION.withDescription(notJoined()).asRuntimeException());
                return;
            }
            reply(out, map);
        } catch (RuntimeException e) {
            LOG.error("Cannot build the cluster map", e);
            out.onError(io.grpc.Status.INTERNAL.withDescription("cannot build the cluster map: " + e.getMessage())
                    .asRuntimeException());
        }
    }

    /**
     * Restores backed-up records of one group: checks leadership, validates every record (nothing is proposed
     * unless all are valid), then submits one RESTORE command per record through the group's writer.
     */
    @Override
    public void import_(ImportRequest request, StreamObserver<ImportResponse> response) {
        RequestTrace trace = ops.start(OpType.IMPORT, request.getRecordsCount() == 0 ? ""
                : request.getRecords(0).getNamespace());
        StreamObserver<ImportResponse> out = trace.observe(response, ImportResponse::getStatus);
        try {
            if (request.getRecordsCount() == 0) {
                reply(out, ImportResponse.newBuilder().setStatus(ok()).build());
                return;
            }
            ClusterRuntime runtime = runtime();
            int group = ImportPreparer.groupOf(request, runtime.layout()::groupOf);
            if (!runtime.groupOps().leads(group)) {
                reply(out, ImportResponse.newBuilder().setStatus(notLeader(group)).build());
                return;
            }
            List<WriteOp> ops = importer.prepare(request, runtime.layout()::groupOf).ops();
            for (WriteOp op : ops) {
                access.require(Privilege.DATA_ADMIN, op.namespace(), op.set());
            }
            List<CompletableFuture<WriteOutcome>> results = runtime.groupOps().writeAll(group, ops);
            CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).whenComplete((v, error) -> {
                try {
                    reply(out, error != null ? ImportResponse.newBuilder().setStatus(unexpected("import", error)).build()
                            : importResponse(group, results.stream().map(CompletableFuture::join).toList()));
                } catch (RuntimeException e) {
                    reply(out, ImportResponse.newBuilder().setStatus(unexpected("import", e)).build());
                }
            });
        } catch (RequestException e) {
            reply(out, ImportResponse.newBuilder().setStatus(status(e.code(), e.getMessage())).build());
        } catch (RuntimeException e) {
            reply(out, ImportResponse.newBuilder().setStatus(unexpected("import", e)).build());
        }
    }

    /**
     * OK with every record's outcome when all were applied; NOT_LEADER when none reached the log (safe to re-send);
     * IN_DOUBT when some may have been applied and others not.
     */
    private ImportResponse importResponse(int group, List<WriteOutcome> outcomes) {
        int notLeader = 0;
        int failed = 0;
        ImportResponse.Builder r = ImportResponse.newBuilder();
        for (WriteOutcome o : outcomes) {
            switch (o.code()) {
                case OK, KEY_EXISTS, GENERATION_ERROR, KEY_NOT_FOUND ->
                        r.addOutcomes(ImportPreparer.outcome(RestoreOutcome.of(o.code())));
                case NOT_LEADER -> notLeader++;
                default -> failed++;
            }
        }
        if (notLeader == 0 && failed == 0) {
            return r.setStatus(ok()).build();
        }
        if (notLeader == outcomes.size()) {
            return ImportResponse.newBuilder().setStatus(notLeader(group)).build();
        }
        return ImportResponse.newBuilder().setStatus(status(ResultCode.IN_DOUBT, (outcomes.size() - notLeader - failed)
                + " of " + outcomes.size() + " records were applied, " + notLeader + " were refused because"
                + " leadership of group " + group + " moved, and the outcome of " + failed + " is unknown; re-sending"
                + " the request is safe (see ImportPolicy for how re-sent records are counted)")).build();
    }

    private String notJoined() {
        return "node " + membership.config().nodeId() + " has not joined a cluster yet; run `partita cluster init"
                + " --hosts ...` with every node's client address";
    }

    private ClusterRuntime runtime() throws RequestException {
        ClusterRuntime runtime = membership.runtime();
        if (runtime == null) {
            throw new RequestException(ResultCode.NOT_LEADER, notJoined());
        }
        return runtime;
    }

    /** A group index from a request, checked against the cluster's group count. */
    private static int requireGroup(ClusterRuntime runtime, int group) throws RequestException {
        if (!WireNumbers.isIndex(group, runtime.layout().groupCount())) {
            throw new RequestException(ResultCode.PARAMETER_ERROR, "group " + WireNumbers.unsigned(group)
                    + " does not exist (the cluster"
                    + " has " + runtime.layout().groupCount() + ")");
        }
        return group;
    }

    /** The key's target, if the caller may {@code privilege} it. */
    private KeyTarget target(Key key, Privilege privilege) throws RequestException {
        KeyTarget target = target(key);
        allowed(target, privilege);
        return target;
    }

    private void allowed(KeyTarget target, Privilege privilege) throws RequestException {
        access.require(privilege, target.namespace().name(), target.set());
    }

    private KeyTarget target(Key key) throws RequestException {
        ClusterRuntime runtime = runtime();
        try {
            return KeyTarget.resolve(key, namespaces, runtime.layout()::groupOf);
        } catch (IllegalArgumentException e) {
            throw new RequestException(ResultCode.PARAMETER_ERROR, e.getMessage());
        }
    }

    private WriteOp writeOp(WriteKind kind, KeyTarget target, ExistsAction action, WriteOptions o,
                            Map<String, Object> bins) throws RequestException {
        // The group's time, not the node's: an expiry is never computed from a time the group has already passed.
        long voidTime = Namespaces.voidTimeMs(target.namespace(), o.getTtlSeconds(),
                runtime().groupClock(target.group()).nowMs());
        return WriteOp.write(kind, target.namespace().name(), target.set(), target.digest(), action,
                o.getExpectedGeneration(), voidTime, o.getTtlSeconds() == Namespaces.TTL_KEEP, bins, target.namespace().maxRecordSize());
    }

    private static ExistsAction existsAction(WriteOptions o) throws RequestException {
        return switch (o.getExistsAction()) {
            case CREATE_OR_UPDATE -> ExistsAction.CREATE_OR_UPDATE;
            case UPDATE_ONLY -> ExistsAction.UPDATE_ONLY;
            case REPLACE -> ExistsAction.REPLACE;
            case CREATE_ONLY -> ExistsAction.CREATE_ONLY;
            default -> throw new RequestException(ResultCode.PARAMETER_ERROR,
                    "unknown exists_action " + o.getExistsActionValue());
        };
    }

    /** Validates bin names and converts values; a null value (unset Value) means "remove this bin". */
    private static Map<String, Object> bins(List<Bin> bins) throws RequestException {
        if (bins.size() > Limits.MAX_BINS_PER_WRITE) {
            throw new RequestException(ResultCode.PARAMETER_ERROR, "the write carries " + bins.size()
                    + " bins; at most " + Limits.MAX_BINS_PER_WRITE + " per write");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Bin bin : bins) {
            String name = bin.getName();
            OperationRequests.checkBinName(name);
            if (out.containsKey(name)) {
                throw new RequestException(ResultCode.PARAMETER_ERROR, "bin '" + name + "' appears twice");
            }
            try {
                out.put(name, Values.fromProto(bin.getValue()));
            } catch (IllegalArgumentException e) {
                throw new RequestException(ResultCode.PARAMETER_ERROR, "bin '" + name + "': " + e.getMessage());
            }
        }
        return out;
    }

    /** @param encodedBins {@code op}'s bins as the caller encoded them, or null to have them encoded */
    private <R> void submitWrite(KeyTarget target, WriteOp op, byte[] encodedBins, StreamObserver<R> out,
                                 WriteResponder<R> responder, RequestTrace trace, FrameScope frame)
            throws RequestException {
        trace.digest(target.digest());
        GroupOps groups = runtime().groupOps();
        if (frame != null) {
            frame.hold(groups, target.group());
        }
        trace.submitted();
        groups.write(target.group(), op, encodedBins, trace).whenComplete((outcome, error) -> {
            if (error != null) {
                reply(out, responder.respond(unexpected("write", error), null));
            } else {
                reply(out, responder.respond(outcomeStatus(outcome.code(), target), outcome));
            }
        });
    }

    private <R> void read(Key key, boolean allowReplica, StreamObserver<R> out, RequestTrace trace,
                          ReadResponder<R> responder) {
        try {
            KeyTarget target = target(key, Privilege.READ);
            trace.digest(target.digest());
            ClusterRuntime runtime = runtime();
            if (allowReplica && runtime.writer(target.group()) != null) {
                // Stale read allowed: this replica's applied state, without confirming leadership. Not from a
                // replica that stopped applying (its data is frozen for good): NOT_LEADER sends the client on to
                // another replica or the leader.
                ReplicaHealth health = runtime.host().replicaHealth(target.group());
                if (!health.running()) {
                    reply(out, responder.respond(notLeader(target.group()).toBuilder().setMessage("node "
                            + membership.config().nodeId() + "'s replica of group " + target.group() + " is "
                            + health.state().label() + " (" + health.detail() + "); read from another replica")
                            .build(), null));
                    return;
                }
                byte[] local = runtime.store().group(target.group())
                        .readEncoded(target.namespace().name(), target.digest(),
                                runtime.groupClock(target.group()).nowMs());
                reply(out, local == null ? responder.respond(status(ResultCode.KEY_NOT_FOUND, "record not found"), null)
                        : responder.respond(ok(), RecordCodec.decode(local)));
                return;
            }
            trace.submitted();
            CompletableFuture<ReadOutcome> read = runtime.groupOps().read(target.group(), target.namespace().name(),
                    target.digest());
            read.whenComplete((outcome, error) -> {
                trace.replied(System.nanoTime());
                try {
                    reply(out, error != null ? responder.respond(unexpected("read", error), null)
                            : readReply(target, outcome, responder));
                } catch (RuntimeException e) {
                    reply(out, responder.respond(unexpected("read", e), null));
                }
            });
        } catch (RequestException e) {
            reply(out, responder.respond(status(e.code(), e.getMessage()), null));
        } catch (RuntimeException e) {
            reply(out, responder.respond(unexpected("read", e), null));
        }
    }

    private <R> R readReply(KeyTarget target, ReadOutcome outcome, ReadResponder<R> responder) {
        return switch (outcome.kind()) {
            case FOUND -> responder.respond(ok(), RecordCodec.decode(outcome.record()));
            case NOT_FOUND -> responder.respond(status(ResultCode.KEY_NOT_FOUND, "record not found"), null);
            case NOT_LEADER -> responder.respond(notLeader(target.group()), null);
            case UNCONFIRMED -> responder.respond(unconfirmed(target.group(), outcome.reason()), null);
            case FAILED -> responder.respond(unexpected("read", outcome.error()), null);
        };
    }

    private static Record toProto(StoredRecord record, boolean headerOnly, List<String> binNames) {
        Record.Builder b = Record.newBuilder()
                .setGeneration(record.generation())
                .setVoidTimeMs(record.voidTimeMs())
                .setLastUpdateMs(record.lastUpdateMs());
        if (headerOnly) {
            return b.build();
        }
        Map<String, Object> bins = record.bins();
        if (!binNames.isEmpty()) {
            bins = new LinkedHashMap<>();
            for (String name : binNames) {
                Object value = record.bins().get(name);
                if (value != null) {
                    bins.put(name, value);
                }
            }
        }
        return b.addAllBins(Values.toProtoBins(bins)).build();
    }

    private Status outcomeStatus(ResultCode code, KeyTarget target) {
        return switch (code) {
            case OK -> ok();
            case NOT_LEADER -> notLeader(target.group());
            case KEY_NOT_FOUND -> status(code, "record not found");
            case KEY_EXISTS -> status(code, "record already exists and the write is create-only");
            case GENERATION_ERROR -> status(code, "the record's generation is not the expected one; read it again");
            case RECORD_TOO_BIG -> status(code, "the record would exceed namespace '" + target.namespace().name()
                    + "' max-record-size of " + target.namespace().maxRecordSize() + " bytes");
            case PARAMETER_ERROR -> status(code, "the record would have no bins");
            case IN_DOUBT -> status(code, "leadership of group " + target.group() + " changed while the write was in"
                    + " flight; it may or may not have been applied: read the record to find out");
            default -> status(code, code.name().toLowerCase().replace('_', ' '));
        };
    }

    private Status notLeader(int group) {
        Status.Builder s = Status.newBuilder().setCode(ResultCode.NOT_LEADER.code())
                .setMapVersion(mapVersion())
                .setMessage("node " + membership.config().nodeId() + " does not lead group " + group
                        + "; refresh the cluster map");
        ClusterRuntime runtime = membership.runtime();
        if (runtime != null) {
            runtime.groupOps().leaderOf(group).ifPresent(s::setLeaderNodeId);
        }
        return s.build();
    }

    /**
     * A linearizable read whose leadership check (ReadIndex) failed, e.g. while the leader steps down: nothing was
     * read, and answering NOT_LEADER makes the client refresh its map and retry at the new leader.
     */
    private Status unconfirmed(int group, String why) {
        return notLeader(group).toBuilder().setMessage("could not confirm leadership of group " + group
                + " for a linearizable read (" + why + "); refresh the cluster map").build();
    }

    private long mapVersion() {
        return membership.plans().current().map(p -> p.getVersion()).orElse(0L);
    }

    private Status ok() {
        return Status.newBuilder().setCode(ResultCode.OK.code()).setMapVersion(mapVersion()).build();
    }

    private Status status(ResultCode code, String message) {
        return Status.newBuilder().setCode(code.code()).setMessage(message).setMapVersion(mapVersion()).build();
    }

    private Status unexpected(String operation, Throwable error) {
        LOG.error("Unexpected failure in {}", operation, error);
        return status(ResultCode.SERVER_ERROR, operation + " failed on the node: " + error
                + " (see the node log)");
    }

    private static <R> void reply(StreamObserver<R> out, R response) {
        out.onNext(response);
        out.onCompleted();
    }
}
