package io.partita.snapshot.backup;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.ToLongFunction;

/**
 * The manifest of one complete backup ({@code manifest.json}, written last).
 *
 * @param formatVersion version of the backup format
 * @param backupId unique id of this backup
 * @param kind full or incremental
 * @param parent the parent backup (null for a full backup)
 * @param clusterId id of the source cluster
 * @param sourceGroupCount number of Raft groups of the source cluster
 * @param namespaceFilter the only namespace backed up, or null for all
 * @param setFilter the only set backed up, or null for all
 * @param createdAt when the backup started
 * @param groups one summary per group, in group order
 * @param checksum SHA-256 over the manifest's content ({@code sha256:<hex>})
 * @param dir the directory the manifest was read from or written to
 */
public record BackupManifest(int formatVersion, UUID backupId, BackupKind kind, ParentLink parent, String clusterId,
        int sourceGroupCount, String namespaceFilter, String setFilter, Instant createdAt, List<GroupSummary> groups,
        String checksum, Path dir) {

    public BackupManifest {
        groups = List.copyOf(groups);
    }

    /** The summary of {@code group}. */
    public GroupSummary group(int group) {
        return groups.get(group);
    }

    /** Records written to this backup's data files. */
    public long recordsStored() {
        return sum(GroupSummary::recordsStored);
    }

    /** Records the source held when this backup was taken (within the filters). */
    public long recordsLive() {
        return sum(GroupSummary::recordsLive);
    }

    /** Deletions recorded since the parent. */
    public long deletions() {
        return sum(GroupSummary::deletions);
    }

    /** Uncompressed bytes of the data files' entries. */
    public long rawBytes() {
        return sum(GroupSummary::rawBytes);
    }

    /** Bytes of the data files on disk. */
    public long compressedBytes() {
        return sum(GroupSummary::compressedBytes);
    }

    private long sum(ToLongFunction<GroupSummary> f) {
        return groups.stream().mapToLong(f).sum();
    }
}
