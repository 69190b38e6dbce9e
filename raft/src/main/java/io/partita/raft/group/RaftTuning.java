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
 */
public record RaftTuning(Duration electionTimeoutMin, Duration electionTimeoutMax, boolean logSync,
                         long segmentSizeBytes, int batchMaxCommands, long batchMaxBytes) {
}
