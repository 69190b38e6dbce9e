package io.partita.raft.snapshot;

import io.partita.snapshot.group.SnapshotDirectory;
import io.partita.snapshot.group.StoredSnapshot;

/**
 * A snapshot held for reading (e.g. while it streams to a follower): it is not pruned until the lease is closed.
 *
 * @param snapshot the snapshot
 * @param pin      what keeps it
 */
public record SnapshotLease(StoredSnapshot snapshot, SnapshotDirectory.Pin pin) implements AutoCloseable {
    @Override
    public void close() {
        pin.close();
    }
}
