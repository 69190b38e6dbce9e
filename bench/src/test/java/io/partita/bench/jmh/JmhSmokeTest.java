package io.partita.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every JMH benchmark of this package once, in-process and very briefly (no fork, one 100 ms warm-up and one
 * 100 ms measurement iteration), so that a broken benchmark or a missing generated BenchmarkList fails the build.
 * The numbers are meaningless; only that each benchmark produced a score is checked.
 */
class JmhSmokeTest {
    @Test
    void everyBenchmarkRunsOnce() throws Exception {
        Options options = new OptionsBuilder()
                .include("io\\.partita\\.bench\\.jmh\\..*Benchmark\\..*")
                .forks(0)
                .warmupIterations(1)
                .warmupTime(TimeValue.milliseconds(100))
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(options).run();

        Set<String> ran = new TreeSet<>();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark() + r.getParams().getParamsKeys().stream()
                    .map(k -> " " + k + "=" + r.getParams().getParam(k)).reduce("", String::concat);
            ran.add(label);
            double score = r.getPrimaryResult().getScore();
            assertTrue(score > 0 && Double.isFinite(score), label + " scored " + score);
        }
        // RecordCodec: 2 methods x 2 shapes; CommandBatch: 3 methods x 3 sizes; Apply: 1 method x 3 sizes.
        assertEquals(4 + 9 + 3, ran.size(), "benchmarks run: " + ran);
        for (String cls : new String[] {"RecordCodecBenchmark", "CommandBatchBenchmark", "ApplyBenchmark"}) {
            assertTrue(ran.stream().anyMatch(l -> l.contains("." + cls + ".")), cls + " did not run: " + ran);
        }
    }
}
