package io.partita.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.client.Policy;
import org.junit.jupiter.api.Test;

class ExecutorBackoffTest {
    @Test
    void retriesBackOffByDoublingUpToFiftyTimesTheBase() {
        assertEquals(10, Executor.backoffMs(10, 1));
        assertEquals(20, Executor.backoffMs(10, 2));
        assertEquals(40, Executor.backoffMs(10, 3));
        assertEquals(160, Executor.backoffMs(10, 5));
        assertEquals(320, Executor.backoffMs(10, 6));
        assertEquals(500, Executor.backoffMs(10, 7));
        assertEquals(500, Executor.backoffMs(10, 60));
        assertEquals(0, Executor.backoffMs(0, 4));
    }

    /**
     * A call that keeps meeting NOT_LEADER during a failover (a new election, then leadership handed back to the
     * preferred replica) must not run out of retries before it runs out of time: that failed CI when 8 retries
     * capped at 200 ms ended a read after about 1 s of a 3 s budget.
     */
    @Test
    void defaultRetriesOutlastTheDefaultBudget() {
        long slept = 0;
        for (int retry = 1; retry <= Policy.DEFAULT_MAX_RETRIES; retry++) {
            slept += Executor.backoffMs(Policy.DEFAULT_SLEEP_BETWEEN_RETRIES_MS, retry);
        }
        assertTrue(slept >= Policy.DEFAULT_TIMEOUT_MS, "default retries pause only " + slept + " ms in total");
    }
}
