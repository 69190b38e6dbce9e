package io.partita.server.snapshot;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.FetchSnapshotRequest;
import io.partita.protocol.v1.SnapshotChunk;
import io.partita.raft.snapshot.NoSnapshotException;
import io.partita.raft.snapshot.SnapshotSource;
import io.partita.server.cluster.Peers;
import io.partita.server.cluster.PlanHolder;
import io.partita.server.cluster.PlanView;
import io.partita.snapshot.group.SnapshotFile;
import io.partita.snapshot.group.SnapshotManifest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fetches a group snapshot from another node of the cluster over its {@code SnapshotTransfer} service, found by node
 * id in the cluster plan. Writes the files as they arrive; the caller verifies them against the manifest. Counts the
 * bytes received in {@link SnapshotTransfers}, marked as a move's copy when the plan moves the group onto this node.
 *
 * <p>Closed when the node stops, before its store: fetches under way are cancelled and new ones refused, so an
 * install does not go on to write into a closed RocksDB (Ratis may ask for one more install while it shuts down, and
 * the install thread is not the node's to join).
 */
public final class PeerSnapshotSource implements SnapshotSource, AutoCloseable {
    private final Peers peers;
    private final PlanHolder plans;
    private final String selfId;
    private final SnapshotTransfers transfers;
    private final Set<Context.CancellableContext> fetching = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param selfId    this node's id, to tell a move's copy onto this node from a lagging replica's catch-up
     * @param transfers where the bytes received are counted
     */
    public PeerSnapshotSource(Peers peers, PlanHolder plans, String selfId, SnapshotTransfers transfers) {
        this.peers = peers;
        this.plans = plans;
        this.selfId = selfId;
        this.transfers = transfers;
    }

    @Override
    public SnapshotManifest fetch(int groupIndex, String nodeId, Path dir) throws IOException {
        // The call runs in a context of its own, which close() cancels.
        Context.CancellableContext call = Context.current().withCancellation();
        fetching.add(call);
        Context previous = call.attach();
        try {
            if (closed) {
                throw new IOException("node is stopping: no snapshot fetch of group " + groupIndex);
            }
            SnapshotManifest manifest = fetchIn(groupIndex, nodeId, dir);
            if (closed) {
                throw new IOException("node is stopping: the snapshot of group " + groupIndex + " is not installed");
            }
            return manifest;
        } finally {
            call.detach(previous);
            fetching.remove(call);
            call.cancel(null);
        }
    }

    /** Cancels the fetches under way and refuses new ones. */
    @Override
    public void close() {
        closed = true;
        for (Context.CancellableContext call : fetching) {
            call.cancel(null);
        }
    }

    private SnapshotManifest fetchIn(int groupIndex, String nodeId, Path dir) throws IOException {
        ClusterPlan plan = plans.current().orElseThrow(() -> new IOException("no cluster plan to find node " + nodeId));
        String address = PlanView.address(plan, nodeId).clientAddress();
        OutputStream out = null;
        String current = null;
        boolean forMove = groupIndex < plan.getGroupsCount()
                && plan.getGroups(groupIndex).getMove().getToNodeId().equals(selfId);
        try (SnapshotTransfers.Progress progress = transfers.start(SnapshotTransfers.Direction.RECEIVED, groupIndex,
                nodeId, -1, forMove)) {
            Iterator<SnapshotChunk> chunks = peers.fetchSnapshot(address,
                    FetchSnapshotRequest.newBuilder().setGroup(groupIndex).build());
            while (chunks.hasNext()) {
                SnapshotChunk c = chunks.next();
                if (!c.getManifest().isEmpty()) {
                    return SnapshotManifest.decode(c.getManifest().toByteArray(),
                            dir.resolve(SnapshotManifest.FILE_NAME + " from " + nodeId));
                }
                if (!c.getFileName().equals(current)) {
                    if (out != null) {
                        out.close();
                    }
                    current = SnapshotFile.requirePlainName(c.getFileName());
                    out = Files.newOutputStream(dir.resolve(current));
                }
                c.getData().writeTo(out);
                progress.add(c.getData().size());
            }
            throw new IOException("node " + nodeId + " (" + address + ") ended the snapshot of group " + groupIndex
                    + " without a manifest");
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION) {
                throw new NoSnapshotException(e.getStatus().getDescription());
            }
            throw new IOException("cannot fetch the snapshot of group " + groupIndex + " from node " + nodeId + " ("
                    + address + "): " + e.getStatus(), e);
        } catch (IllegalArgumentException e) {
            throw new IOException("node " + nodeId + " sent a bad snapshot of group " + groupIndex + ": "
                    + e.getMessage(), e);
        } finally {
            if (out != null) {
                out.close();
            }
        }
    }
}
