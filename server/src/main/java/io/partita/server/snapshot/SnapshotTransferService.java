package io.partita.server.snapshot;

import io.partita.server.limits.WireNumbers;
import io.partita.server.security.MemberGate;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.partita.protocol.v1.FetchSnapshotRequest;
import io.partita.protocol.v1.SnapshotChunk;
import io.partita.protocol.v1.SnapshotTransferGrpc;
import io.partita.raft.group.RaftHost;
import io.partita.raft.snapshot.SnapshotLease;
import io.partita.raft.statemachine.PartitaStateMachine;
import io.partita.server.cluster.ClusterRuntime;
import io.partita.server.cluster.Membership;
import io.partita.snapshot.group.SnapshotFile;
import io.partita.snapshot.group.StoredSnapshot;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves this node's latest snapshot of a group to a follower that fell behind the purged log. Streams the data files
 * then the manifest, throttled node-wide, and waits for the receiver (gRPC flow control) instead of buffering the
 * snapshot in memory. The snapshot is leased, so pruning cannot delete it mid-stream.
 */
public final class SnapshotTransferService extends SnapshotTransferGrpc.SnapshotTransferImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotTransferService.class);
    private static final int CHUNK = 256 << 10;

    private final Membership membership;
    private final TransferThrottle throttle;
    private final Executor senders;
    private final SnapshotTransfers transfers;
    /** Who may fetch a snapshot (a node of the cluster, with TLS on). */
    private final MemberGate members;

    /** @param transfers where the bytes sent are counted */
    public SnapshotTransferService(Membership membership, TransferThrottle throttle, Executor senders,
                                   SnapshotTransfers transfers, MemberGate members) {
        this.members = members;
        this.membership = membership;
        this.throttle = throttle;
        this.senders = senders;
        this.transfers = transfers;
    }

    @Override
    public void fetchSnapshot(FetchSnapshotRequest request, StreamObserver<SnapshotChunk> out) {
        int group = request.getGroup();
        String node = membership.config().nodeId();
        String refusal = members.snapshotFetchRefusal(membership.plans().current());
        if (refusal != null) {
            LOG.warn("Refused a snapshot fetch of group {}: {}", group, refusal);
            out.onError(Status.PERMISSION_DENIED.withDescription(refusal).asRuntimeException());
            return;
        }
        ClusterRuntime runtime = membership.runtime();
        RaftHost host = runtime == null ? null : runtime.host();
        Optional<PartitaStateMachine> sm = host == null || !WireNumbers.isIndex(group, runtime.layout().groupCount())
                ? Optional.empty() : host.stateMachine(group);
        if (sm.isEmpty()) {
            out.onError(Status.NOT_FOUND.withDescription("node " + node + " holds no replica of group "
                    + WireNumbers.unsigned(group))
                    .asRuntimeException());
            return;
        }
        Optional<SnapshotLease> lease = sm.get().leaseLatestSnapshot();
        if (lease.isEmpty()) {
            // FAILED_PRECONDITION, not UNAVAILABLE: the fetcher tells "no snapshot yet" from a transport failure.
            out.onError(Status.FAILED_PRECONDITION.withDescription("node " + node + " has no snapshot of group " + group
                    + " yet; retry after it takes one").asRuntimeException());
            return;
        }
        ServerCallStreamObserver<SnapshotChunk> call = (ServerCallStreamObserver<SnapshotChunk>) out;
        Object readiness = new Object();
        Runnable wake = () -> {
            synchronized (readiness) {
                readiness.notifyAll();
            }
        };
        call.setOnReadyHandler(wake);
        call.setOnCancelHandler(wake);
        senders.execute(() -> send(group, lease.get(), call, readiness));
    }

    private void send(int group, SnapshotLease lease, ServerCallStreamObserver<SnapshotChunk> call, Object readiness) {
        long start = System.nanoTime();
        StoredSnapshot s = lease.snapshot();
        try (lease; SnapshotTransfers.Progress progress = transfers.start(SnapshotTransfers.Direction.SENT, group, "",
                s.manifest().byteSize(), false)) {
            byte[] buffer = new byte[CHUNK];
            for (SnapshotFile f : s.manifest().files()) {
                try (InputStream in = Files.newInputStream(s.dir().resolve(f.name()))) {
                    for (int n; (n = in.readNBytes(buffer, 0, CHUNK)) > 0; ) {
                        throttle.acquire(n);
                        awaitReady(call, readiness);
                        call.onNext(SnapshotChunk.newBuilder().setFileName(f.name())
                                .setData(ByteString.copyFrom(buffer, 0, n)).build());
                        progress.add(n);
                    }
                }
            }
            awaitReady(call, readiness);
            call.onNext(SnapshotChunk.newBuilder().setManifest(ByteString.copyFrom(s.manifest().encode())).build());
            call.onCompleted();
            LOG.info("Sent snapshot {} of group {} ({} bytes) in {} ms", s.manifest().index(), group,
                    s.manifest().byteSize(), (System.nanoTime() - start) / 1_000_000);
        } catch (CancelledException e) {
            LOG.info("Snapshot {} of group {}: the receiver cancelled", s.manifest().index(), group);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.onError(Status.UNAVAILABLE.withDescription("node is stopping").asRuntimeException());
        } catch (Exception e) {
            LOG.warn("Cannot send snapshot {} of group {}", s.dir(), group, e);
            call.onError(Status.INTERNAL.withDescription("cannot read snapshot " + s.dir() + ": " + e)
                    .asRuntimeException());
        }
    }

    private static void awaitReady(ServerCallStreamObserver<SnapshotChunk> call, Object readiness)
            throws InterruptedException {
        synchronized (readiness) {
            while (!call.isReady()) {
                if (call.isCancelled()) {
                    throw new CancelledException();
                }
                readiness.wait(100);
            }
        }
    }

    /** The receiver went away; nothing to report back. */
    private static final class CancelledException extends RuntimeException {
        CancelledException() {
            super(null, null, false, false);
        }
    }
}
