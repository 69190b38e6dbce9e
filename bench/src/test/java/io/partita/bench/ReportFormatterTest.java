package io.partita.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ReportFormatterTest {

    /** get: 1000 latencies 0.1 ms, 0.2 ms, ..., 100 ms (exact at 5 digits); put: 1.234 ms x3 and 5.678 ms. */
    private static Report sample() {
        Histogram get = new Histogram(5);
        for (int i = 1; i <= 1000; i++) {
            get.recordValue(i * 100L);
        }
        Histogram put = new Histogram(5);
        put.recordValueWithCount(1234, 3);
        put.recordValue(5678);
        OpSummary g = new OpSummary("get", get, 7, Map.of("TIMEOUT(9)", 3L));
        OpSummary p = new OpSummary("put", put, 0, Map.of("IN_DOUBT(101)", 2L));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("threads", 4);
        params.put("duration", Duration.ofSeconds(10));
        params.put("warmup", Duration.ofMillis(1500));
        // load: 998 puts cost the servers 2.994 s of CPU and 29,940 switches (3,000 us, 30 per put)
        LoadSummary load = new LoadSummary(1000, 998, 2.0, Map.of("TIMEOUT(9)", 2L), new ProcessCost.Cost(
            new ProcessCost.Usage(2_994_000_000L, 29_940), null));
        // run: 1004 completed operations
        ProcessCost.Cost cost = new ProcessCost.Cost(new ProcessCost.Usage(1_004_000_000L, 45_180),
            new ProcessCost.Usage(251_000_000L, 10_040));
        return new Report(params, load, 10.0, 0, List.of(g, p, OpSummary.total("total", g, p)),
            "partita bench --threads 4", cost);
    }

    private static List<String> row(String text, String op) {
        for (String line : text.split("\n")) {
            if (line.startsWith(op + " ")) {
                return Arrays.asList(line.trim().split("\\s+"));
            }
        }
        throw new AssertionError("no row '" + op + "' in:\n" + text);
    }

    @Test
    void tablePrintsThePercentilesOfTheRecordedValuesInMilliseconds() {
        String text = ReportFormatter.format(sample());
        assertEquals(List.of("op", "count", "ops/s", "p50", "p90", "p99", "p999", "max", "misses", "errors"),
            row(text, "op"));
        assertEquals(List.of("get", "1000", "100.0", "50.00", "90.00", "99.00", "99.90", "100.00", "7", "3"),
            row(text, "get"));
        assertEquals(List.of("put", "4", "0.4", "1.23", "5.68", "5.68", "5.68", "5.68", "0", "2"), row(text, "put"));
        List<String> total = row(text, "total");
        assertEquals(List.of("total", "1004", "100.4"), total.subList(0, 3));
        assertEquals(List.of("7", "5"), total.subList(8, 10));
    }

    @Test
    void reportShowsParametersLoadErrorsByCodeAndCommand() {
        String text = ReportFormatter.format(sample());
        assertTrue(text.contains("  threads        4\n"), text);
        assertTrue(text.contains("  duration       10s\n"), text);
        assertTrue(text.contains("  warmup         1500ms\n"), text);
        assertTrue(text.contains("load: 998 of 1000 keys written in 2.00 s (499.0 puts/s), errors: TIMEOUT(9) 2"),
            text);
        assertTrue(text.contains("run: 10.00 s recorded; closed loop, latency in ms (coordinated omission not "
            + "corrected)\n"), text);
        assertTrue(text.matches("(?s).*errors by code:\n  get +TIMEOUT\\(9\\) +3\n  put +IN_DOUBT\\(101\\) +2\n.*"),
            text);
        assertTrue(text.endsWith("command: partita bench --threads 4\n"), text);
    }

    @Test
    void reportShowsCpuAndContextSwitchesPerOperation() {
        String text = ReportFormatter.format(sample());
        assertTrue(text.contains("  cost per put: server 3000 us CPU, 30.0 context switches\n"), text);
        assertTrue(text.contains("cost per op: server 1000 us CPU, 45.0 context switches; load generator 250 us CPU,"
            + " 10.0 context switches\n"), text);
    }

    @Test
    void emptyOperationPrintsDashesAndNoErrorsSaysNone() {
        OpSummary g = new OpSummary("get", new Histogram(3), 0, Map.of());
        OpSummary p = new OpSummary("put", new Histogram(3), 0, Map.of());
        String text = ReportFormatter.format(new Report(Map.of(), null, 1.0, 0,
            List.of(g, p, OpSummary.total("total", g, p)), "partita bench", null));
        assertEquals(List.of("get", "0", "0.0", "-", "-", "-", "-", "-", "0", "0"), row(text, "get"));
        assertTrue(text.contains("errors by code: none\n"), text);
        assertTrue(!text.contains("load:"), text);
    }

    @Test
    void jsonHasTheSameNumbersWithLatenciesInMicroseconds() throws Exception {
        JsonNode root = new ObjectMapper().readTree(JsonReport.toJson(sample()));
        assertEquals(10000, root.path("parameters").path("duration-ms").asLong());
        assertEquals(4, root.path("parameters").path("threads").asInt());
        assertEquals(998, root.path("load").path("written").asLong());
        JsonNode get = root.path("operations").path("get");
        assertEquals(1000, get.path("count").asLong());
        assertEquals(100.0, get.path("ops-per-second").asDouble(), 1e-9);
        assertEquals(7, get.path("misses").asLong());
        assertEquals(3, get.path("errors").path("TIMEOUT(9)").asLong());
        JsonNode lat = get.path("latency-us");
        assertEquals(List.of(50000L, 90000L, 99000L, 99900L, 100000L), List.of(lat.path("p50").asLong(),
            lat.path("p90").asLong(), lat.path("p99").asLong(), lat.path("p999").asLong(), lat.path("max").asLong()));
        assertEquals(1004, root.path("operations").path("total").path("count").asLong());
        assertEquals(5, root.path("operations").path("total").path("error-count").asLong());
        assertEquals("partita bench --threads 4", root.path("command").asText());
        JsonNode server = root.path("cost").path("server");
        assertEquals(1000.0, server.path("cpu-us-per-op").asDouble(), 1e-9);
        assertEquals(45.0, server.path("context-switches-per-op").asDouble(), 1e-9);
        assertEquals(250.0, root.path("cost").path("load-generator").path("cpu-us-per-op").asDouble(), 1e-9);
        assertEquals(3000.0, root.path("load").path("cost").path("server").path("cpu-us-per-op").asDouble(), 1e-9);
        assertTrue(root.path("load").path("cost").path("load-generator").isNull());
    }

    @Test
    void aPacedRunSaysItsLatencyIsFromTheIntendedStart() {
        Report r = sample();
        String text = ReportFormatter.format(new Report(r.parameters(), r.load(), r.seconds(), 2500, r.operations(),
            r.command(), r.cost()));
        assertTrue(text.contains("run: 10.00 s recorded; target rate 2500 ops/s, latency in ms from each operation's "
            + "intended start (coordinated omission corrected)\n"), text);
    }

    @Test
    void commandLineQuotesWhatTheShellWouldSplit() {
        assertEquals("partita bench --set 'my set' --json 'it'\\''s.json' --hosts 10.0.0.1:7300,10.0.0.2:7300",
            ReportFormatter.commandLine("partita bench", "--set", "my set", "--json", "it's.json", "--hosts",
                "10.0.0.1:7300,10.0.0.2:7300"));
    }

    @Test
    void progressLinesShowElapsedRateMissesAndErrors() {
        assertEquals("run       10.0s/30s         1234.5 ops/s  misses 2  errors 3",
            ReportFormatter.progressLine("run", 10.0, Duration.ofSeconds(30), 1234.5, 2, 3));
        assertEquals("load   250/1000 keys (25.0%)       100.0 puts/s  errors 1",
            ReportFormatter.loadProgressLine(250, 1000, 100.0, 1));
    }
}
