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
     * Asserts a completed {@code --load} run of the default read/update mix against a healthy store: exit 0, every
     * key loaded, reads and updates done without errors or misses, totals that add up, and a text table with the
     * JSON's counts.
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
        long reads = ops.path("read").path("count").asLong();
        long updates = ops.path("update").path("count").asLong();
        assertTrue(reads > 0 && updates > 0, "reads " + reads + ", updates " + updates);
        assertEquals(reads + updates, ops.path("total").path("count").asLong());
        for (String op : List.of("read", "update", "total")) {
            assertEquals(0, ops.path(op).path("error-count").asLong(), op + " errors: " + ops.path(op));
            assertEquals(0, ops.path(op).path("misses").asLong(), op + " misses after --load");
        }
        assertEquals(String.valueOf(reads), column("read", 1));
        assertEquals(String.valueOf(updates), column("update", 1));
        return root;
    }

    /** Column {@code index} of the report's table row {@code op}. */
    String column(String op, int index) {
        return out.lines().filter(l -> l.startsWith(op + " ")).findFirst()
            .map(l -> Arrays.asList(l.trim().split("\\s+")).get(index))
            .orElseThrow(() -> new AssertionError("no row " + op + " in\n" + out));
    }
}
