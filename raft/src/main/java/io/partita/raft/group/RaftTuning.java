package io.partita.raft.group;

import java.time.Duration;

/**
 * Ratis settings a node exposes in its config.
 *
 * @param electionTimeoutMin lower bound of the randomized election timeout
 * @param electionTimeoutMax upper bound of the randomized election timeout
 * @param logSync            fsync the Raft log before acknowledging; false acknowledges from memory (unsafe)
 * @param segmentSizeBytes   Raft log segment file size
 * @param batchMaxCommands   client writes per log entry at most
 * @param batchMaxBytes      encoded writes per log entry at most, before compression
 * @param maxCommandBytes    largest single encoded write (a record at its namespace's size limit, with framing);
 *                           a log entry holds at most max(batchMaxBytes, maxCommandBytes) before compression
 * @param snapshotEveryEntries   a group snapshots (and purges its log up to the snapshot) after this many log
 *                               entries since its last snapshot
 * @param snapshotTransferBytesPerSecond rate at which this node sends snapshots to lagging followers, all groups
 *                               together
 * @param leaderLease            answer linearizable reads from the leader lease
 *                               ({@link RaftHost#LEASE_RATIO} of the minimum election timeout) instead of a ReadIndex
 *                               round; only safe when every replica has the same minimum election timeout (the
 *                               cluster plan fixes it)
 */
public record RaftTuning(Duration electionTimeoutMin, Duration electionTimeoutMax, boolean logSync,
                         long segmentSizeBytes, int batchMaxCommands, long batchMaxBytes, long maxCommandBytes,
                         long snapshotEveryEntries, long snapshotTransferBytesPerSecond, boolean leaderLease) {

    /** Tuning with the leader lease on. */
    public RaftTuning(Duration electionTimeoutMin, Duration electionTimeoutMax, boolean logSync,
                      long segmentSizeBytes, int batchMaxCommands, long batchMaxBytes, long maxCommandBytes,
                      long snapshotEveryEntries, long snapshotTransferBytesPerSecond) {
        this(electionTimeoutMin, electionTimeoutMax, logSync, segmentSizeBytes, batchMaxCommands, batchMaxBytes,
                maxCommandBytes, snapshotEveryEntries, snapshotTransferBytesPerSecond, true);
    }

    /** The same tuning with the leader lease on or off. */
    public RaftTuning withLeaderLease(boolean enabled) {
        return new RaftTuning(electionTimeoutMin, electionTimeoutMax, logSync, segmentSizeBytes, batchMaxCommands,
                batchMaxBytes, maxCommandBytes, snapshotEveryEntries, snapshotTransferBytesPerSecond, enabled);
    }

    /** The largest log entry this node can write: the biggest batch or command after LZ4 (which may grow it). */
    public long maxEntryBytes() {
        long raw = Math.max(batchMaxBytes, maxCommandBytes);
        return raw + raw / 255 + 16 + 1024; // LZ4's worst-case bound plus the codec and Ratis headers
    }
}
