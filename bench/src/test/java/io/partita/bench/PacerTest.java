package io.partita.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PacerTest {

    @Test
    void aWorkerBehindScheduleGetsItsIntendedStartsNotNow() {
        long start = System.nanoTime() - 1_000_000_000L; // a second behind: nothing to wait for
        Pacer p = Pacer.atRate(4000, 4, 0, start); // 1000/s per worker: 1 ms apart
        assertEquals(start, p.awaitNext());
        assertEquals(start + 1_000_000, p.awaitNext());
        assertEquals(start + 2_000_000, p.awaitNext());
        Pacer second = Pacer.atRate(4000, 4, 1, start);
        assertEquals(start + 250_000, second.awaitNext(), "workers are staggered");
    }

    @Test
    void aWorkerAheadOfScheduleWaitsForTheIntendedStart() {
        long start = System.nanoTime();
        Pacer p = Pacer.atRate(20, 1, 0, start); // 50 ms apart
        p.awaitNext();
        long intended = p.awaitNext();
        assertEquals(start + 50_000_000, intended);
        assertTrue(System.nanoTime() - intended >= 0, "returned before its time");
    }

    @Test
    void aClosedLoopStartsNow() {
        long before = System.nanoTime();
        long t = Pacer.closedLoop().awaitNext();
        assertTrue(t - before >= 0 && System.nanoTime() - t >= 0);
    }
}
