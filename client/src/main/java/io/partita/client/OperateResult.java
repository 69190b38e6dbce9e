package io.partita.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link PartitaClient#operate} answered: one result per operation, in the order given (Aerospike's
 * respond-all-ops), and the record's generation and expiry after the call.
 *
 * <pre>{@code
 * OperateResult r = client.operate(null, key, Operation.add("n", 1), Operation.get("n"));
 * long n = (Long) r.results().get(1);
 * long same = r.record().getLong("n");      // Aerospike's view: results by bin
 * }</pre>
 */
public final class OperateResult {
    private final List<Object> results;
    private final int generation;
    private final long voidTimeMs;
    private final Record record;

    OperateResult(List<Operation> operations, List<Object> results, int generation, long voidTimeMs) {
        this.results = Collections.unmodifiableList(new ArrayList<>(results));
        this.generation = generation;
        this.voidTimeMs = voidTimeMs;
        this.record = new Record(generation, voidTimeMs, 0, byBin(operations, results));
    }

    /**
     * Aerospike's record view of the results: each operation that answered something (not null) puts its result
     * under its bin, and a bin with several such results holds them as a List, in order; reading every bin
     * ({@link Operation#get()}) counts as one result for each bin it read.
     */
    private static Map<String, Object> byBin(List<Operation> operations, List<Object> results) {
        Map<String, Object> bins = new LinkedHashMap<>();
        Map<String, List<Object>> several = new LinkedHashMap<>();
        for (int i = 0; i < operations.size() && i < results.size(); i++) {
            Object result = results.get(i);
            String bin = operations.get(i).bin();
            if (result == null) {
                continue;
            }
            if (!bin.isEmpty()) {
                add(bins, several, bin, result);
            } else if (result instanceof Map<?, ?> all) {
                all.forEach((name, value) -> add(bins, several, (String) name, value));
            }
        }
        return bins;
    }

    private static void add(Map<String, Object> bins, Map<String, List<Object>> several, String bin, Object result) {
        if (several.containsKey(bin)) {
            several.get(bin).add(result);
        } else if (bins.containsKey(bin)) {
            List<Object> list = new ArrayList<>(List.of(bins.get(bin), result));
            several.put(bin, list);
            bins.put(bin, list);
        } else {
            bins.put(bin, result);
        }
    }

    /** One result per operation, in the order given; null where an operation answers nothing (writes). */
    public List<Object> results() {
        return results;
    }

    /** The result of operation {@code index}. */
    public Object result(int index) {
        return results.get(index);
    }

    /** The record's generation after the call (0 when the call deleted it). */
    public int generation() {
        return generation;
    }

    /** The record's expiry after the call, ms since the Unix epoch; 0 = never. */
    public long voidTimeMs() {
        return voidTimeMs;
    }

    /** The results by bin, as Aerospike's client returns them (see the class comment); its last-update time is 0. */
    public Record record() {
        return record;
    }

    @Override
    public String toString() {
        return "OperateResult{generation=" + generation + ", voidTimeMs=" + voidTimeMs + ", results=" + results + "}";
    }
}
