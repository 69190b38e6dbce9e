package io.partita.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The final report as JSON: the same numbers as the text, latencies as exact microseconds.
 *
 * <pre>{@code
 * {"parameters": {"hosts": "...", ..., "duration-ms": 30000, ...},
 *  "load": {"keys": 1000, "written": 1000, "seconds": 0.8, "errors": {}, "cost": {...}},   // null without --load
 *  "seconds": 30.01,
 *  "operations": {"read": {"count": 1, "ops-per-second": 1.0, "misses": 0, "errors": {"TIMEOUT(9)": 1},
 *                          "error-count": 1, "latency-us": {"p50": 1, "p90": 1, "p99": 1, "p999": 1, "max": 1}},
 *                 "update": {...}, ..., "total": {...}},            // the mix's operations, then total
 *  "cost": {"server": {"cpu-seconds": 41.2, "context-switches": 912345, "cpu-us-per-op": 1373.3,
 *                      "context-switches-per-op": 30.4},                  // null without --server-pids
 *           "load-generator": {...}},                                     // null without /proc
 *  "command": "partita bench ..."}
 * }</pre>
 */
public final class JsonReport {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String[] PERCENTILE_KEYS = {"p50", "p90", "p99", "p999"};

    private JsonReport() {
    }

    /** The report as a JSON document. */
    public static String toJson(Report report) {
        try {
            return MAPPER.writeValueAsString(tree(report));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the report", e); // plain maps: cannot happen
        }
    }

    /** Writes the report to {@code file} as JSON (UTF-8), replacing it. */
    public static void write(Report report, Path file) throws IOException {
        Files.writeString(file, toJson(report) + "\n", StandardCharsets.UTF_8);
    }

    /** {"server": {...} or null, "load-generator": {...} or null}, or null when nothing was measured. */
    private static Map<String, Object> cost(ProcessCost.Cost cost, long ops) {
        if (cost == null) {
            return null;
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("server", usage(cost.server(), ops));
        c.put("load-generator", usage(cost.loadGenerator(), ops));
        return c;
    }

    private static Map<String, Object> usage(ProcessCost.Usage u, long ops) {
        if (u == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu-seconds", u.cpuNanos() / 1e9);
        m.put("context-switches", u.contextSwitches());
        m.put("cpu-us-per-op", ops == 0 ? null : u.cpuMicrosPer(ops));
        m.put("context-switches-per-op", ops == 0 ? null : u.contextSwitchesPer(ops));
        return m;
    }

    private static Map<String, Object> tree(Report report) {
        Map<String, Object> params = new LinkedHashMap<>();
        report.parameters().forEach((k, v) -> {
            if (v instanceof Duration) {
                params.put(k + "-ms", ((Duration) v).toMillis());
            } else {
                params.put(k, v);
            }
        });
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("parameters", params);
        LoadSummary load = report.load();
        if (load == null) {
            root.put("load", null);
        } else {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("keys", load.keys());
            l.put("written", load.written());
            l.put("seconds", load.seconds());
            l.put("errors", load.errors());
            l.put("cost", cost(load.cost(), load.written()));
            root.put("load", l);
        }
        root.put("seconds", report.seconds());
        Map<String, Object> ops = new LinkedHashMap<>();
        for (OpSummary op : report.operations()) {
            Histogram h = op.latencyUs();
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("count", op.count());
            o.put("ops-per-second", op.opsPerSecond(report.seconds()));
            o.put("misses", op.misses());
            o.put("error-count", op.errorCount());
            o.put("errors", op.errors());
            Map<String, Object> lat = new LinkedHashMap<>();
            for (int i = 0; i < PERCENTILE_KEYS.length; i++) {
                lat.put(PERCENTILE_KEYS[i], h.getTotalCount() == 0 ? null
                    : h.getValueAtPercentile(ReportFormatter.PERCENTILES[i]));
            }
            lat.put("max", h.getTotalCount() == 0 ? null : h.getMaxValue());
            o.put("latency-us", lat);
            ops.put(op.name(), o);
        }
        root.put("operations", ops);
        root.put("cost", cost(report.cost(), report.operation("total").count()));
        root.put("command", report.command());
        return root;
    }
}
