package io.partita.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.codahale.metrics.Snapshot;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HdrReservoirTest {
    private final AtomicLong now = new AtomicLong();
    private final HdrReservoir reservoir = new HdrReservoir(now::get);

    @Test
    void quantilesCountEveryValue() {
        for (int i = 1; i <= 10_000; i++) {
            reservoir.update(i * 1_000L); // 1 us .. 10 ms
        }
        Snapshot s = reservoir.getSnapshot();
        assertEquals(10_000, s.size());
        // Two significant digits: within 1% of the exact value.
        assertEquals(9_900_000, s.get99thPercentile(), 99_000);
        assertEquals(9_990_000, s.get999thPercentile(), 99_900);
        assertEquals(10_000_000, s.getMax(), 100_000);
        assertEquals(1_000, s.getMin(), 10);
    }

    @Test
    void valuesAgeOutAfterTwoWindows() {
        reservoir.update(5_000_000);
        assertEquals(1, reservoir.size());
        now.addAndGet(HdrReservoir.WINDOW_NANOS);
        assertEquals(1, reservoir.getSnapshot().size(), "the previous window still counts");
        reservoir.update(1_000); // recorded (and read) in the new window
        assertEquals(2, reservoir.getSnapshot().size());
        now.addAndGet(HdrReservoir.WINDOW_NANOS);
        Snapshot s = reservoir.getSnapshot();
        assertEquals(1, s.size(), "the value from two windows ago is gone");
        assertEquals(1_000, s.getMax(), 10);
    }
}
