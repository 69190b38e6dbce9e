package io.partita.raft.snapshot;

import io.partita.snapshot.group.SnapshotManifest;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Fetches a group's latest snapshot from another node: how a follower the leader can no longer feed from its log
 * catches up. The transport (and its rate limit) belongs to the node process; the raft module only needs this.
 */
@FunctionalInterface
public interface SnapshotSource {
    /** A source for nodes that cannot fetch snapshots (single-node clusters, tests without a transport). */
    SnapshotSource NONE = (group, node, dir) -> {
        throw new IOException("group " + group + ": no snapshot transport on this node to fetch from " + node);
    };

    /**
     * Downloads node {@code nodeId}'s latest snapshot of group {@code groupIndex}, writing its data files into
     * {@code dir} (empty, created by the caller). The caller verifies the files against the returned manifest.
     *
     * @return the snapshot's manifest, as sent by that node
     * @throws IOException if the node cannot be reached, has no snapshot, or the transfer broke off
     */
    SnapshotManifest fetch(int groupIndex, String nodeId, Path dir) throws IOException;
}
