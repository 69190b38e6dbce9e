package io.partita.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SlowRequestLogTest {
    private final SlowRequestLog log = new SlowRequestLog(Duration.ofMillis(500));
    private final RequestTrace trace = new RequestTrace(OpType.PUT, "test",
            new OpMeters(new MetricRegistry(), OpType.PUT, "test"), log);

    @Test
    void thresholdAndOff() {
        assertTrue(log.isSlow(Duration.ofMillis(500).toNanos()));
        assertFalse(log.isSlow(Duration.ofMillis(499).toNanos()));
        assertFalse(new SlowRequestLog(Duration.ZERO).isSlow(Long.MAX_VALUE - 1), "0s turns the log off");
    }

    @Test
    void writeStagesAddUpToTheTotal() {
        long t0 = trace.start();
        trace.submitted();
        long submitted = trace.submittedAt();
        trace.sent(submitted + 2_000_000);
        trace.replied(submitted + 802_000_000);
        String stages = SlowRequestLog.stages(trace, submitted + 802_300_000);
        assertEquals(String.format(java.util.Locale.ROOT, "validate %.1f ms, queue 2.0 ms, raft 800.0 ms, respond 0.3 ms",
                (submitted - t0) / 1e6), stages);
    }

    @Test
    void refusedRequestHasNoStages() {
        assertEquals("no Raft stage", SlowRequestLog.stages(trace, trace.start() + 1));
    }
}
