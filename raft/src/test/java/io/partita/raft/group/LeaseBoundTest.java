package io.partita.raft.group;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader lease Ratis computes from the node's properties (ratio x the leader's minimum election timeout, see
 * Ratis's LeaderLease) must end before any follower configured the same way stops refusing votes for another
 * candidate (its minimum election timeout after the leader's last heartbeat, FollowerState.isCurrentLeaderValid).
 */
class LeaseBoundTest {
    private static final RaftTuning TUNING = new RaftTuning(Duration.ofMillis(1000), Duration.ofMillis(2000), true,
            8L << 20, 256, 1L << 20, (1L << 20) + 4096, 100_000, 32L << 20);

    @TempDir
    Path dir;

    private RaftProperties properties(RaftTuning tuning) {
        return RaftHost.properties(dir, "127.0.0.1:1", tuning);
    }

    @Test
    void theLeaseEndsBeforeAFollowerWithTheSameTimeoutsWouldVoteForAnotherLeader() {
        RaftProperties p = properties(TUNING);
        assertTrue(RaftServerConfigKeys.Read.leaderLeaseEnabled(p));
        double ratio = RaftServerConfigKeys.Read.leaderLeaseTimeoutRatio(p);
        long leaseMs = (long) (RaftServerConfigKeys.Rpc.timeoutMin(p).toLong(java.util.concurrent.TimeUnit.MILLISECONDS)
                * ratio);
        long followerWithholdsVotesMs = TUNING.electionTimeoutMin().toMillis();
        // 10% margin for clock-rate differences between the leader and its followers.
        assertTrue(leaseMs <= followerWithholdsVotesMs * 0.9, "lease " + leaseMs + " ms vs " + followerWithholdsVotesMs);
        assertTrue(ratio > 0 && ratio <= 1.0, "Ratis refuses a ratio outside (0, 1]: " + ratio);
    }

    @Test
    void theLeaseIsOffWhenTheTuningSaysSo() {
        assertFalse(RaftServerConfigKeys.Read.leaderLeaseEnabled(properties(TUNING.withLeaderLease(false))));
    }
}
