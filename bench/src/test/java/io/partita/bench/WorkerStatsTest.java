package io.partita.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partita.bench.driver.ErrorCode;
import io.partita.bench.driver.PartitaDriver;
import io.partita.protocol.ResultCode;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class WorkerStatsTest {

    private static final ErrorCode TIMEOUT = PartitaDriver.code(ResultCode.TIMEOUT);
    private static final ErrorCode NOT_LEADER = PartitaDriver.code(ResultCode.NOT_LEADER);
    private static final ErrorCode IN_DOUBT = PartitaDriver.code(ResultCode.IN_DOUBT);

    @Test
    void successesAndMissesAreTimedErrorsAreCountedByCode() {
        WorkerStats a = new WorkerStats();
        a.success(OpType.READ, 150);
        a.miss(OpType.READ, 90);
        a.success(OpType.UPDATE, 4000);
        a.error(OpType.UPDATE, TIMEOUT);
        a.error(OpType.UPDATE, TIMEOUT);
        a.error(OpType.READ, NOT_LEADER);
        a.error(OpType.UPDATE, ErrorCode.CLIENT_EXCEPTION);
        WorkerStats b = new WorkerStats();
        b.success(OpType.READ, 10_000_000); // far beyond any preset range: histograms resize
        b.error(OpType.UPDATE, IN_DOUBT);

        StatsCollector c = new StatsCollector(List.of(a, b));
        Map<OpType, Histogram> first = c.drain();
        assertEquals(3, first.get(OpType.READ).getTotalCount());
        assertEquals(1, first.get(OpType.UPDATE).getTotalCount());
        assertEquals(10_000_000, first.get(OpType.READ).getMaxValue(), 10_000_000 / 1000.0);
        assertEquals(0, StatsCollector.count(c.drain()), "a drain resets the interval");

        Tally t = c.tally();
        assertEquals(1, t.misses(OpType.READ));
        assertEquals(0, t.misses(OpType.UPDATE));
        assertEquals(1, t.errors(OpType.READ));
        assertEquals(4, t.errors(OpType.UPDATE));
        assertEquals(Map.of("TIMEOUT(9)", 2L, "IN_DOUBT(101)", 1L, Tally.CLIENT_EXCEPTION, 1L),
            t.errorsByCode(OpType.UPDATE));
        assertEquals(List.of("TIMEOUT(9)", "NOT_LEADER(100)", "IN_DOUBT(101)", Tally.CLIENT_EXCEPTION),
            List.copyOf(t.errorsByCode(OpType.READ, OpType.UPDATE).keySet()), "result-code order");

        Tally baseline = t;
        a.error(OpType.READ, NOT_LEADER);
        a.miss(OpType.READ, 5);
        Tally since = c.tally().minus(baseline);
        assertEquals(Map.of("NOT_LEADER(100)", 1L), since.errorsByCode(OpType.READ, OpType.UPDATE));
        assertEquals(1, since.misses());
        assertEquals(1, since.errors());
    }
}
