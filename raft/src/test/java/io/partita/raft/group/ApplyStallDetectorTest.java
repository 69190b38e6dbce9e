package io.partita.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The "stuck" rule: the applied index still for the threshold while the commit index is ahead. */
class ApplyStallDetectorTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final ApplyStallDetector detector = new ApplyStallDetector(now::get, Duration.ofSeconds(30));

    private void advance(long seconds) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @Test
    void stuckOnlyAfterTheAppliedIndexStoodStillBehindTheCommitIndexForTheThreshold() {
        assertEquals(-1, detector.observe("g", 10, 20));
        advance(29);
        assertEquals(-1, detector.observe("g", 10, 25));
        advance(1);
        assertEquals(TimeUnit.SECONDS.toNanos(30), detector.observe("g", 10, 25));
        // Progress resets the clock.
        assertEquals(-1, detector.observe("g", 11, 25));
        advance(29);
        assertEquals(-1, detector.observe("g", 11, 25));
    }

    @Test
    void anIdleReplicaWithNothingToApplyIsNeverStuck() {
        assertEquals(-1, detector.observe("g", 10, 10));
        advance(3600);
        assertEquals(-1, detector.observe("g", 10, 10));
        // Work arrives: the clock starts now, not at the first idle observation.
        assertEquals(-1, detector.observe("g", 10, 11));
        advance(29);
        assertEquals(-1, detector.observe("g", 10, 11));
    }

    @Test
    void replicasAreTrackedApart() {
        detector.observe("a", 5, 9);
        advance(20);
        detector.observe("b", 5, 9);
        advance(10);
        assertEquals(TimeUnit.SECONDS.toNanos(30), detector.observe("a", 5, 9));
        assertEquals(-1, detector.observe("b", 5, 9));
        detector.forget("a");
        assertEquals(-1, detector.observe("a", 5, 9));
    }
}
