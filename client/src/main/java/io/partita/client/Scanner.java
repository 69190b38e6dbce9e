package io.partita.client;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.partita.client.internal.Cluster;
import io.partita.client.internal.RoutingTable;
import io.partita.protocol.KeyDigest;
import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.PartitaGrpc;
import io.partita.protocol.v1.ScanChunk;
import io.partita.protocol.v1.ScanPartition;
import io.partita.protocol.v1.ScanRequest;
import io.partita.protocol.v1.ScannedRecord;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link PartitaClient#scanPartitions}: the filter's unfinished partitions are grouped by Raft group and each
 * group is read from its leader in one stream (one consistent point per stream), one group after another. Records
 * advance the filter's cursors as they are delivered; when a stream fails (a node lost, a leader change) the group is
 * asked again from the cursors at the leader of a refreshed map, so nothing is delivered twice and nothing skipped.
 */
final class Scanner {
    private static final long RETRY_PAUSE_MS = 100;

    private final Cluster cluster;
    private final ScanPolicy policy;
    private final PartitionFilter filter;
    private final String namespace;
    private final String set;
    private final ScanCallback callback;
    private final List<String> binNames;
    private final long startNanos = System.nanoTime();
    private long delivered;

    Scanner(Cluster cluster, ScanPolicy policy, PartitionFilter filter, String namespace, String set,
            ScanCallback callback, List<String> binNames) {
        this.cluster = cluster;
        this.policy = policy;
        this.filter = filter;
        this.namespace = namespace;
        this.set = set;
        this.callback = callback;
        this.binNames = binNames;
    }

    /** Scans until the filter is done or the record limit is reached; returns the records delivered. */
    long run() throws InterruptedException {
        Map<Integer, List<PartitionFilter.PartitionStatus>> byGroup = new LinkedHashMap<>();
        RoutingTable table = cluster.table();
        for (PartitionFilter.PartitionStatus p : filter.partitions()) {
            if (!p.done()) {
                byGroup.computeIfAbsent(table.groupOf(p.id()), g -> new ArrayList<>()).add(p);
            }
        }
        for (Map.Entry<Integer, List<PartitionFilter.PartitionStatus>> e : byGroup.entrySet()) {
            if (limitReached()) {
                break;
            }
            scanGroup(e.getKey(), e.getValue());
        }
        return delivered;
    }

    private boolean limitReached() {
        return policy.maxRecords() > 0 && delivered >= policy.maxRecords();
    }

    /** Reads one group's partitions, retrying from the cursors until they are done or the policy's time runs out. */
    private void scanGroup(int group, List<PartitionFilter.PartitionStatus> partitions) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(policy.timeoutMs());
        String lastProblem = null;
        while (!limitReached() && partitions.stream().anyMatch(p -> !p.done())) {
            if (System.nanoTime() > deadline) {
                throw new PartitaException(ResultCode.TIMEOUT, "scan of group " + group + " kept failing for "
                        + policy.timeoutMs() + " ms (" + lastProblem + "); " + delivered + " records were delivered "
                        + "and the partition filter holds where each partition stopped: scan again with it to resume");
            }
            RoutingTable.Target leader = cluster.table().leaderOf(partitions.get(0).id());
            if (leader == null) {
                lastProblem = "no known leader";
            } else {
                lastProblem = stream(group, partitions, leader);
                if (lastProblem == null) {
                    continue;
                }
            }
            cluster.requestRefresh();
            Thread.sleep(RETRY_PAUSE_MS);
        }
    }

    /** One stream from {@code leader}; null when it ended (done or the record limit), else why it failed. */
    private String stream(int group, List<PartitionFilter.PartitionStatus> partitions, RoutingTable.Target leader)
            throws InterruptedException {
        ScanRequest.Builder request = ScanRequest.newBuilder().setNamespace(namespace).setSet(set).setGroup(group)
                .addAllBinNames(binNames);
        for (PartitionFilter.PartitionStatus p : partitions) {
            if (!p.done()) {
                byte[] last = p.lastDigest();
                request.addPartitions(ScanPartition.newBuilder().setPartition(p.id())
                        .setAfterDigest(last == null ? com.google.protobuf.ByteString.EMPTY
                                : UnsafeByteOperations.unsafeWrap(last)));
            }
        }
        // Cancelling the context ends the stream when the caller stops early (limit, exception, interrupt).
        Context.CancellableContext context = Context.current().withCancellation();
        Context previous = context.attach();
        try {
            Iterator<ScanChunk> chunks = ClientCalls.blockingServerStreamingCall(cluster.channel(leader.address()),
                    PartitaGrpc.getScanMethod(), io.grpc.CallOptions.DEFAULT, request.build());
            while (chunks.hasNext()) {
                ScanChunk chunk = chunks.next();
                if (chunk.hasStatus() && chunk.getStatus().getCode() != ResultCode.OK.code()) {
                    ResultCode code = ResultCode.fromCode(chunk.getStatus().getCode());
                    if (code == ResultCode.NOT_LEADER) {
                        return "node " + leader.nodeId() + " does not lead group " + group;
                    }
                    throw new PartitaException(code, chunk.getStatus().getMessage());
                }
                for (ScannedRecord r : chunk.getRecordsList()) {
                    deliver(r);
                    if (limitReached()) {
                        return null;
                    }
                }
                for (int p : chunk.getPartitionsDoneList()) {
                    PartitionFilter.PartitionStatus status = filter.status(p);
                    if (status != null) {
                        status.finished();
                    }
                }
                if (chunk.getDone()) {
                    return null;
                }
            }
            return "the stream from node " + leader.nodeId() + " ended before the scan was done";
        } catch (StatusRuntimeException e) {
            return "node " + leader.nodeId() + ": " + e.getStatus();
        } finally {
            context.detach(previous);
            context.cancel(null);
        }
    }

    private void deliver(ScannedRecord r) throws InterruptedException {
        byte[] digest = r.getDigest().toByteArray();
        PartitionFilter.PartitionStatus status = filter.status(KeyDigest.partitionId(digest));
        if (status != null) {
            status.delivered(digest);
        }
        delivered++;
        callback.record(namespace, r.getSet(), digest, PartitaClient.toRecord(r.getRecord()));
        if (policy.recordsPerSecond() > 0) {
            long dueNanos = startNanos + TimeUnit.SECONDS.toNanos(delivered) / policy.recordsPerSecond();
            long wait = dueNanos - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
    }
}
