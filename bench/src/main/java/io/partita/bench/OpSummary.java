package io.partita.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The result of one operation type over the recorded run.
 *
 * @param name      {@code get}, {@code put} or {@code total}
 * @param latencyUs latencies of the completed operations (misses included, errors not), in microseconds
 * @param misses    reads that found no record
 * @param errors    failed operations by result-code label, e.g. {@code TIMEOUT(9)}
 */
public record OpSummary(String name, Histogram latencyUs, long misses, Map<String, Long> errors) {

    /** A summary; the error map is copied. */
    public OpSummary {
        errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
    }

    /** Completed operations: the histogram's total count. */
    public long count() {
        return latencyUs.getTotalCount();
    }

    /** Failed operations, all codes. */
    public long errorCount() {
        long n = 0;
        for (long v : errors.values()) {
            n += v;
        }
        return n;
    }

    /** Completed operations per second over {@code seconds}. */
    public double opsPerSecond(double seconds) {
        return seconds > 0 ? count() / seconds : 0;
    }

    /** The sum of several summaries: merged histogram, added misses and errors. */
    public static OpSummary total(String name, OpSummary... parts) {
        Histogram h = StatsCollector.newHistogram();
        long misses = 0;
        Map<String, Long> errors = new LinkedHashMap<>();
        for (OpSummary p : parts) {
            h.add(p.latencyUs());
            misses += p.misses();
            p.errors().forEach((k, v) -> errors.merge(k, v, Long::sum));
        }
        return new OpSummary(name, h, misses, errors);
    }
}
