package io.partita.raft.snapshot;

import io.partita.engine.storage.ExportedGroup;
import io.partita.engine.storage.GroupStore;
import io.partita.snapshot.group.CorruptSnapshotException;
import io.partita.snapshot.group.SnapshotDirectory;
import io.partita.snapshot.group.SnapshotFile;
import io.partita.snapshot.group.SnapshotManifest;
import io.partita.snapshot.group.StoredSnapshot;
import io.partita.snapshot.io.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes, installs and recovers the snapshots of one group on this node.
 *
 * <p><b>Atomic install.</b> A snapshot fetched from the leader is verified and committed to the snapshot directory
 * (fsynced, manifest last, renamed into place) <em>before</em> the column family is touched; then the family is
 * cleared and the snapshot's SST files ingested in one step. The committed snapshot is the install marker: its
 * index is above the family's applied position until the ingest is done, and {@link #recover} (run at every start)
 * redoes clear + ingest whenever the applied position is below the latest snapshot, or the family is still marked
 * as being replaced ({@link GroupStore#replacing()}: set by the clear, removed by a completed ingest). Taking a
 * snapshot flushes the family first, so outside an install the applied position is never below the latest snapshot.
 * A crash at any point therefore ends in the old state (no committed snapshot yet) or the new one, never a mix.
 */
public final class GroupSnapshots {
    private static final Logger LOG = LoggerFactory.getLogger(GroupSnapshots.class);
    /** Snapshots kept per group: the newest, and the one before while it may still stream to a follower. */
    private static final int KEEP = 2;
    /** SST files are cut at about this size, so a transfer or checksum failure costs one file, not the group. */
    private static final long FILE_BYTES = 64L << 20;

    private final int groupIndex;
    private final SnapshotDirectory directory;

    public GroupSnapshots(int groupIndex, Path dir) throws IOException {
        this.groupIndex = groupIndex;
        this.directory = new SnapshotDirectory(dir);
    }

    /** The newest complete snapshot, if any. */
    public Optional<StoredSnapshot> latest() {
        return directory.latest();
    }

    /** The newest snapshot, kept from pruning until the lease is closed. */
    public Optional<SnapshotLease> leaseLatest() {
        return latest().map(s -> new SnapshotLease(s, directory.pin(s)));
    }

    /**
     * Exports the group's column family as a new snapshot at its applied position and prunes older ones. Must run
     * between log entries (on the state machine's apply thread).
     */
    public StoredSnapshot take(GroupStore store) throws IOException {
        long start = System.nanoTime();
        Path staging = directory.newStaging();
        StoredSnapshot s;
        List<SnapshotFile> files = new ArrayList<>();
        try {
            ExportedGroup export = store.exportTo(staging, FILE_BYTES);
            for (Path f : export.files()) {
                files.add(new SnapshotFile(f.getFileName().toString(), Files.size(f), DurableFiles.crc32c(f)));
            }
            s = directory.commit(staging, SnapshotManifest.of(groupIndex, export.position().term(),
                    export.position().index(), export.recordCount(), files));
        } catch (IOException | RuntimeException e) {
            // Ratis asks again after more entries: each failed attempt would otherwise leave a full export behind
            // (only a restart removes staging directories), filling the disk that may be why it failed.
            discard(staging, e);
            throw e;
        }
        directory.prune(KEEP);
        LOG.info("Group {} snapshot at index {}: {} records, {} bytes in {} files, {} ms", groupIndex,
                s.manifest().index(), s.manifest().recordCount(), s.manifest().byteSize(), files.size(),
                (System.nanoTime() - start) / 1_000_000);
        return s;
    }

    /**
     * Fetches node {@code nodeId}'s latest snapshot of this group, verifies it, commits it, and replaces the column
     * family with it (see the class comment for why this is atomic).
     */
    public StoredSnapshot install(GroupStore store, SnapshotSource source, String nodeId) throws IOException {
        long start = System.nanoTime();
        Path staging = directory.newStaging();
        StoredSnapshot s;
        try {
            SnapshotManifest manifest = source.fetch(groupIndex, nodeId, staging);
            if (manifest.groupIndex() != groupIndex) {
                throw new CorruptSnapshotException(staging, "node " + nodeId + " sent a snapshot of group "
                        + manifest.groupIndex() + " for group " + groupIndex);
            }
            manifest.verifyFilesIn(staging);
            s = directory.commit(staging, manifest);
        } catch (IOException | RuntimeException e) {
            discard(staging, e);
            throw e;
        }
        restore(store, s);
        directory.prune(KEEP);
        LOG.info("Group {} installed snapshot at index {} from {}: {} records, {} bytes, {} ms", groupIndex,
                s.manifest().index(), nodeId, s.manifest().recordCount(), s.manifest().byteSize(),
                (System.nanoTime() - start) / 1_000_000);
        return s;
    }

    /** Removes a failed attempt's staging directory; a failure to do so is attached to the attempt's error. */
    private void discard(Path staging, Exception cause) {
        try {
            DurableFiles.deleteTree(staging);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Group {}: cannot remove the failed snapshot's staging directory {}: {}", groupIndex, staging,
                    e.toString());
            cause.addSuppressed(e);
        }
    }

    /**
     * Finishes an install a crash interrupted: if the latest snapshot is ahead of the column family's applied
     * position, the family is replaced with it. Idempotent; call before the group serves anything.
     *
     * @return whether a snapshot was (re)installed
     */
    public boolean recover(GroupStore store) throws IOException {
        Optional<StoredSnapshot> latest = latest();
        long applied = store.appliedPosition().index();
        boolean replacing = store.replacing();
        if (latest.isEmpty()) {
            if (replacing) {
                // Cannot happen through install() (it commits the snapshot before clearing); the group stays marked,
                // so it is never exported, and catches up only once the leader sends a snapshot again.
                LOG.error("Group {}: the column family is marked as being replaced but no snapshot is left to finish "
                        + "the install with; it will not be exported until a snapshot from the leader is installed",
                        groupIndex);
            }
            return false;
        }
        if (!replacing && latest.get().manifest().index() <= applied) {
            return false;
        }
        // Replacing: cleared, and the ingest failed or never ran (entries may even have been applied on top of the
        // partial family since, so its applied index alone cannot tell).
        LOG.warn("Group {}: applied index {} {} snapshot {} (an install was interrupted); installing it again",
                groupIndex, applied, replacing ? "on a family marked as being replaced, not" : "is behind",
                latest.get().dir());
        restore(store, latest.get());
        return true;
    }

    private static void restore(GroupStore store, StoredSnapshot s) throws IOException {
        SnapshotManifest.readVerified(s.dir());
        store.clear();
        CrashPoints.reached(CrashPoints.INSTALL_AFTER_CLEAR);
        store.ingest(s.dataFiles());
    }
}
