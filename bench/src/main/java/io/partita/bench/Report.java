package io.partita.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the final report shows.
 *
 * @param parameters option name to value, in display order (see {@link BenchOptions#describe})
 * @param load       the load phase, or {@code null} without {@code --load}
 * @param seconds    wall time of the recorded run (warm-up excluded)
 * @param targetRate the run's target rate in operations per second (latency measured from intended starts), or 0
 *                   for a closed loop
 * @param operations one per operation of the mix, in {@link OpType} order, then total
 * @param command    the command line that produced it
 * @param cost       CPU and context switches of the recorded run ({@link ProcessCost}), or {@code null}
 */
public record Report(Map<String, Object> parameters, LoadSummary load, double seconds, double targetRate,
                     List<OpSummary> operations, String command, ProcessCost.Cost cost) {

    /** A report; collections are copied. */
    public Report {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        operations = List.copyOf(operations);
    }

    /** The summary named {@code name}. */
    public OpSummary operation(String name) {
        for (OpSummary op : operations) {
            if (op.name().equals(name)) {
                return op;
            }
        }
        throw new IllegalArgumentException("no operation '" + name + "' in the report");
    }
}
