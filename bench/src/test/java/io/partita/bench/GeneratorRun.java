package io.partita.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One in-process run of the generator: exit code, report (stdout), progress and errors (stderr), and the checks
 * that every end-to-end test makes of a run, whatever the store.
 */
record GeneratorRun(int code, String out, String err) {

    /** Runs {@code partita bench args} in this JVM. */
    static GeneratorRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = LoadGenerator.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new GeneratorRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Asserts a completed {@code --load} run against a healthy store: exit 0, every key loaded, gets and puts done
     * without errors or misses, totals that add up, and a text table with the JSON's counts.
     *
     * @param json the run's {@code --json} file
     * @return the JSON report
     */
    JsonNode assertCleanLoadedRun(Path json, long keys) throws IOException {
        assertEquals(0, code, err);
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(keys, root.path("load").path("written").asLong());
        assertEquals(0, root.path("load").path("errors").size());
        JsonNode ops = root.path("operations");
        long gets = ops.path("get").path("count").asLong();
        long puts = ops.path("put").path("count").asLong();
        assertTrue(gets > 0 && puts > 0, "gets " + gets + ", puts " + puts);
        assertEquals(gets + puts, ops.path("total").path("count").asLong());
        for (String op : List.of("get", "put", "total")) {
            assertEquals(0, ops.path(op).path("error-count").asLong(), op + " errors: " + ops.path(op));
            assertEquals(0, ops.path(op).path("misses").asLong(), op + " misses after --load");
        }
        assertEquals(String.valueOf(gets), column("get", 1));
        assertEquals(String.valueOf(puts), column("put", 1));
        return root;
    }

    /** Column {@code index} of the report's table row {@code op}. */
    String column(String op, int index) {
        return out.lines().filter(l -> l.startsWith(op + " ")).findFirst()
            .map(l -> Arrays.asList(l.trim().split("\\s+")).get(index))
            .orElseThrow(() -> new AssertionError("no row " + op + " in\n" + out));
    }
}
