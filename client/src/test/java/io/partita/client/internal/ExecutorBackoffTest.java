package io.partita.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExecutorBackoffTest {
    @Test
    void retriesBackOffByDoublingUpToTwentyTimesTheBase() {
        assertEquals(10, Executor.backoffMs(10, 1));
        assertEquals(20, Executor.backoffMs(10, 2));
        assertEquals(40, Executor.backoffMs(10, 3));
        assertEquals(160, Executor.backoffMs(10, 5));
        assertEquals(200, Executor.backoffMs(10, 6));
        assertEquals(200, Executor.backoffMs(10, 60));
        assertEquals(0, Executor.backoffMs(0, 4));
    }
}
