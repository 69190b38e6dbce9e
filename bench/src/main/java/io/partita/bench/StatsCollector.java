package io.partita.bench;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Merges the statistics of all workers. Used by one reporting thread only.
 */
public final class StatsCollector {

    private final List<WorkerStats> workers;

    /** A collector over {@code workers}. */
    public StatsCollector(List<WorkerStats> workers) {
        this.workers = List.copyOf(workers);
    }

    /** Latencies recorded by all workers since the previous drain, per operation; resets the interval. */
    public Map<OpType, Histogram> drain() {
        Map<OpType, Histogram> out = new EnumMap<>(OpType.class);
        for (OpType op : OpType.values()) {
            Histogram merged = newHistogram();
            for (WorkerStats w : workers) {
                merged.add(w.drain(op));
            }
            out.put(op, merged);
        }
        return out;
    }

    /** The misses and errors counted so far by all workers. */
    public Tally tally() {
        Tally t = Tally.empty();
        for (WorkerStats w : workers) {
            t = t.plus(Tally.snapshot(w.tally()));
        }
        return t;
    }

    /** An empty auto-resizing latency histogram of the generator's precision. */
    public static Histogram newHistogram() {
        return new Histogram(WorkerStats.SIGNIFICANT_DIGITS);
    }

    /** Total count of the histograms. */
    public static long count(Map<OpType, Histogram> histograms) {
        long n = 0;
        for (Histogram h : histograms.values()) {
            n += h.getTotalCount();
        }
        return n;
    }
}
