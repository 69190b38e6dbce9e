package io.partita.server.snapshot;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TransferThrottleTest {
    /**
     * 1 MB/s with a 0.1 s burst: sending 600 KB must take at least 0.5 s, whatever the machine's speed (only a lower
     * bound is checked, so a slow machine cannot fail it; a throttle that lets bytes through fails it).
     */
    @Test
    void sendingMoreThanTheBurstTakesAtLeastTheRateAllows() throws InterruptedException {
        TransferThrottle throttle = new TransferThrottle(1_000_000);
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            throttle.acquire(60_000);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds >= 0.5, "600 KB at 1 MB/s (100 KB burst) took only " + seconds + " s");
    }

    @Test
    void aRateMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new TransferThrottle(0));
    }
}
