package io.partita.snapshot.backup;

import java.util.List;

/**
 * What a backup holds for one Raft group.
 *
 * @param group the group number (0 .. sourceGroupCount-1)
 * @param term Raft term of the state the backup holds
 * @param index Raft log index of the state the backup holds
 * @param recordsStored records written to the data file (all live ones for a full backup, new or changed ones for
 *     an incremental)
 * @param recordsLive records the group held at (term, index), within the backup's filters
 * @param deletions records of the parent backup that no longer existed (0 for a full backup)
 * @param rawBytes uncompressed bytes of the data file's entries
 * @param compressedBytes bytes of the data file on disk
 * @param files the group's files with their sizes and checksums
 */
public record GroupSummary(int group, long term, long index, long recordsStored, long recordsLive, long deletions,
        long rawBytes, long compressedBytes, List<BackupFile> files) {

    public GroupSummary {
        files = List.copyOf(files);
    }
}
