package io.partita.bench;

import io.partita.bench.driver.PartitaDriver;
import io.partita.bench.driver.StoreDriver;
import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code partita bench}: a YCSB-style load generator (closed loop, or paced at a target rate). Options are in {@link BenchOptions}; see bench/README.md.
 * The store it drives ({@code --target}) is behind a {@link StoreDriver}.
 *
 * <p>Exit codes: 0 after a completed run (even if operations failed: see the report), 2 for bad options (one line
 * on stderr; a workload with scans against a store whose driver cannot scan is one), 1 if the cluster cannot be reached or does not serve the namespace, or an output file cannot be
 * written.
 */
public final class LoadGenerator {

    /** Name of the command in messages and in the reported command line. */
    public static final String COMMAND = "partita bench";

    private LoadGenerator() {
    }

    /** Runs the generator and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the generator: report to {@code out}, progress and errors to {@code err}.
     *
     * @return the process exit code
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (BenchOptions.InvalidOptionsException e) {
            err.println(COMMAND + ": " + e.getMessage() + " (see --help)");
            return 2;
        }
        if (options.helpRequested()) {
            BenchOptions.usage(out);
            return 0;
        }
        try {
            return run(options, ReportFormatter.commandLine(COMMAND, args), out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(COMMAND + ": interrupted");
            return 1;
        }
    }

    private static int run(BenchOptions options, String command, PrintStream out, PrintStream err)
        throws InterruptedException {
        Workload workload = options.workload();
        StoreDriver<?, ?> driver;
        try {
            driver = options.unary() ? new PartitaDriver(options.hosts(), options.timeoutMs(), workload, false)
                : options.target().open(options.hosts(), options.timeoutMs(), options.threads(), workload);
        } catch (RuntimeException e) {
            err.println(COMMAND + ": cannot reach the cluster at " + String.join(",", options.hosts()) + ": "
                + e.getMessage());
            return 1;
        }
        try (driver) {
            return run(driver, options, workload, command, out, err);
        }
    }

    private static <K, V> int run(StoreDriver<K, V> driver, BenchOptions options, Workload workload, String command,
                                  PrintStream out, PrintStream err) throws InterruptedException {
        long seed = options.seed() != null ? options.seed() : new SecureRandom().nextLong();
        String problem = driver.probe();
        if (problem != null) {
            err.println(COMMAND + ": " + problem);
            return 1;
        }
        SplittableRandom random = new SplittableRandom(seed);
        ProcessCost watch = ProcessCost.watching(options.serverPids());
        LoadSummary load = null;
        if (options.load()) {
            load = new Loader<>(driver, workload, options.records(), options.threads(), options.progressInterval(),
                err).run(random.split(), watch);
        }
        HistogramLog log = null;
        if (options.histogramLog() != null) {
            try {
                log = HistogramLog.open(options.histogramLog());
            } catch (IOException e) {
                err.println(COMMAND + ": cannot write --histogram-log " + options.histogramLog() + ": " + e);
                return 1;
            }
        }
        BenchRun.Result result;
        try {
            result = new BenchRun<>(driver, workload, options.records(), options.threads(), options.targetRate(),
                options.warmup(), options.duration(), options.progressInterval(), err, log, watch)
                .run(random.split(), command);
        } finally {
            if (log != null) {
                try {
                    log.close();
                } catch (IOException e) {
                    err.println(COMMAND + ": " + e.getMessage());
                }
            }
        }
        Report report = report(options, seed, load, result, command);
        out.print(ReportFormatter.format(report));
        out.flush();
        if (options.json() != null) {
            try {
                JsonReport.write(report, options.json());
            } catch (IOException e) {
                err.println(COMMAND + ": cannot write --json " + options.json() + ": " + e);
                return 1;
            }
        }
        return 0;
    }

    /** Builds the report of a finished run. */
    static Report report(BenchOptions options, long seed, LoadSummary load, BenchRun.Result result, String command) {
        Tally t = result.tally();
        List<OpSummary> ops = new ArrayList<>();
        for (OpType op : options.workload().mix().ops()) {
            ops.add(new OpSummary(op.label(), result.latencyUs().get(op), t.misses(op), t.errorsByCode(op)));
        }
        ops.add(OpSummary.total("total", ops.toArray(new OpSummary[0])));
        return new Report(options.describe(seed), load, result.seconds(), options.targetRate(), ops, command,
            result.cost());
    }
}
