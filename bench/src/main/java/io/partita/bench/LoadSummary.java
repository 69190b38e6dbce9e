package io.partita.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The result of the {@code --load} phase.
 *
 * @param keys    keys to write
 * @param written puts that succeeded
 * @param seconds wall time of the phase
 * @param errors  failed puts by result-code label
 * @param cost    CPU and context switches of the phase ({@link ProcessCost}), or {@code null} when not measured
 */
public record LoadSummary(long keys, long written, double seconds, Map<String, Long> errors, ProcessCost.Cost cost) {

    /** A summary; the error map is copied. */
    public LoadSummary {
        errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
    }

    /** Failed puts, all codes. */
    public long errorCount() {
        long n = 0;
        for (long v : errors.values()) {
            n += v;
        }
        return n;
    }
}
